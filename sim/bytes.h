/* sim/bytes.h — byte counts as text, in the three styles heapsim prints them.
 * Owns: every byte formatter (sim/bytes.c); no other file formats a size. */
#ifndef HS_BYTES_H
#define HS_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* In the words a person reads, exact below 10 MiB (the model's
 * explanations): "656 bytes", "128 KiB", "30 KiB + 16 bytes", "2 MiB";
 * above, two decimals, "12.50 MiB". */
void hs_bytes_words(uint64_t v, char *buf, size_t len);
/* Exact, as a trace may write it (op text): "30K", "2M", "1G" for exact
 * multiples, else the digits: "100". */
void hs_bytes_exact(uint64_t v, char *buf, size_t len);
/* Short, the seed articles' way (the window): "30K", "200K", "1.5M", "656";
 * below 10 KiB a size that is not a whole KiB stays in digits. */
void hs_bytes_short(uint64_t v, char *buf, size_t len);

/* Each writes at most len bytes, always terminated (len > 0); never fails. */

#endif
