/* loader/json_check.c — the loader's own pass over raw JSON text, for exact error positions.
 * Owns: byte checks (NUL, UTF-8), the cJSON grammar with line:column messages, skipping, line math. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "loader/ld_internal.h"

/* JSON whitespace: space, tab, LF, CR (cJSON takes any byte <= 32; we do not).  Never fails. */
static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ASCII 0-9, whatever the locale.  Never fails. */
static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Characters cJSON's parse_number copies before calling strtod. */
static int is_num_char(unsigned char c)
{
    return is_digit(c) || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

/* ASCII letters: where a true/false/null word may start.  Never fails. */
static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Never fails: a sequence that is not valid UTF-8 gives 0. */
size_t ld_utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)                       /* continuation byte or overlong 2-byte lead */
        return 0;
    if (c < 0xE0)
        return (n >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)   /* overlong */
            return 0;
        if (c == 0xED && p[1] >= 0xA0)  /* UTF-16 surrogate */
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90)   /* overlong */
            return 0;
        if (c == 0xF4 && p[1] >= 0x90)  /* beyond U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

/* Never fails: out is always terminated, cut short if it is too small. */
void ld_quote(const char *s, size_t n, char *out, size_t outlen)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0, i = 0, chars = 0;
    if (outlen < 8) {
        if (outlen > 0)
            out[0] = 0;
        return;
    }
    /* room for: closing quote, "...", NUL */
#define PUT(str) do { size_t l_ = strlen(str); if (o + l_ + 5 > outlen) goto done; \
                      memcpy(out + o, str, l_); o += l_; } while (0)
    PUT("\"");
    while (i < n) {
        char tmp[8];
        if (chars == LD_QUOTE_CHARS)
            break;
        if (p[i] == '"' || p[i] == '\\') {
            tmp[0] = '\\'; tmp[1] = (char)p[i]; tmp[2] = 0;
            PUT(tmp);
            i++;
        } else if (p[i] == '\n') {
            PUT("\\n"); i++;
        } else if (p[i] == '\t') {
            PUT("\\t"); i++;
        } else if (p[i] < 0x20 || p[i] == 0x7f) {
            snprintf(tmp, sizeof tmp, "\\x%02X", p[i]);
            PUT(tmp);
            i++;
        } else if (p[i] < 0x80) {
            tmp[0] = (char)p[i]; tmp[1] = 0;
            PUT(tmp);
            i++;
        } else {
            size_t l = ld_utf8_seq(p + i, n - i);
            if (l == 0) {
                snprintf(tmp, sizeof tmp, "\\x%02X", p[i]);
                l = 1;
            } else {
                memcpy(tmp, p + i, l);
                tmp[l] = 0;
            }
            PUT(tmp);
            i += l;
        }
        chars++;
    }
#undef PUT
done:
    if (i < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = 0;
}

/* Describes the byte(s) at off for a message: 'x', "end of file", a
 * control character, a UTF-8 character or an invalid byte. */
static void describe_at(const unsigned char *b, size_t len, size_t off,
                        const char *eof_word, char *out, size_t outlen)
{
    if (off >= len) {
        snprintf(out, outlen, "%s", eof_word);
    } else if (b[off] == 0) {
        snprintf(out, outlen, "NUL byte");
    } else if (b[off] < 0x20 || b[off] == 0x7f) {
        snprintf(out, outlen, "control character 0x%02X", b[off]);
    } else if (b[off] < 0x80) {
        snprintf(out, outlen, "'%c'", b[off]);
    } else {
        size_t l = ld_utf8_seq(b + off, len - off);
        if (l == 0)
            snprintf(out, outlen, "byte 0x%02X (not valid UTF-8)", b[off]);
        else
            snprintf(out, outlen, "'%.*s'", (int)l, (const char *)b + off);
    }
}

