/* app/alloc.c — --allocator NAME: which Debian allocator library the replayer gets preloaded.
 * Owns: the allocator names (in `compare`'s order), their packages and where their .so lies. */
#include "app.h"
#include "../real/real.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The multiarch directory Debian's packages install their libraries in. */
#if defined(__x86_64__)
#define HS_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define HS_MULTIARCH "aarch64-linux-gnu"
#elif defined(__i386__)
#define HS_MULTIARCH "i386-linux-gnu"
#else
#define HS_MULTIARCH ""
#endif

typedef struct alloc_def {
    const char *name;   /* --allocator NAME */
    const char *pkg;    /* the Debian package that ships it (scripts/setup.sh installs it) */
    const char *so;     /* its shared object in the multiarch directory; NULL: glibc's own */
} alloc_def;

static const alloc_def defs[] = {
    { "glibc", "libc6", NULL },
    { "jemalloc", "libjemalloc2", "libjemalloc.so.2" },
    { "tcmalloc", "libtcmalloc-minimal4", "libtcmalloc_minimal.so.4" },
    { "mimalloc", "libmimalloc2.0", "libmimalloc.so.2" },
};

/* See app.h. */
size_t hs_app_allocator_count(void)
{
    return sizeof defs / sizeof defs[0];
}

/* See app.h. */
const char *hs_app_allocator_name(size_t i)
{
    return i < hs_app_allocator_count() ? defs[i].name : NULL;
}

/* See app.h. */
int hs_app_allocator(const char *name, char *path, size_t len, char *msg, size_t msglen)
{
    path[0] = '\0';
    for (size_t i = 0; i < hs_app_allocator_count(); i++) {
        const alloc_def *d = &defs[i];
        if (!name || strcmp(name, d->name) != 0)
            continue;
        if (!d->so)
            return 0;
        static const char *const dirs[] = { "/usr/lib/" HS_MULTIARCH, "/lib/" HS_MULTIARCH };
        for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
            int n = snprintf(path, len, "%s/%s", dirs[k], d->so);
            if (n > 0 && (size_t)n < len && access(path, R_OK) == 0)
                return 0;
        }
        path[0] = '\0';
        snprintf(msg, msglen, "%s is not installed (no %s in /usr/lib/%s): apt-get install %s",
                 d->name, d->so, HS_MULTIARCH, d->pkg);
        return -2;
    }
    int n = snprintf(msg, msglen, "unknown allocator '%s' (one of:", name ? name : "");
    for (size_t i = 0; i < hs_app_allocator_count() && n > 0 && (size_t)n < msglen; i++)
        n += snprintf(msg + n, msglen - (size_t)n, " %s", defs[i].name);
    if (n > 0 && (size_t)n < msglen)
        snprintf(msg + n, msglen - (size_t)n, ")");
    return -1;
}

/* See app.h. */
bool hs_app_allocator_is(const struct hs_real_info *info, const char *preload)
{
    if (!preload || !preload[0])
        return info->glibc_malloc != 0;
    return !info->glibc_malloc && strcmp(info->malloc_lib, preload) == 0;
}
