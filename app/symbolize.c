/* app/symbolize.c — naming the code at a recorded return address, after the program ended.
 * Owns: reading a recorded process's maps and turning addresses into "function (file:line)" (libdw) or "lib+0xOFF". */
#include "symbolize.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HS_HAVE_LIBDW
#include <elfutils/libdwfl.h>
#endif

typedef struct map_ent {
    uint64_t start, end, off;
    char    *path;                 /* shared between the mappings of one file */
} map_ent;

typedef struct cache_ent {
    uint64_t addr;
    char    *name;
} cache_ent;

struct hs_sym {
    map_ent   *maps;
    size_t     n_maps;
    cache_ent *cache;              /* open addressing on addr; name NULL = empty */
    size_t     cache_cap, cache_n;
#ifdef HS_HAVE_LIBDW
    Dwfl      *dwfl;
#endif
};

#ifdef HS_HAVE_LIBDW
static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};
#endif

static int cmp_map(const void *a, const void *b)
{
    const map_ent *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* See symbolize.h. */
hs_sym *hs_sym_open(const char *maps_path)
{
    hs_sym *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    FILE *f = maps_path ? fopen(maps_path, "r") : NULL;
    char *line = NULL;
    size_t cap = 0, mcap = 0;
    while (f != NULL && getline(&line, &cap, f) > 0) {
        unsigned long long st, en, off;
        char perms[8];
        int pos = 0;
        if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &st, &en, perms, &off, &pos) < 4 || pos == 0)
            continue;
        char *p = line + pos;
        p[strcspn(p, "\n")] = 0;
        if (p[0] != '/')
            continue;                          /* anonymous, [heap], [stack], [vdso] */
        int dup = 0;
        for (size_t i = 0; i < s->n_maps; i++)
            if (s->maps[i].start == st && s->maps[i].end == en) {
                dup = 1;
                break;
            }
        if (dup)
            continue;
        if (s->n_maps == mcap) {
            size_t nc = mcap ? mcap * 2 : 64;
            map_ent *nm = realloc(s->maps, nc * sizeof *nm);
            if (nm == NULL)
                break;
            s->maps = nm;
            mcap = nc;
        }
        char *path = NULL;
        for (size_t i = 0; i < s->n_maps && path == NULL; i++)
            if (strcmp(s->maps[i].path, p) == 0)
                path = s->maps[i].path;
        if (path == NULL && (path = strdup(p)) == NULL)
            break;
        s->maps[s->n_maps++] = (map_ent){ st, en, off, path };
    }
    free(line);
    if (f != NULL)
        fclose(f);
    if (s->n_maps > 1)
        qsort(s->maps, s->n_maps, sizeof *s->maps, cmp_map);
#ifdef HS_HAVE_LIBDW
    s->dwfl = dwfl_begin(&callbacks);
    if (s->dwfl != NULL) {
        dwfl_report_begin(s->dwfl);
        for (size_t i = 0; i < s->n_maps; i++) {
            int first = 1;
            for (size_t j = 0; j < i; j++)
                if (s->maps[j].path == s->maps[i].path)
                    first = 0;
            if (!first)
                continue;
            /* the file's load base: its lowest mapping minus that mapping's offset */
            dwfl_report_elf(s->dwfl, s->maps[i].path, s->maps[i].path, -1,
                            s->maps[i].start - s->maps[i].off, false);
        }
        dwfl_report_end(s->dwfl, NULL, NULL);
    }
#endif
    return s;
}

/* The mapping holding addr, or NULL.  Never fails. */
static const map_ent *find_map(const hs_sym *s, uint64_t addr)
{
    size_t lo = 0, hi = s->n_maps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (addr < s->maps[mid].start)
            hi = mid;
        else if (addr >= s->maps[mid].end)
            lo = mid + 1;
        else
            return &s->maps[mid];
    }
    return NULL;
}

/* The name of addr, made fresh (malloc'd), or NULL when out of memory. */
static char *describe(hs_sym *s, uint64_t addr)
{
    char buf[1024];
    const map_ent *m = find_map(s, addr);
    const char *lib = m ? strrchr(m->path, '/') : NULL;
    lib = lib ? lib + 1 : m ? m->path : NULL;
#ifdef HS_HAVE_LIBDW
    if (s->dwfl != NULL && addr > 0) {
        /* a return address is just past the call: look up the call itself */
        Dwarf_Addr a = addr - 1;
        Dwfl_Module *mod = dwfl_addrmodule(s->dwfl, a);
        if (mod != NULL) {
            GElf_Off off = 0;
            GElf_Sym sym;
            const char *fn = dwfl_module_addrinfo(mod, a, &off, &sym, NULL, NULL, NULL);
            Dwfl_Line *dl = dwfl_module_getsrc(mod, a);
            int lineno = 0;
            const char *src = dl ? dwfl_lineinfo(dl, NULL, &lineno, NULL, NULL, NULL) : NULL;
            if (fn != NULL && src != NULL && lineno > 0) {
                const char *base = strrchr(src, '/');
                snprintf(buf, sizeof buf, "%s (%s:%d)", fn, base ? base + 1 : src, lineno);
                return strdup(buf);
            }
            if (fn != NULL) {
                snprintf(buf, sizeof buf, "%s+0x%" PRIx64 " (%s)", fn, (uint64_t)off + 1, lib ? lib : "?");
                return strdup(buf);
            }
        }
    }
#endif
    if (m != NULL)
        snprintf(buf, sizeof buf, "%s+0x%" PRIx64, lib, addr - m->start + m->off);
    else
        snprintf(buf, sizeof buf, "0x%" PRIx64, addr);
    return strdup(buf);
}

/* See symbolize.h. */
const char *hs_sym_name(hs_sym *s, uint64_t addr)
{
    if (s == NULL)
        return NULL;
    if (s->cache_n + 1 > s->cache_cap / 2) {
        size_t nc = s->cache_cap ? s->cache_cap * 2 : 1024;
        cache_ent *n = calloc(nc, sizeof *n);
        if (n == NULL)
            return NULL;
        for (size_t i = 0; i < s->cache_cap; i++) {
            if (s->cache[i].name == NULL)
                continue;
            size_t j = (s->cache[i].addr * 0x9E3779B97F4A7C15ull >> 20) & (nc - 1);
            while (n[j].name != NULL)
                j = (j + 1) & (nc - 1);
            n[j] = s->cache[i];
        }
        free(s->cache);
        s->cache = n;
        s->cache_cap = nc;
    }
    size_t j = (addr * 0x9E3779B97F4A7C15ull >> 20) & (s->cache_cap - 1);
    for (; s->cache[j].name != NULL; j = (j + 1) & (s->cache_cap - 1))
        if (s->cache[j].addr == addr)
            return s->cache[j].name;
    char *name = describe(s, addr);
    if (name == NULL)
        return NULL;
    s->cache[j].addr = addr;
    s->cache[j].name = name;
    s->cache_n++;
    return name;
}

/* See symbolize.h. */
void hs_sym_close(hs_sym *s)
{
    if (s == NULL)
        return;
#ifdef HS_HAVE_LIBDW
    if (s->dwfl != NULL)
        dwfl_end(s->dwfl);
#endif
    for (size_t i = 0; i < s->cache_cap; i++)
        free(s->cache[i].name);
    free(s->cache);
    for (size_t i = 0; i < s->n_maps; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (s->maps[j].path == s->maps[i].path)
                first = 0;
        if (first)
            free(s->maps[i].path);
    }
    free(s->maps);
    free(s);
}
