/* tests/real/test_process.c — hs_real_run as a process manager: start, feed, time out, reap, report.
 * Owns: the replayer-lifecycle tests (missing or broken replayer, timeout, stderr, signals, the child's setup). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "real/wire.h"
#include "tests/real/util.h"

static char dir[] = "/tmp/hs-real-test-XXXXXX";

/* path of NAME in the scratch directory (static buffer, one at a time per slot). */
static const char *in_dir(const char *name)
{
    static char buf[4][512];
    static int slot;
    char *p = buf[slot++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

/* Writes a shell script (text after the #! line) and makes it executable. */
static const char *script(const char *name, const char *body)
{
    const char *path = in_dir(name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0755), 0);
    return path;
}

/* Reads a whole small file into buf; returns its length. */
static size_t slurp(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    ssize_t n = read(fd, buf, len - 1);
    assert_true(n >= 0);
    buf[n] = '\0';
    close(fd);
    return (size_t)n;
}

/* No child of ours is left, dead or alive. */
static void assert_no_child(void)
{
    int status;
    assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void one_malloc(tb *b)
{
    tb_init(b, 1);
    tb_malloc(b, 0, 24, ALL);
}

static int setup(void **state)
{
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void missing_replayer(void **state)
{
    tb b;
    one_malloc(&b);
    rec *r = run_with(&b, "/nonexistent/heapsim-replay", 5, 0);
    assert_int_equal(r->rc, -1);
    assert_int_equal(r->n, 0);
    assert_non_null(strstr(r->msg, "/nonexistent/heapsim-replay"));
    assert_non_null(strstr(r->msg, strerror(ENOENT)));
    assert_no_child();
    free(r);
}

static void replayer_not_executable(void **state)
{
    tb b;
    one_malloc(&b);
    const char *p = script("noexec.sh", "exit 0");
    assert_int_equal(chmod(p, 0644), 0);
    rec *r = run_with(&b, p, 5, 0);   /* without any x bit, even root gets EACCES */
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, strerror(EACCES)));
    assert_no_child();
    free(r);
}

/* Runs one malloc with no opts->replayer and $HEAPSIM_REPLAYER set to env
 * (NULL: unset), restoring the variable after; returns hs_real_run's rc. */
static int run_env_replayer(const char *env, char *msg, size_t len)
{
    tb b;
    one_malloc(&b);
    char *saved = getenv("HEAPSIM_REPLAYER") ? strdup(getenv("HEAPSIM_REPLAYER")) : NULL;
    if (env) setenv("HEAPSIM_REPLAYER", env, 1);
    else unsetenv("HEAPSIM_REPLAYER");
    hs_real_opts o = { .replayer = NULL, .timeout_s = 5 };
    int rc = hs_real_run(&b.t, &o, NULL, NULL, msg, len);
    if (saved) {
        setenv("HEAPSIM_REPLAYER", saved, 1);
        free(saved);
    } else {
        unsetenv("HEAPSIM_REPLAYER");
    }
    return rc;
}

/* With no opts->replayer, $HEAPSIM_REPLAYER names it. */
static void replayer_from_environment(void **state)
{
    char msg[512];
    assert_int_equal(run_env_replayer("/nonexistent/from-env", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "/nonexistent/from-env"));
}

/* With neither opts->replayer nor $HEAPSIM_REPLAYER, real/ does not go
 * looking on the disk (finding it is app/'s): the run fails and says why. */
static void replayer_not_given(void **state)
{
    char msg[512];
    assert_int_equal(run_env_replayer(NULL, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "no replayer given"));
    assert_no_child();
}

/* Waits (bounded) until pid is gone or a zombie; returns 1 if so. */
static int gone(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    for (int i = 0; i < 500; i++) {
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            return 1;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0)
            return 1;
        buf[n] = '\0';
        const char *rp = strrchr(buf, ')');
        if (rp && (rp[2] == 'Z' || rp[2] == 'X'))
            return 1;
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* A replayer that hangs is killed at the timeout, with whatever it started. */
static void timeout_kills_the_whole_child(void **state)
{
    tb b;
    one_malloc(&b);
    char body[600];
    snprintf(body, sizeof body, "sleep 30 &\necho $! > %s/sleep.pid\nwait", dir);
    rec *r = run_with(&b, script("hang.sh", body), 1, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "did not start within 1 s (before step 1, "));
    assert_no_child();
    char buf[64];
    slurp(in_dir("sleep.pid"), buf, sizeof buf);
    pid_t sleeper = (pid_t)atoi(buf);
    assert_true(sleeper > 1);
    assert_true(gone(sleeper));
    free(r);
}

/* A child that closes its pipes and then hangs is still timed out. */
static void timeout_with_pipes_closed(void **state)
{
    tb b;
    one_malloc(&b);
    rec *r = run_with(&b, script("closed.sh", "exec 2>&- 4>&-\nexec sleep 30"), 1, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "did not start within 1 s"));
    assert_no_child();
    free(r);
}

