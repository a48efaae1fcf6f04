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

#ifdef HS_HAVE_LIBDW
/* One sized symbol of a module, for the fast lookup (mod_syms). */
typedef struct sym_ent {
    uint64_t lo, hi;               /* [lo, hi): its address range, absolute */
    const char *name;              /* libdw's string, alive as long as the Dwfl */
} sym_ent;

/* A module's sized symbols sorted by start, and its sizeless symbols'
 * addresses sorted (the cases the fast lookup leaves to libdw). */
typedef struct mod_syms {
    Dwfl_Module *mod;
    sym_ent *v;
    size_t n;
    uint64_t *bare;                /* addresses of sizeless symbols */
    size_t n_bare;
    uint64_t max_len;              /* the longest sized symbol */
    int failed;                    /* the table could not be read: always ask libdw */
} mod_syms;
#endif

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
    mod_syms  *mods;               /* one per module asked about */
    size_t     n_mods, mods_cap;
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

#ifdef HS_HAVE_LIBDW
static int cmp_sym(const void *a, const void *b)
{
    const sym_ent *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int cmp_u64(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

/* The symbol table of mod, read once (dwfl_module_addrinfo reads every
 * symbol on each call: 28,898 symbols a lookup in gcc's cc1).  Returns
 * NULL when out of memory; a table that cannot be read is marked failed. */
static mod_syms *syms_of(hs_sym *s, Dwfl_Module *mod)
{
    for (size_t i = 0; i < s->n_mods; i++)
        if (s->mods[i].mod == mod)
            return &s->mods[i];
    if (s->n_mods == s->mods_cap) {
        size_t nc = s->mods_cap ? s->mods_cap * 2 : 16;
        mod_syms *nm = realloc(s->mods, nc * sizeof *nm);
        if (nm == NULL)
            return NULL;
        s->mods = nm;
        s->mods_cap = nc;
    }
    mod_syms *m = &s->mods[s->n_mods++];
    memset(m, 0, sizeof *m);
    m->mod = mod;
    int n = dwfl_module_getsymtab(mod);
    if (n <= 0) {
        m->failed = 1;
        return m;
    }
    m->v = malloc((size_t)n * sizeof *m->v);
    m->bare = malloc((size_t)n * sizeof *m->bare);
    if (m->v == NULL || m->bare == NULL) {
        m->failed = 1;
        return m;
    }
    for (int i = 1; i < n; i++) {
        GElf_Sym sym;
        GElf_Addr value;
        GElf_Word shndx;
        const char *name = dwfl_module_getsym_info(mod, i, &sym, &value, &shndx, NULL, NULL);
        /* the symbols libdw's lookup considers: named, defined, not a
         * section, file or TLS symbol */
        if (name == NULL || name[0] == 0 || sym.st_shndx == SHN_UNDEF || GELF_ST_TYPE(sym.st_info) == STT_SECTION
            || GELF_ST_TYPE(sym.st_info) == STT_FILE || GELF_ST_TYPE(sym.st_info) == STT_TLS)
            continue;
        if (sym.st_size == 0) {
            m->bare[m->n_bare++] = value;
            continue;
        }
        m->v[m->n++] = (sym_ent){ value, value + sym.st_size, name };
        if (sym.st_size > m->max_len)
            m->max_len = sym.st_size;
    }
    qsort(m->v, m->n, sizeof *m->v, cmp_sym);
    qsort(m->bare, m->n_bare, sizeof *m->bare, cmp_u64);
    return m;
}

/* What dwfl_module_addrinfo answers for a, without its walk over every
 * symbol, in the two cases that settle it: one sized symbol holds a and no
 * sizeless one starts at a (returns FAST_ONE, the name in *name and the
 * offset in *off), or no sized symbol holds a and no sizeless one starts
 * at or below it (FAST_NONE: libdw finds no symbol either).  Otherwise
 * (aliases, assembly labels, no table) FAST_ASK: libdw's preferences
 * decide.  Never fails. */
enum { FAST_ASK, FAST_ONE, FAST_NONE };
static int fast_name(const mod_syms *m, uint64_t a, const char **name, uint64_t *off)
{
    if (m == NULL || m->failed)
        return FAST_ASK;
    size_t lo = 0, hi = m->n;                  /* the first symbol starting after a */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->v[mid].lo <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    const sym_ent *found = NULL;
    for (size_t i = lo; i-- > 0 && a - m->v[i].lo < m->max_len;) {
        if (a >= m->v[i].hi)
            continue;
        if (found != NULL)
            return FAST_ASK;                   /* two hold it: libdw's preferences decide */
        found = &m->v[i];
    }
    size_t b = 0, e = m->n_bare;               /* the first sizeless symbol above a */
    while (b < e) {
        size_t mid = (b + e) / 2;
        if (m->bare[mid] <= a)
            b = mid + 1;
        else
            e = mid;
    }
    if (found == NULL)
        return b == 0 ? FAST_NONE : FAST_ASK;  /* a label at or below a may name it */
    if (b > 0 && m->bare[b - 1] == a)
        return FAST_ASK;
    *name = found->name;
    *off = a - found->lo;
    return FAST_ONE;
}
#endif

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
            uint64_t off = 0;
            const char *fn = NULL;
            int how = fast_name(syms_of(s, mod), a, &fn, &off);
            if (how == FAST_ASK) {
                GElf_Off o = 0;
                GElf_Sym sym;
                fn = dwfl_module_addrinfo(mod, a, &o, &sym, NULL, NULL, NULL);
                off = o;
            }
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
    for (size_t i = 0; i < s->n_mods; i++) {
        free(s->mods[i].v);
        free(s->mods[i].bare);
    }
    free(s->mods);
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
