/* app/symbolize.h — naming recorded return addresses after the program ended.
 * Owns: hs_sym (a recorded process's maps, and libdw's view of its files when built with it). */
#ifndef HS_SYMBOLIZE_H
#define HS_SYMBOLIZE_H

#include <stdint.h>

typedef struct hs_sym hs_sym;

/* Reads a maps file the recorder wrote (dumps of /proc/PID/maps after
 * "--" lines; all dumps are merged).  A missing or unreadable file gives a
 * symboliser that names addresses in hex.  Returns NULL only when out of
 * memory. */
hs_sym *hs_sym_open(const char *maps_path);

/* "function (file.c:LINE)" where debug info allows, "function+0xOFF
 * (library)" with symbols only, "library+0xOFF" or "0xADDR" otherwise.
 * The string lives as long as s.  NULL when out of memory or s is NULL. */
const char *hs_sym_name(hs_sym *s, uint64_t addr);

void hs_sym_close(hs_sym *s);

#endif