static void replayer_fails_with_message(void **state)
{
    tb b;
    one_malloc(&b);
    rec *r = run_with(&b, script("fail.sh", "echo 'first line' >&2\necho 'boom: bad thing' >&2\necho >&2\nexit 3"), 5, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "status 3"));
    assert_non_null(strstr(r->msg, "boom: bad thing"));
    assert_null(strstr(r->msg, "first line"));
    assert_no_child();
    free(r);
}

/* Megabytes on stderr do not block anyone; the last line is kept. */
static void stderr_flood(void **state)
{
    tb b;
    one_malloc(&b);
    rec *r = run_with(&b, script("flood.sh",
                                 "head -c 3000000 /dev/zero | tr '\\0' x >&2\n"
                                 "echo >&2\necho 'the last line' >&2\nexit 1"), 30, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "the last line"));
    assert_no_child();
    free(r);
}

/* A program that exits 0 without saying anything did not replay the trace. */
static void not_a_replayer(void **state)
{
    tb b;
    one_malloc(&b);
    rec *r = run_with(&b, "/bin/true", 5, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "0 of 1 steps"));
    assert_no_child();
    free(r);
}

/* Writes len bytes to NAME in the scratch directory. */
static void put_file(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(in_dir(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Writes hello.bin, a hello for n_ops ops with the given starting arena. */
static void write_hello_arena(uint64_t n_ops, uint64_t arena0)
{
    hs_wire_hello h;
    memset(&h, 0, sizeof h);
    h.magic = HS_WIRE_MAGIC;
    h.version = HS_WIRE_VERSION;
    h.n_ops = n_ops;
    h.arena0 = arena0;
    h.rss_anon_ok = 1;
    put_file("hello.bin", &h, sizeof h);
}

static void write_hello(uint64_t n_ops)
{
    write_hello_arena(n_ops, 0);
}

/* Writes NAME, one step record numbered step with brk = step * 4096. */
static void write_step(const char *name, uint32_t step)
{
    hs_wire_step s;
    memset(&s, 0, sizeof s);
    s.step = step;
    s.brk = step * 4096u;
    put_file(name, &s, sizeof s);
}

/* The timeout is for a child that makes no progress: one that is slow but
 * keeps sending steps may take longer in total. */
static void timeout_is_for_no_progress(void **state)
{
    tb b;
    tb_init(&b, 3);
    for (uint32_t i = 0; i < 3; i++)
        tb_malloc(&b, i, 24, ALL);
    write_hello(3);
    write_step("s1.bin", 1);
    write_step("s2.bin", 2);
    write_step("s3.bin", 3);
    char body[800];
    snprintf(body, sizeof body,
             "cd %s\ncat hello.bin >&4\nsleep 0.6\ncat s1.bin >&4\nsleep 0.6\n"
             "cat s2.bin >&4\nsleep 0.6\ncat s3.bin >&4\nsleep 0.6\nexit 0", dir);
    rec *r = run_with(&b, script("slow.sh", body), 2, 0);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 3);
    assert_int_equal(r->st[2].brk, 3 * 4096);
    assert_no_child();
    free(r);
}

/* A step that takes longer than the timeout is named in the message, by
 * its number and its call, even after steps that went through. */
static void timeout_names_the_slow_step(void **state)
{
    tb b;
    tb_init(&b, 3);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, 4000, ALL);
    tb_malloc(&b, 2, 24, ALL);
    write_hello(3);
    write_step("s1.bin", 1);
    char body[800];
    snprintf(body, sizeof body, "cd %s\ncat hello.bin >&4\ncat s1.bin >&4\nexec sleep 30", dir);
    rec *r = run_with(&b, script("slowstep.sh", body), 1, 0);
    assert_int_equal(r->rc, -1);
    assert_int_equal(r->n, 1);
    assert_non_null(strstr(r->msg, "step 2 ("));
    assert_non_null(strstr(r->msg, "4000"));
    assert_non_null(strstr(r->msg, "took more than 1 s"));
    assert_non_null(strstr(r->msg, "after 1 of 3 steps"));
    assert_no_child();
    free(r);
}

/* Steps out of order, or a heap already in use before the first op, are
 * refused: the replay would not be faithful. */
static void protocol_violations(void **state)
{
    tb b;
    tb_init(&b, 2);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, 24, ALL);
    write_hello(2);
    write_step("s2.bin", 2);
    char body[600];
    snprintf(body, sizeof body, "cd %s\ncat hello.bin s2.bin >&4\nexit 0", dir);
    rec *r = run_with(&b, script("order.sh", body), 5, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "step 2, expected 1"));
    assert_int_equal(r->n, 0);
    assert_no_child();
    free(r);

    write_hello_arena(2, 135168);
    snprintf(body, sizeof body, "cd %s\ncat hello.bin >&4\nexit 0", dir);
    r = run_with(&b, script("used.sh", body), 5, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "already in use"));
    assert_no_child();
    free(r);

    write_hello(7);
    r = run_with(&b, script("count.sh", body), 5, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "protocol"));
    free(r);
}

