/* import/ids.c — ids from address lifetimes: one name per live block, reused long after free.
 * Owns: hs_addr_ids (address -> id, open addressing with backward-shift deletion, the free-name pool). */
#include <stdlib.h>

#include "import/import.h"

static size_t slot_of(uint64_t k, size_t cap)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

/* Puts addr -> id.  Returns 0, or -1 when out of memory. */
static int put(hs_addr_ids *m, uint64_t k, uint32_t v)
{
    if (m->n + 1 > m->cap / 2) {
        size_t nc = m->cap ? m->cap * 2 : 4096;
        uint64_t *nk = calloc(nc, sizeof *nk);
        uint32_t *nv = calloc(nc, sizeof *nv);
        if (nk == NULL || nv == NULL) {
            free(nk);
            free(nv);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->key[i] == 0)
                continue;
            size_t j = slot_of(m->key[i], nc);
            while (nk[j] != 0)
                j = (j + 1) & (nc - 1);
            nk[j] = m->key[i];
            nv[j] = m->val[i];
        }
        free(m->key);
        free(m->val);
        m->key = nk;
        m->val = nv;
        m->cap = nc;
    }
    size_t j = slot_of(k, m->cap);
    while (m->key[j] != 0 && m->key[j] != k)
        j = (j + 1) & (m->cap - 1);
    if (m->key[j] == 0)
        m->n++;
    m->key[j] = k;
    m->val[j] = v;
    return 0;
}

/* See import.h. */
uint32_t hs_ids_find(hs_addr_ids *m, uint64_t k, int del)
{
    if (m->cap == 0 || k == 0)
        return 0;
    size_t j = slot_of(k, m->cap);
    for (; m->key[j] != 0; j = (j + 1) & (m->cap - 1)) {
        if (m->key[j] != k)
            continue;
        uint32_t v = m->val[j];
        if (!del)
            return v;
        /* backward-shift deletion keeps every probe chain whole */
        size_t i = j, nx = j;
        for (;;) {
            nx = (nx + 1) & (m->cap - 1);
            if (m->key[nx] == 0)
                break;
            size_t home = slot_of(m->key[nx], m->cap);
            if (((nx - home) & (m->cap - 1)) >= ((nx - i) & (m->cap - 1))) {
                m->key[i] = m->key[nx];
                m->val[i] = m->val[nx];
                i = nx;
            }
        }
        m->key[i] = 0;
        m->n--;
        return v;
    }
    return 0;
}

/* See import.h. */
uint32_t hs_ids_bind(hs_addr_ids *m, uint64_t addr)
{
    uint32_t id;
    if (m->pool_n > HS_IDS_REST) {          /* the name freed longest ago */
        id = m->pool[m->pool_head];
        m->pool_head = (m->pool_head + 1) % m->pool_cap;
        m->pool_n--;
    } else {
        id = ++m->next;
    }
    if (addr != 0) {
        hs_ids_find(m, addr, 1);        /* a stale entry (a block freed behind our back) goes */
        if (put(m, addr, id) < 0)
            return 0;
    }
    return id;
}

/* See import.h. */
int hs_ids_move(hs_addr_ids *m, uint64_t addr, uint32_t id)
{
    return addr == 0 ? 0 : put(m, addr, id);
}

/* See import.h. */
int hs_ids_release(hs_addr_ids *m, uint32_t id)
{
    if (m->pool_n == m->pool_cap) {          /* a bigger ring, oldest first */
        size_t nc = m->pool_cap ? m->pool_cap * 2 : 2 * HS_IDS_REST;
        uint32_t *np = malloc(nc * sizeof *np);
        if (np == NULL)
            return -1;
        for (size_t i = 0; i < m->pool_n; i++)
            np[i] = m->pool[(m->pool_head + i) % m->pool_cap];
        free(m->pool);
        m->pool = np;
        m->pool_cap = nc;
        m->pool_head = 0;
    }
    m->pool[(m->pool_head + m->pool_n++) % m->pool_cap] = id;
    return 0;
}

/* See import.h.  Never fails; the map is left empty. */
void hs_ids_free(hs_addr_ids *m)
{
    free(m->key);
    free(m->val);
    free(m->pool);
    m->key = NULL;
    m->val = NULL;
    m->pool = NULL;
    m->cap = m->n = m->pool_head = m->pool_n = m->pool_cap = 0;
    m->next = 0;
}