/* Records a syntax error at off in s.  Always returns -1. */
static int fail(ld_syntax *s, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(ld_syntax *s, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    s->off = off;
    return -1;
}

/* "unexpected X (expected Y)" at off. */
static int fail_unexpected(ld_syntax *s, const unsigned char *b, size_t len, size_t off,
                           const char *expected)
{
    char what[64];
    describe_at(b, len, off, s->eof_word, what, sizeof what);
    if (off < len && b[off] >= 0x80 && ld_utf8_seq(b + off, len - off) == 0)
        return fail(s, off, "invalid UTF-8 (byte 0x%02X)", b[off]);
    return fail(s, off, "unexpected %s (expected %s)", what, expected);
}

/* The 4 hex digits at b[i]: returns 1 with *v set, or 0 if they are not
 * 4 hex digits within len. */
static int hex4(const unsigned char *b, size_t len, size_t i, unsigned *v)
{
    unsigned r = 0;
    if (i + 4 > len)
        return 0;
    for (size_t k = 0; k < 4; k++) {
        unsigned char c = b[i + k];
        r <<= 4;
        if (c >= '0' && c <= '9') r |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') r |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') r |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *v = r;
    return 1;
}

/* Bytes a string may hold with nothing to check: ASCII but NUL, '"' and
 * '\\'.  (One load a byte in scan_string's loop.) */
static const unsigned char str_plain[256] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* A string at *pi (a '"'), as cJSON's parse_string accepts it, without NUL
 * or invalid UTF-8.  On failure returns -1 with s filled. */
static int scan_string(const unsigned char *b, size_t len, size_t *pi, ld_syntax *s)
{
    size_t start = *pi, i = start + 1;
    for (;;) {
        unsigned char c;
        while (i < len && str_plain[b[i]])
            i++;                        /* plain ASCII (not NUL): nothing to check */
        if (i >= len)
            return fail(s, start, "unterminated string (no closing '\"' before the %s)", s->eof_word);
        c = b[i];
        if (c == '"') {
            *pi = i + 1;
            return 0;
        }
        if (c == '\\') {
            unsigned char e;
            unsigned v, w;
            if (i + 1 >= len)
                return fail(s, start, "unterminated string (no closing '\"' before the %s)", s->eof_word);
            e = b[i + 1];
            if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                i += 2;
                continue;
            }
            if (e != 'u') {
                char what[64];
                describe_at(b, len, i + 1, s->eof_word, what, sizeof what);
                return fail(s, i, "invalid escape in a string: a backslash followed by %s "
                            "(valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", what);
            }
            if (!hex4(b, len, i + 2, &v))
                return fail(s, i, "invalid escape in a string: \\u must be followed by 4 hex digits");
            if (v == 0)
                return fail(s, i, "\\u0000 (a NUL character) is not allowed in a string");
            if (v >= 0xDC00 && v <= 0xDFFF)
                return fail(s, i, "invalid escape \\u%04X in a string: a low surrogate without a high one", v);
            if (v >= 0xD800 && v <= 0xDBFF) {
                if (i + 12 <= len && b[i + 6] == '\\' && b[i + 7] == 'u' && hex4(b, len, i + 8, &w)
                    && w >= 0xDC00 && w <= 0xDFFF) {
                    i += 12;
                    continue;
                }
                return fail(s, i, "invalid escape \\u%04X in a string: a high surrogate must be "
                            "followed by a low one (\\uDC00 to \\uDFFF)", v);
            }
            i += 6;
            continue;
        }
        if (c == 0)
            return fail(s, i, "NUL byte in a string");
        if (c >= 0x80) {
            size_t l = ld_utf8_seq(b + i, len - i);
            if (l == 0)
                return fail(s, i, "invalid UTF-8 in a string (byte 0x%02X)", c);
            i += l;
            continue;
        }
        i++;
    }
}

/* A number at *pi, as cJSON accepts it: the run of characters it copies
 * must be exactly what strtod reads. */