/* A replayer killed by SIGKILL (the OOM killer's signal) mid-trace: a step
 * with the error, and rc 0 since the replay itself was faithful. */
static void sigkill_is_reported_as_error_step(void **state)
{
    tb b;
    tb_init(&b, 2);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, 24, ALL);
    write_hello(2);
    char body[600];
    snprintf(body, sizeof body, "cat %s/hello.bin >&4\nkill -KILL $$", dir);
    rec *r = run_with(&b, script("killed.sh", body), 5, 0);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 1);
    assert_int_equal(r->st[0].step, 1);
    assert_int_equal(r->st[0].has, HS_HAS_ERROR);
    assert_string_equal(r->st[0].error, "Killed (SIGKILL: out of memory?)");
    assert_no_child();
    free(r);
}

/* SIGABRT: the error is the last non-empty line of stderr. */
static void sigabrt_takes_last_stderr_line(void **state)
{
    tb b;
    one_malloc(&b);
    write_hello(1);
    char body[600];
    snprintf(body, sizeof body,
             "cat %s/hello.bin >&4\nprintf 'noise\\nmalloc(): corrupted top size\\n\\n' >&2\n"
             "kill -ABRT $$", dir);
    rec *r = run_with(&b, script("abrt.sh", body), 5, 0);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 1);
    assert_int_equal(r->st[0].has, HS_HAS_ERROR);
    assert_string_equal(r->st[0].error, "malloc(): corrupted top size");
    free(r);
}

/* A signal before the replayer said hello is not glibc's verdict. */
static void signal_before_hello_is_a_failure(void **state)
{
    tb b;
    one_malloc(&b);
    rec *r = run_with(&b, script("early.sh", "kill -TERM $$"), 5, 0);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "signal 15"));
    assert_int_equal(r->n, 0);
    free(r);
}

/* The child runs with an empty environment, ASLR off, in its own session
 * without a terminal, with only fds 0-4 open. */
