/* app/glibc.c — which glibc a subcommand models and replays against: `--glibc VERSION`.
 * Owns: reading the machine's glibc version, finding scripts/fetch-glibc.sh's cache and the replayer for it. */
#include "app.h"

#include <gnu/libc-version.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The machine's glibc version ("2.36"), as gnu_get_libc_version() says. */
const char *hs_app_machine_glibc(void)
{
    return gnu_get_libc_version();
}

/* The profile of the machine's glibc; glibc-2.36 when no profile models it. */
hs_profile hs_app_default_profile(void)
{
    int p = hs_profile_from_version(hs_app_machine_glibc());
    return p < 0 ? HS_PROFILE_GLIBC_2_36 : (hs_profile)p;
}

/* See app.h: prints a message and returns -1 for a version without a profile. */
int hs_app_glibc_profile(const char *cmd, const char *version, hs_profile *out)
{
    int p = hs_profile_from_version(version);
    if (p < 0) {
        fprintf(stderr, "heapsim %s: no model of glibc '%s' (--glibc takes one of %s)\n", cmd,
                version ? version : "", HS_PROFILE_VERSIONS);
        return -1;
    }
    *out = (hs_profile)p;
    return 0;
}

/* The cache scripts/fetch-glibc.sh fills: $HEAPSIM_GLIBC_CACHE, else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/heapsim/glibc; "" when none can be named. */
static void cache_dir(char *out, size_t len)
{
    const char *c = getenv("HEAPSIM_GLIBC_CACHE"), *x = getenv("XDG_CACHE_HOME"),
               *h = getenv("HOME");
    if (c && *c) snprintf(out, len, "%s", c);
    else if (x && *x) snprintf(out, len, "%s/heapsim/glibc", x);
    else if (h && *h) snprintf(out, len, "%s/.cache/heapsim/glibc", h);
    else out[0] = '\0';
}

/* See app.h. */
int hs_app_glibc_real(hs_profile p, hs_app_glibc *g, char *msg, size_t msglen)
{
    memset(g, 0, sizeof *g);
    const char *v = hs_profile_version(p);
    int own = hs_profile_from_version(hs_app_machine_glibc());
    if (own >= 0 && (hs_profile)own == p) return 0;   /* the machine's own glibc */
    char cache[PATH_MAX - 64], ok[PATH_MAX];
    cache_dir(cache, sizeof cache);
    snprintf(ok, sizeof ok, "%s/%s/ok", cache, v);
    if (!cache[0] || access(ok, R_OK) != 0) {
        snprintf(msg, msglen, "glibc %s is not in the cache %s (this machine runs %s): "
                 "fetch it with scripts/fetch-glibc.sh %s", v, cache[0] ? cache : "(no $HOME)",
                 hs_app_machine_glibc(), v);
        return -1;
    }
    snprintf(g->ldso, sizeof g->ldso, "%s/%s/ld.so", cache, v);
    snprintf(g->libpath, sizeof g->libpath, "%s/%s/lib", cache, v);
    if (hs_profile_has_mallinfo2(p)) return 0;
    /* Before 2.34 the usual replayer cannot run (__libc_start_main@GLIBC_2.34,
     * mallinfo2): the one built against that version's libc6-dev, beside it. */
    snprintf(g->replayer, sizeof g->replayer, "%s-%s", hs_app_replayer(), v);
    if (access(g->replayer, X_OK) != 0) {
        snprintf(msg, msglen, "%s is missing: it is built only when glibc %s is in the cache "
                 "at configure time (scripts/fetch-glibc.sh %s, then cmake again)", g->replayer, v, v);
        return -1;
    }
    return 0;
}