static int scan_number(const unsigned char *b, size_t len, size_t *pi, ld_syntax *s)
{
    size_t start = *pi, end = start, k = start, d1 = 0, d2 = 0;
    while (end < len && is_num_char(b[end]))
        end++;
    if (k < end && b[k] == '-')
        k++;
    while (k + d1 < end && is_digit(b[k + d1]))
        d1++;
    k += d1;
    if (k < end && b[k] == '.') {
        while (k + 1 + d2 < end && is_digit(b[k + 1 + d2]))
            d2++;
        if (d1 > 0 || d2 > 0)
            k += 1 + d2;
    }
    if (d1 > 0 || d2 > 0) {
        if (k < end && (b[k] == 'e' || b[k] == 'E')) {
            size_t m = k + 1, d3 = 0;
            if (m < end && (b[m] == '+' || b[m] == '-'))
                m++;
            while (m + d3 < end && is_digit(b[m + d3]))
                d3++;
            if (d3 > 0)
                k = m + d3;
        }
    }
    if ((d1 == 0 && d2 == 0) || k != end) {
        char q[64];
        ld_quote((const char *)b + start, end - start, q, sizeof q);
        return fail(s, start, "invalid number %s", q);
    }
    *pi = end;
    return 0;
}

/* true, false or null at *pi. */
static int scan_word(const unsigned char *b, size_t len, size_t *pi, ld_syntax *s)
{
    size_t start = *pi, end = start, n;
    while (end < len && (is_alpha(b[end]) || is_digit(b[end]) || b[end] == '_'))
        end++;
    n = end - start;
    if ((n == 4 && memcmp(b + start, "true", 4) == 0) || (n == 5 && memcmp(b + start, "false", 5) == 0)
        || (n == 4 && memcmp(b + start, "null", 4) == 0)) {
        *pi = end;
        return 0;
    }
    {
        char q[64];
        ld_quote((const char *)b + start, n, q, sizeof q);
        return fail(s, start, "invalid word %s (expected a value: a string, a number, an object, "
                    "an array, true, false or null)", q);
    }
}

/* The first offset at or after i that is not whitespace (len at the end).
 * Never fails. */
static size_t skip_ws_u(const unsigned char *b, size_t len, size_t i)
{
    while (i < len && is_ws(b[i]))
        i++;
    return i;
}

/* See ld_internal.h.  An iterative walk (no recursion: depth is an array)
 * that mirrors cJSON 1.7.15's grammar; on failure returns -1 with the
 * first problem in s. */
int ld_json_check(const char *buf, size_t len, ld_syntax *s)
{
    const unsigned char *b = (const unsigned char *)buf;
    unsigned char stack[CJSON_NESTING_LIMIT];
    size_t depth = 0, i = 0, comma = 0;
    int after_comma = 0;

    s->empty = 0;
    s->msg[0] = 0;
    if (s->eof_word == NULL)
        s->eof_word = "end of file";
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)  /* UTF-8 BOM, as cJSON */
        i = 3;
    i = skip_ws_u(b, len, i);
    if (i == len) {
        s->empty = 1;
        return fail(s, i, "no JSON value before the %s", s->eof_word);
    }
    s->top_off = i;

value:
    i = skip_ws_u(b, len, i);
    if (i >= len)
        return fail_unexpected(s, b, len, i, "a value");
    switch (b[i]) {
    case '{':
    case '[':
        if (depth == CJSON_NESTING_LIMIT)
            return fail(s, i, "nesting deeper than %d levels of arrays and objects", CJSON_NESTING_LIMIT);
        stack[depth++] = b[i];
        i = skip_ws_u(b, len, i + 1);
        if (stack[depth - 1] == '{') {
            if (i < len && b[i] == '}') {
                i++;
                depth--;
                goto after;
            }
            after_comma = 0;
            goto key;
        }
        if (i < len && b[i] == ']') {
            i++;
            depth--;
            goto after;
        }
        goto value;
    case '"':
        if (scan_string(b, len, &i, s) < 0)
            return -1;
        goto after;
    case '-':
        if (scan_number(b, len, &i, s) < 0)
            return -1;
        goto after;
    default:
        if (is_digit(b[i])) {
            if (scan_number(b, len, &i, s) < 0)
                return -1;
            goto after;
        }
        if (is_alpha(b[i])) {
            if (scan_word(b, len, &i, s) < 0)
                return -1;
            goto after;
        }
        return fail_unexpected(s, b, len, i, "a value");
    }