static void child_setup(void **state)
{
    tb b;
    one_malloc(&b);
    char body[1200];
    snprintf(body, sizeof body,
             "cat /proc/$$/environ > %1$s/environ\n"
             "cat /proc/$$/personality > %1$s/personality\n"
             "cat /proc/$$/stat > %1$s/stat\n"
             "ls /proc/$$/fd > %1$s/fds\n"
             "echo $$ > %1$s/pid\n"
             "exit 1", dir);
    setenv("HS_TEST_LEAK", "1", 1);
    rec *r = run_with(&b, script("probe.sh", body), 5, 0);
    unsetenv("HS_TEST_LEAK");
    assert_int_equal(r->rc, -1);
    free(r);

    char buf[4096];
    assert_int_equal(slurp(in_dir("environ"), buf, sizeof buf), 0);
    slurp(in_dir("personality"), buf, sizeof buf);
    assert_true(strtoul(buf, NULL, 16) & 0x0040000);   /* ADDR_NO_RANDOMIZE */
    char pid[32];
    slurp(in_dir("pid"), pid, sizeof pid);
    slurp(in_dir("stat"), buf, sizeof buf);
    /* After "(comm) S": ppid pgrp session tty_nr */
    const char *rp = strrchr(buf, ')');
    assert_non_null(rp);
    int ppid, pgrp, session, tty;
    assert_int_equal(sscanf(rp + 4, "%d %d %d %d", &ppid, &pgrp, &session, &tty), 4);
    assert_int_equal(session, atoi(pid));
    assert_int_equal(pgrp, atoi(pid));
    assert_int_equal(tty, 0);
    /* The shell keeps its own fds at 10 and up; 5-9 must be closed. */
    slurp(in_dir("fds"), buf, sizeof buf);
    for (const char *l = buf; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        int fd = atoi(l);
        assert_false(fd >= 5 && fd <= 9);
    }
    assert_non_null(strstr(buf, "3\n"));
    assert_non_null(strstr(buf, "4\n"));
}

/* The user's malloc tunables do not reach the replayer. */
static void user_tunables_do_not_leak(void **state)
{
    tb b;
    tb_init(&b, 1);
    tb_malloc(&b, 0, KiB(30), ALL);
    setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=4096:glibc.malloc.tcache_count=0", 1);
    setenv("MALLOC_TOP_PAD_", "0", 1);
    setenv("MALLOC_MMAP_THRESHOLD_", "4096", 1);
    setenv("MALLOC_ARENA_MAX", "1", 1);
    setenv("MALLOC_PERTURB_", "85", 1);
    rec *r = run_real(&b);
    unsetenv("GLIBC_TUNABLES");
    unsetenv("MALLOC_TOP_PAD_");
    unsetenv("MALLOC_MMAP_THRESHOLD_");
    unsetenv("MALLOC_ARENA_MAX");
    unsetenv("MALLOC_PERTURB_");
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 1);
    assert_false(r->st[0].mmapped);
    assert_int_equal(r->st[0].ptr, 0x2a0);
    assert_int_equal(r->st[0].brk, 0x21000);
    free(r);
}

/* A trace that cannot go on the wire is refused before anything starts. */
static void bad_trace_is_refused(void **state)
{
    tb b;
    tb_init(&b, 1);
    tb_malloc(&b, 0, 24, ALL);
    tb_op(&b, 99, 0);
    rec *r = run_real(&b);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "op 2"));
    assert_int_equal(r->n, 0);
    free(r);

    tb_init(&b, 1);
    tb_free(&b, 5);
    r = run_real(&b);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "op 1"));
    free(r);

    tb_init(&b, 1);
    tb_mallopt(&b, HS_M_MMAP_THRESHOLD, (int64_t)1 << 40);
    r = run_real(&b);
    assert_int_equal(r->rc, -1);
    assert_non_null(strstr(r->msg, "does not fit"));
    free(r);
    assert_no_child();
}

/* An ignored SIGPIPE or blocked signals in the caller do not reach the
 * child (both survive execve): the replayer starts with every signal at its
 * default and none blocked. */
static void caller_signal_state_is_not_inherited(void **state)
{
    tb b;
    one_malloc(&b);
    char body[600];
    snprintf(body, sizeof body, "exec cat /proc/self/status > %s/status", dir);
    const char *p = script("sig.sh", body);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
    void (*old_usr2)(int) = signal(SIGUSR2, SIG_IGN);
    rec *r = run_with(&b, p, 5, 0);
    signal(SIGPIPE, old_pipe);
    signal(SIGUSR2, old_usr2);
    sigprocmask(SIG_SETMASK, &old, NULL);
    assert_int_equal(r->rc, -1);   /* cat is no replayer */
    free(r);
    char buf[4096];
    slurp(in_dir("status"), buf, sizeof buf);
    const char *ign = strstr(buf, "SigIgn:");
    const char *blk = strstr(buf, "SigBlk:");
    assert_non_null(ign);
    assert_non_null(blk);
    assert_int_equal(strtoull(ign + 7, NULL, 16), 0);
    assert_int_equal(strtoull(blk + 7, NULL, 16), 0);
}

