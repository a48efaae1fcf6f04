/* fuzz/fuzz_lessons.c — libFuzzer target for the lesson list parser (app/lessons.c).
 * Owns: the promises of hs_lessons_parse over any bytes: 0 with good names, or -1 with a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/lessons.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hs_lessons l;
    char err[512];
    err[0] = '\0';
    if (hs_lessons_parse("lessons.txt", (const char *)data, size, "d", &l, err, sizeof err) != 0) {
        if (!err[0] || l.n != 0) abort();
        return 0;
    }
    for (size_t i = 0; i < l.n; i++) {
        size_t n = strlen(l.names[i]);
        int json = n >= 6 && !strcmp(l.names[i] + n - 5, ".json");
        int jsonl = n >= 7 && !strcmp(l.names[i] + n - 6, ".jsonl");
        if (!(json || jsonl) || strchr(l.names[i], '/') ||
            strncmp(l.paths[i], "d/", 2) || strcmp(l.paths[i] + 2, l.names[i]))
            abort();
        for (size_t j = 0; j < i; j++)
            if (!strcmp(l.names[i], l.names[j])) abort();
    }
    hs_lessons_free(&l);
    return 0;
}
