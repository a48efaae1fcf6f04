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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (names_and_versions_round_trip),
        cmocka_unit_test (rules_follow_the_versions),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
