/* tests/sim/test_profiles.c — the glibc version profiles: names, versions and the rules table.
 * Owns: unit tests of hs_profile_from_name/_version, hs_rules_of; behaviour is judged by real glibc in app_validate_glibc. */
#include "simtest.h"
#include "sim/rules.h"

static void names_and_versions_round_trip(void **state)
{
    (void)state;
    static const char *const v[] = {"2.31", "2.36", "2.41"};
    for (size_t i = 0; i < 3; i++) {
        char name[32];
        snprintf (name, sizeof name, "glibc-%s", v[i]);
        int p = hs_profile_from_version (v[i]);
        assert_true (p >= 0);
        assert_int_equal (hs_profile_from_name (name), p);
        assert_int_equal (hs_profile_from_version (name), p);
        assert_string_equal (hs_profile_name ((hs_profile)p), name);
        assert_string_equal (hs_profile_version ((hs_profile)p), v[i]);
    }
    assert_int_equal (hs_profile_from_version ("2.41.9000"), HS_PROFILE_GLIBC_2_41);
    assert_int_equal (hs_profile_from_version ("2.4"), -1);
    assert_int_equal (hs_profile_from_version ("2.410"), -1);
    assert_int_equal (hs_profile_from_version ("2.35"), -1);
    assert_int_equal (hs_profile_from_version (NULL), -1);
    assert_int_equal (hs_profile_from_name ("glibc-2.35"), -1);
}

/* The rules as each version's malloc.c has them (see sim/rules.h). */
static void rules_follow_the_versions(void **state)
{
    (void)state;
    const hs_rules *r31 = hs_rules_of (HS_PROFILE_GLIBC_2_31);
    const hs_rules *r36 = hs_rules_of (HS_PROFILE_GLIBC_2_36);
    const hs_rules *r41 = hs_rules_of (HS_PROFILE_GLIBC_2_41);
    assert_false (r31->mallinfo2);
    assert_true (r36->mallinfo2 && r41->mallinfo2);
    assert_false (r31->safe_linking);
    assert_true (r36->safe_linking && r41->safe_linking);
    assert_true (r31->malloc_hook_ini);
    assert_false (r36->malloc_hook_ini || r41->malloc_hook_ini);
    assert_true (r41->calloc_tcache && r41->memalign_tcache && r41->free_small_to_smallbin);
    assert_false (r36->calloc_tcache || r36->memalign_tcache || r36->free_small_to_smallbin);
    assert_true (hs_rules_of (HS_PROFILE_TEXTBOOK) == r36);
    assert_false (hs_profile_has_mallinfo2 (HS_PROFILE_GLIBC_2_31));
}

/* Appends an explanation line to the buffer ctx points to. */
static void collect(void *ctx, const char *line)
{
    char *buf = ctx;
    size_t n = strlen (buf);
    snprintf (buf + n, 8192 - n, "%s\n", line);
}

/* The explanation of the last of ops (one-line ops of simtest.h) on profile p. */
static void explain_last(hs_profile p, const char *const *ops, size_t n, char *out)
{
    hs_sim *s = hs_sim_new (p, 8);
    assert_non_null (s);
    hs_sim_set_explain (s, true);
    for (size_t i = 0; i < n; i++) {
        hs_op op;
        hs_step st;
        parse_op (ops[i], &op);
        hs_sim_apply (s, &op, &st);
    }
    out[0] = 0;
    hs_sim_explain_each (s, collect, out);
    hs_sim_free (s);
}

/* A rule of some versions only is named, with its versions, where it
 * decides (glibc 2.41's calloc from the tcache; the pre-2.34 hook), and
 * only on the versions that have it. */
static void version_rules_are_named(void **state)
{
    (void)state;
    static char buf[8192];
    static const char *const reuse[] = {"m 0 40 0", "f 0", "c 1 1 40 0"};
    explain_last (HS_PROFILE_GLIBC_2_41, reuse, 3, buf);
    assert_non_null (strstr (buf, "a glibc 2.41 rule (__libc_calloc calls tcache_try_malloc)"));
    explain_last (HS_PROFILE_GLIBC_2_36, reuse, 3, buf);
    assert_null (strstr (buf, "glibc 2.41 rule"));
    static const char *const first[] = {"c 0 1 40 0"};
    explain_last (HS_PROFILE_GLIBC_2_31, first, 1, buf);
    assert_non_null (strstr (buf, "glibc before 2.34 (malloc_hook_ini"));
    explain_last (HS_PROFILE_GLIBC_2_36, first, 1, buf);
    assert_null (strstr (buf, "before 2.34"));
    for (int id = 1; id < HS_RULE_COUNT; id++)
        assert_non_null (strstr (hs_rule_sentence (id), "glibc"));
    assert_string_equal (hs_rule_sentence (HS_RULE_COUNT), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (names_and_versions_round_trip),
        cmocka_unit_test (rules_follow_the_versions),
        cmocka_unit_test (version_rules_are_named),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