/* A script that runs the real replayer with extra shell words after its
 * name (arguments, redirections). */
static const char *real_replayer_with(const char *name, const char *words)
{
    const char *real = replayer_path();
    assert_non_null(real);
    char body[1200];
    snprintf(body, sizeof body, "exec '%s' %s", real, words);
    return script(name, body);
}

/* Where the replayer cannot find glibc's main_arena, a failed measurement
 * leaves the arena lock held: the program's mallopt would deadlock where
 * the real program would not, so the replay ends there, saying why, after
 * the steps that were faithful. */
static void arena_lock_unknown_ends_replay_at_mallopt(void **state)
{
    tb b;
    build_unsorted_bk(&b);
    tb_mallopt(&b, HS_M_MMAP_THRESHOLD, 131072);
    rec *r = run_with(&b, real_replayer_with("noarena.sh", "--test-arena-unknown"), 20, 0);
    assert_int_equal(r->rc, -1);
    assert_int_equal(r->n, 7);
    assert_string_equal(r->msg, "the replayer exited with status 4 after 7 of 8 steps: "
                                "heapsim-replay: cannot run mallopt: glibc's arena lock is held "
                                "by an interrupted measurement of a corrupted heap");
    assert_true(r->st[5].has & HS_HAS_MALLINFO);
    assert_int_equal(r->st[6].has & (HS_HAS_MEASURES | HS_HAS_MALLINFO | HS_HAS_ERROR),
                     HS_HAS_MEASURES);
    assert_no_child();
    free(r);

    /* Without a lock-taking call after it, the same replay is complete. */
    build_unsorted_bk(&b);
    r = run_with(&b, real_replayer_with("noarena2.sh", "--test-arena-unknown"), 20, 0);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 7);
    assert_false(r->st[6].has & HS_HAS_MALLINFO);
    free(r);
}

/* glibc's message for an abort inside the contained measurement never
 * reaches the replayer's stderr (which heapsim reads for the program's own
 * abort message). */
static void contained_abort_writes_nothing_to_stderr(void **state)
{
    tb b;
    build_fastbin_poison(&b);
    char words[600];
    snprintf(words, sizeof words, "2>'%s'", in_dir("stderr.txt"));
    rec *r = run_with(&b, real_replayer_with("quiet.sh", words), 20, 0);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 37);
    assert_false(r->st[34].has & HS_HAS_MALLINFO);
    char buf[4096];
    assert_int_equal(slurp(in_dir("stderr.txt"), buf, sizeof buf), 0);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_replayer),
        cmocka_unit_test(replayer_not_executable),
        cmocka_unit_test(replayer_from_environment),
        cmocka_unit_test(replayer_not_given),
        cmocka_unit_test(timeout_kills_the_whole_child),
        cmocka_unit_test(timeout_names_the_slow_step),
        cmocka_unit_test(timeout_with_pipes_closed),
        cmocka_unit_test(timeout_is_for_no_progress),
        cmocka_unit_test(protocol_violations),
        cmocka_unit_test(replayer_fails_with_message),
        cmocka_unit_test(stderr_flood),
        cmocka_unit_test(not_a_replayer),
        cmocka_unit_test(sigkill_is_reported_as_error_step),
        cmocka_unit_test(sigabrt_takes_last_stderr_line),
        cmocka_unit_test(signal_before_hello_is_a_failure),
        cmocka_unit_test(child_setup),
        cmocka_unit_test(user_tunables_do_not_leak),
        cmocka_unit_test(bad_trace_is_refused),
        cmocka_unit_test(caller_signal_state_is_not_inherited),
        cmocka_unit_test(arena_lock_unknown_ends_replay_at_mallopt),
        cmocka_unit_test(contained_abort_writes_nothing_to_stderr),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