key:
    if (i < len && b[i] == '}' && after_comma)
        return fail(s, comma, "trailing comma before '}'");
    if (i >= len || b[i] != '"')
        return fail_unexpected(s, b, len, i, "a member name in double quotes");
    if (scan_string(b, len, &i, s) < 0)
        return -1;
    i = skip_ws_u(b, len, i);
    if (i >= len || b[i] != ':')
        return fail_unexpected(s, b, len, i, "':' after the member name");
    i++;
    goto value;

after:
    i = skip_ws_u(b, len, i);
    if (depth == 0) {
        if (i < len) {
            char what[64];
            describe_at(b, len, i, s->eof_word, what, sizeof what);
            if (b[i] == '{' && memchr(b, '\n', i) != NULL)
                return fail(s, i, "unexpected %s after the end of the JSON value "
                            "(a JSON Lines trace must be named .jsonl)", what);
            return fail(s, i, "unexpected %s after the end of the JSON value", what);
        }
        return 0;
    }
    {
        unsigned char close = stack[depth - 1] == '{' ? '}' : ']';
        if (i < len && b[i] == ',') {
            comma = i;
            i = skip_ws_u(b, len, i + 1);
            if (close == '}') {
                after_comma = 1;
                goto key;
            }
            if (i < len && b[i] == ']')
                return fail(s, comma, "trailing comma before ']'");
            goto value;
        }
        if (i < len && b[i] == close) {
            i++;
            depth--;
            goto after;
        }
        return fail_unexpected(s, b, len, i, close == '}' ? "',' or '}' after an object member"
                                                          : "',' or ']' after an array element");
    }
}

/* See ld_internal.h.  Never fails. */
size_t ld_skip_ws(const char *buf, size_t len, size_t i)
{
    return skip_ws_u((const unsigned char *)buf, len, i);
}

/* See ld_internal.h.  An unterminated string ends at len (cannot happen
 * in checked text). */
size_t ld_skip_string(const char *buf, size_t len, size_t i)
{
    i++;
    while (i < len && buf[i] != '"')
        i += buf[i] == '\\' ? 2 : 1;
    return i < len ? i + 1 : len;
}

/* See ld_internal.h.  Iterative; never reads past len, returns len if the
 * value runs to the end. */
size_t ld_skip_value(const char *buf, size_t len, size_t i)
{
    size_t depth = 0;
    do {
        unsigned char c;
        if (i >= len)
            return len;
        c = (unsigned char)buf[i];
        if (c == '"') {
            i = ld_skip_string(buf, len, i);
        } else if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            if (depth > 0)
                depth--;
            i++;
        } else if (c == ',' || c == ':' || is_ws(c)) {
            i++;
        } else {
            while (i < len && !is_ws((unsigned char)buf[i]) && buf[i] != ',' && buf[i] != ':'
                   && buf[i] != ']' && buf[i] != '}' && buf[i] != '[' && buf[i] != '{' && buf[i] != '"')
                i++;
        }
    } while (depth > 0);
    return i;
}

/* See ld_internal.h.  An offset past len counts as len.  Never fails. */
void ld_line_col(const char *buf, size_t len, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, c = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {  /* count characters, not continuation bytes */
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* See ld_internal.h.  An offset before the previous one gives the previous
 * line.  Never fails. */
uint32_t ld_line_at(ld_lines *lc, size_t off)
{
    while (lc->off < off) {
        const char *nl = memchr(lc->buf + lc->off, '\n', off - lc->off);
        if (nl == NULL) {
            lc->off = off;
            break;
        }
        lc->line++;
        lc->off = (size_t)(nl - lc->buf) + 1;
    }
    return lc->line;
}
