/* tests/record/test_symbolize.c — hs_sym_name names each address as libdw's own lookup does, on this process's libc.
 * Owns: the check of app/symbolize.c's symbol index (fast_name) against dwfl_module_addrinfo, address by address. */
#define _GNU_SOURCE 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <elfutils/libdwfl.h>

#include "app/symbolize.h"

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

/* Every 509th byte of libc's code (a prime: every alignment): the name
 * hs_sym_name gives starts with the symbol dwfl_module_addrinfo finds for
 * the byte before (the call of a return address), or names the library
 * when libdw finds none.  libc has aliases (isinf and __isinf) and
 * symbols of every binding. */
static void test_libc_names_match_libdw(void **state)
{
    (void)state;
    char maps[] = "/tmp/hs-test-symbolize-XXXXXX";
    int fd = mkstemp(maps);
    assert_true(fd >= 0);
    FILE *in = fopen("/proc/self/maps", "r");
    assert_non_null(in);
    char line[4096], libc[1024] = "";
    unsigned long long lo = 0, hi = 0, base = 0;
    while (fgets(line, sizeof line, in) != NULL) {
        assert_true(write(fd, line, strlen(line)) == (ssize_t)strlen(line));
        unsigned long long st, en, off;
        char perms[8], path[1024];
        if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %1023s", &st, &en, perms, &off, path) == 5
            && strstr(path, "/libc.so.6") != NULL) {
            if (off == 0)
                base = st;
            if (perms[2] == 'x') {
                lo = st;
                hi = en;
                snprintf(libc, sizeof libc, "%s", path);
            }
        }
    }
    fclose(in);
    close(fd);
    assert_true(libc[0] != 0 && hi > lo && base != 0);

    hs_sym *s = hs_sym_open(maps);
    assert_non_null(s);
    Dwfl *d = dwfl_begin(&callbacks);
    assert_non_null(d);
    dwfl_report_begin(d);
    Dwfl_Module *mod = dwfl_report_elf(d, libc, libc, -1, base, false);
    assert_non_null(mod);
    dwfl_report_end(d, NULL, NULL);
    size_t n = 0, named = 0, bad = 0;
    for (unsigned long long a = lo + 1; a < hi; a += 509, n++) {
        const char *got = hs_sym_name(s, a);
        assert_non_null(got);
        GElf_Off off = 0;
        GElf_Sym sym;
        const char *want = dwfl_module_addrinfo(mod, a - 1, &off, &sym, NULL, NULL, NULL);
        size_t len = want ? strlen(want) : 0;
        int ok = want ? strncmp(got, want, len) == 0 && (got[len] == '+' || got[len] == ' ')
                      : strncmp(got, "libc.so.6+0x", 12) == 0;
        named += want != NULL;
        if (!ok && bad++ < 5)
            print_message("0x%llx: hs_sym_name '%s', libdw '%s'\n", a, got, want ? want : "(none)");
    }
    print_message("%zu addresses of libc, %zu with a symbol, %zu named otherwise than libdw\n", n, named, bad);
    assert_true(named > n / 2);
    assert_int_equal(bad, 0);
    dwfl_end(d);
    hs_sym_close(s);
    unlink(maps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libc_names_match_libdw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
