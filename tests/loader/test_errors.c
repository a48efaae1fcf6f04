/* tests/loader/test_errors.c — every kind of trace error gives exactly the contract's message.
 * Owns: the table of bad traces (.json and .jsonl, from memory) and their expected messages. */
#include "ld_test.h"

typedef struct err_case {
    const char *what;     /* test name */
    const char *name;     /* file name used in the message */
    const char *text;
    size_t      len;      /* 0: strlen(text) */
    int         jsonl;
    const char *want;
} err_case;

/* A .json document whose ops are the arguments, one per line: op N is on
 * line N + 1. */
#define OPS1(a)             "{\"ops\": [\n" a "\n]}"
#define OPS2(a, b)          "{\"ops\": [\n" a ",\n" b "\n]}"
#define OPS3(a, b, c)       "{\"ops\": [\n" a ",\n" b ",\n" c "\n]}"
#define OPS4(a, b, c, d)    "{\"ops\": [\n" a ",\n" b ",\n" c ",\n" d "\n]}"

#define J(what, text, want)        { what, "t.json", text, 0, 0, want }
#define JN(what, text, len, want)  { what, "t.json", text, len, 0, want }
#define L(what, text, want)        { what, "t.jsonl", text, 0, 1, want }

#define MA(id, size) "{\"op\": \"malloc\", \"id\": \"" id "\", \"size\": " size "}"
#define SIZE_SYNTAX "(digits with an optional K, M, G, KiB, MiB or GiB, such as \"30K\")"
#define TOO_LARGE "is too large (the largest is 2^64 - 1 = 18446744073709551615)"
#define MALLOC_TAKES "(malloc takes id, size, touch, note, label)"
#define NEVER "(never bound by malloc, calloc or memalign)"
#define EMPTY "the file is empty (a trace is a JSON object with \"ops\", see docs/trace-format.md)"
#define HDR "the first line of a .jsonl trace must be the header object ({\"format\": \"heapsim-trace/1\", ...}), "

static const err_case cases[] = {
    /* ---- syntax: FILE:LINE:COL ---- */
    J("syntax_value_expected", "{\"ops\": [}", "t.json:1:10: unexpected '}' (expected a value)"),
    J("syntax_eof", "{\"ops\": []",
      "t.json:1:11: unexpected end of file (expected ',' or '}' after an object member)"),
    J("syntax_missing_comma",
      "{\n  \"ops\": [\n    {\"op\": \"malloc\" \"id\": \"A\"}\n  ]\n}",
      "t.json:3:21: unexpected '\"' (expected ',' or '}' after an object member)"),
    J("syntax_trailing_comma_array", "{\"ops\": [1,]}", "t.json:1:11: trailing comma before ']'"),
    J("syntax_trailing_comma_object", "{\"ops\": [], }", "t.json:1:11: trailing comma before '}'"),
    J("syntax_unquoted_key", "{ops: []}",
      "t.json:1:2: unexpected 'o' (expected a member name in double quotes)"),
    J("syntax_missing_colon", "{\"ops\" []}", "t.json:1:8: unexpected '[' (expected ':' after the member name)"),
    J("syntax_unterminated_string", "{\"ops\": [], \"title\": \"abc",
      "t.json:1:22: unterminated string (no closing '\"' before the end of file)"),
    J("syntax_bad_escape", "{\"title\": \"a\\qb\", \"ops\": []}",
      "t.json:1:13: invalid escape in a string: a backslash followed by 'q' "
      "(valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"),
    J("syntax_short_u_escape", "{\"title\": \"\\u12\", \"ops\": []}",
      "t.json:1:12: invalid escape in a string: \\u must be followed by 4 hex digits"),
    J("syntax_u0000", "{\"title\": \"a\\u0000\", \"ops\": []}",
      "t.json:1:13: \\u0000 (a NUL character) is not allowed in a string"),
    J("syntax_low_surrogate", "{\"title\": \"\\udc00\", \"ops\": []}",
      "t.json:1:12: invalid escape \\uDC00 in a string: a low surrogate without a high one"),
    J("syntax_high_surrogate_alone", "{\"title\": \"\\uD800x\", \"ops\": []}",
      "t.json:1:12: invalid escape \\uD800 in a string: a high surrogate must be followed by a low one "
      "(\\uDC00 to \\uDFFF)"),
    JN("syntax_nul_in_string", "{\"title\": \"a\0b\", \"ops\": []}", 27, "t.json:1:13: NUL byte in a string"),
    JN("syntax_nul_outside", "{\"ops\": []}\0", 12,
       "t.json:1:12: unexpected NUL byte after the end of the JSON value"),
    JN("syntax_nul_first", "\0{\"ops\": []}", 12, "t.json:1:1: unexpected NUL byte (expected a value)"),
    J("syntax_control_char", "{\"ops\":\x01[]}",
      "t.json:1:8: unexpected control character 0x01 (expected a value)"),
    J("syntax_bad_utf8_string", "{\"title\": \"\xff\", \"ops\": []}",
      "t.json:1:12: invalid UTF-8 in a string (byte 0xFF)"),
    J("syntax_overlong_utf8", "{\"title\": \"\xc0\xaf\", \"ops\": []}",
      "t.json:1:12: invalid UTF-8 in a string (byte 0xC0)"),
    J("syntax_utf16_surrogate_in_utf8", "{\"title\": \"\xed\xa0\x80\", \"ops\": []}",
      "t.json:1:12: invalid UTF-8 in a string (byte 0xED)"),
    J("syntax_truncated_utf8", "{\"title\": \"\xe6\x97\", \"ops\": []}",
      "t.json:1:12: invalid UTF-8 in a string (byte 0xE6)"),
    J("syntax_bad_utf8_outside", "{\"ops\": []\xff}", "t.json:1:11: invalid UTF-8 (byte 0xFF)"),
    J("syntax_column_counts_characters", "{\"title\": \"\xe6\x97\xa5\xe6\x9c\xac\", x}",
      "t.json:1:17: unexpected 'x' (expected a member name in double quotes)"),
    J("syntax_bad_number", "{\"ops\": [], \"x\": 1.5.5}", "t.json:1:18: invalid number \"1.5.5\""),
    J("syntax_minus_alone", "{\"ops\": [], \"x\": -}", "t.json:1:18: invalid number \"-\""),
    J("syntax_exponent_alone", "{\"ops\": [], \"x\": 1e}", "t.json:1:18: invalid number \"1e\""),
    J("syntax_bad_word", "{\"ops\": [], \"x\": tru}",
      "t.json:1:18: invalid word \"tru\" (expected a value: a string, a number, an object, an array, "
      "true, false or null)"),
    J("syntax_single_quotes", "{'ops': []}",
      "t.json:1:2: unexpected ''' (expected a member name in double quotes)"),
    J("syntax_jsonl_named_json", "{\"format\": \"heapsim-trace/1\"}\n{\"op\": \"free\", \"id\": \"A\"}",
      "t.json:2:1: unexpected '{' after the end of the JSON value (a JSON Lines trace must be named .jsonl)"),
    J("syntax_two_values", "{\"ops\": []} []", "t.json:1:13: unexpected '[' after the end of the JSON value"),
    J("empty", "", "t.json: " EMPTY),
    J("only_whitespace", " \n\t\r\n ", "t.json: " EMPTY),

    /* ---- top level: FILE:LINE ---- */
    J("top_array", "[{\"op\": \"malloc\"}]",
      "t.json:1: the top level must be an object with \"ops\", not an array (put the ops in {\"ops\": [...]})"),
    J("top_number", "\n\n42", "t.json:3: the top level must be an object with \"ops\", not a number"),
    J("top_string", "\"ops\"", "t.json:1: the top level must be an object with \"ops\", not a string"),
    J("top_null", "null", "t.json:1: the top level must be an object with \"ops\", not null"),
    J("ops_missing", "{\n\"title\": \"x\"\n}", "t.json:1: missing \"ops\" (the array of operations)"),
    J("ops_not_array", "{\n\"ops\": {}}", "t.json:2: \"ops\" must be an array of ops, not an object"),
    J("ops_null", "{\"ops\": null}", "t.json:1: \"ops\" must be an array of ops, not null"),
    J("ops_twice", "{\"ops\": [],\n\"ops\": []}", "t.json:2: \"ops\" appears twice (first on line 1)"),
    J("format_wrong", "{\"format\": \"heapsim-trace/2\", \"ops\": []}",
      "t.json:1: unknown format \"heapsim-trace/2\" (this program reads \"heapsim-trace/1\")"),
    J("format_number", "{\"ops\": [],\n \"format\": 1}",
      "t.json:2: \"format\" must be the string \"heapsim-trace/1\", not 1"),
    J("title_number", "{\"title\": 5, \"ops\": []}", "t.json:1: \"title\" must be a string, not 5"),
    J("description_array", "{\"description\": [], \"ops\": []}",
      "t.json:1: \"description\" must be a string, not an array"),
    J("title_twice", "{\"title\": \"a\",\n\"title\": \"b\", \"ops\": []}",
      "t.json:2: \"title\" appears twice (first on line 1)"),

    /* ---- ops: FILE:LINE: op N ---- */
    { "brief_unknown_op", "traces/x.json",
      "{\n  \"title\": \"x\",\n  \"ops\": [\n    {\"op\": \"malloc\", \"id\": \"A\", \"size\": 1},\n"
      "    {\"op\": \"free\", \"id\": \"A\"},\n\n    {\"op\": \"mallok\", \"id\": \"B\", \"size\": 1}\n  ]\n}",
      0, 0, "traces/x.json:7: op 3: unknown op \"mallok\"" },
    J("op_not_object", OPS1("1"),
      "t.json:2: op 1: an op must be an object such as {\"op\": \"malloc\", \"id\": \"A\", \"size\": 100}, not a number"),
    J("op_array", OPS2(MA("A", "1"), "[]"),
      "t.json:3: op 2: an op must be an object such as {\"op\": \"malloc\", \"id\": \"A\", \"size\": 100}, not an array"),
    J("op_missing", OPS1("{\"id\": \"A\"}"), "t.json:2: op 1: missing field \"op\""),
    J("op_not_string", OPS1("{\"op\": 1}"), "t.json:2: op 1: op must be a string such as \"malloc\", not 1"),
    J("op_case", OPS1("{\"op\": \"Malloc\", \"id\": \"A\", \"size\": 1}"), "t.json:2: op 1: unknown op \"Malloc\""),
    J("op_long_name_quoted_short",
      OPS1("{\"op\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"),
      "t.json:2: op 1: unknown op \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\""),
    J("op_object_on_later_line", "{\"ops\": [\n  {\n    \"op\": \"malloc\",\n    \"id\": \"A\"\n  }\n]}",
      "t.json:2: op 1: missing field \"size\" " MALLOC_TAKES),
    /* unknown fields are ignored (forward compatibility), so a typo of a
     * required field shows as that field missing */
    J("field_unknown", OPS1("{\"op\": \"malloc\", \"id\": \"A\", \"sise\": 1}"),
      "t.json:2: op 1: missing field \"size\" " MALLOC_TAKES),
    J("field_twice", OPS1("{\"op\": \"malloc\", \"id\": \"A\", \"id\": \"B\", \"size\": 1}"),
      "t.json:2: op 1: field \"id\" appears twice"),
    J("missing_size", OPS1("{\"op\": \"malloc\", \"id\": \"A\"}"),
      "t.json:2: op 1: missing field \"size\" " MALLOC_TAKES),
    J("missing_id", OPS1("{\"op\": \"malloc\", \"size\": 1}"), "t.json:2: op 1: missing field \"id\" " MALLOC_TAKES),
    J("missing_nmemb", OPS1("{\"op\": \"calloc\", \"id\": \"A\", \"size\": 1}"),
      "t.json:2: op 1: missing field \"nmemb\" (calloc takes id, nmemb, size, touch, note, label)"),
    J("missing_alignment", OPS1("{\"op\": \"memalign\", \"id\": \"A\", \"size\": 1}"),
      "t.json:2: op 1: missing field \"alignment\" (memalign takes id, alignment, size, touch, note, label)"),
    J("missing_value", OPS1("{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\"}"),
      "t.json:2: op 1: missing field \"value\" (mallopt takes param, value, note, label)"),
    J("missing_pad", OPS1("{\"op\": \"malloc_trim\"}"),
      "t.json:2: op 1: missing field \"pad\" (malloc_trim takes pad, note, label)"),
    J("missing_free_id", OPS1("{\"op\": \"free\"}"), "t.json:2: op 1: missing field \"id\" (free takes id, note, label)"),
    J("id_number", OPS1("{\"op\": \"malloc\", \"id\": 5, \"size\": 1}"),
      "t.json:2: op 1: id must be a non-empty string, not 5"),
    J("id_empty", OPS1("{\"op\": \"malloc\", \"id\": \"\", \"size\": 1}"), "t.json:2: op 1: id must not be empty"),

    /* numbers and sizes */
    J("size_fraction", OPS1(MA("A", "1.5")), "t.json:2: op 1: size must be a whole number, not 1.5"),
    J("size_abc", OPS1(MA("A", "\"abc\"")), "t.json:2: op 1: size \"abc\" is not a size " SIZE_SYNTAX),
    J("size_lowercase_suffix", OPS1(MA("A", "\"30k\"")), "t.json:2: op 1: size \"30k\" is not a size " SIZE_SYNTAX),
    J("size_space", OPS1(MA("A", "\"30 K\"")), "t.json:2: op 1: size \"30 K\" is not a size " SIZE_SYNTAX),
    J("size_suffix_only", OPS1(MA("A", "\"K\"")), "t.json:2: op 1: size \"K\" is not a size " SIZE_SYNTAX),
    J("size_empty_string", OPS1(MA("A", "\"\"")), "t.json:2: op 1: size \"\" is not a size " SIZE_SYNTAX),
    J("size_hex", OPS1(MA("A", "\"0x10\"")), "t.json:2: op 1: size \"0x10\" is not a size " SIZE_SYNTAX),
    J("size_negative", OPS1(MA("A", "-1")), "t.json:2: op 1: size must not be negative (-1)"),
    J("size_negative_string", OPS1(MA("A", "\"-5\"")), "t.json:2: op 1: size must not be negative (\"-5\")"),
    J("size_true", OPS1(MA("A", "true")),
      "t.json:2: op 1: size must be a non-negative integer or a size string such as \"30K\", not true"),
    J("size_null", OPS1(MA("A", "null")),
      "t.json:2: op 1: size must be a non-negative integer or a size string such as \"30K\", not null"),
    J("size_object", OPS1(MA("A", "{}")),
      "t.json:2: op 1: size must be a non-negative integer or a size string such as \"30K\", not an object"),
    J("size_1e400", OPS1(MA("A", "1e400")), "t.json:2: op 1: size " TOO_LARGE),
    J("size_minus_1e400", OPS1(MA("A", "-1e400")), "t.json:2: op 1: size must not be negative"),
    J("size_2_pow_64", OPS1(MA("A", "18446744073709551616")),
      "t.json:2: op 1: size 1.8446744073709552e+19 " TOO_LARGE),
    J("size_string_2_pow_64", OPS1(MA("A", "\"18446744073709551616\"")),
      "t.json:2: op 1: size \"18446744073709551616\" " TOO_LARGE),
    J("size_string_suffix_overflow", OPS1(MA("A", "\"17179869184G\"")),
      "t.json:2: op 1: size \"17179869184G\" " TOO_LARGE),
    J("nmemb_fraction", OPS1("{\"op\": \"calloc\", \"id\": \"A\", \"nmemb\": 0.5, \"size\": 1}"),
      "t.json:2: op 1: nmemb must be a whole number, not 0.5"),
    J("alignment_string", OPS1("{\"op\": \"memalign\", \"id\": \"A\", \"alignment\": \"page\", \"size\": 1}"),
      "t.json:2: op 1: alignment \"page\" is not a size " SIZE_SYNTAX),
    J("pad_negative", OPS1("{\"op\": \"malloc_trim\", \"pad\": -4096}"),
      "t.json:2: op 1: pad must not be negative (-4096)"),

    /* touch */
    J("touch_past_size", OPS1("{\"op\": \"malloc\", \"id\": \"A\", \"size\": 40, \"touch\": 50}"),
      "t.json:2: op 1: touch writes past the requested size (touch 50 > 40)"),
    J("touch_past_calloc", OPS1("{\"op\": \"calloc\", \"id\": \"A\", \"nmemb\": 4, \"size\": 10, \"touch\": 41}"),
      "t.json:2: op 1: touch writes past the requested size (touch 41 > 40)"),
    J("touch_past_realloc_0", OPS2(MA("A", "8"), "{\"op\": \"realloc\", \"id\": \"A\", \"size\": 0, \"touch\": 1}"),
      "t.json:3: op 2: touch writes past the requested size (touch 1 > 0)"),
    J("touch_yes", OPS1("{\"op\": \"malloc\", \"id\": \"A\", \"size\": 40, \"touch\": \"yes\"}"),
      "t.json:2: op 1: touch must be true, false or a number of bytes, not \"yes\""),
    J("touch_null", OPS1("{\"op\": \"malloc\", \"id\": \"A\", \"size\": 40, \"touch\": null}"),
      "t.json:2: op 1: touch must be true, false or a number of bytes, not null"),
    J("touch_negative", OPS1("{\"op\": \"malloc\", \"id\": \"A\", \"size\": 40, \"touch\": -1}"),
      "t.json:2: op 1: touch must not be negative (-1)"),
    J("touch_fraction", OPS1("{\"op\": \"malloc\", \"id\": \"A\", \"size\": 40, \"touch\": 0.5}"),
      "t.json:2: op 1: touch must be a whole number, not 0.5"),

    /* liveness */
    { "brief_still_live", "t.json",
      OPS4(MA("B", "1"), MA("A", "1"), MA("C", "1"), "{\"op\": \"free\", \"id\": \"C\"}")
      , 0, 0, NULL },  /* placeholder, replaced below */
    J("calloc_on_live", OPS2(MA("A", "1"), "{\"op\": \"calloc\", \"id\": \"A\", \"nmemb\": 1, \"size\": 1}"),
      "t.json:3: op 2: id \"A\" is still live (bound by op 1)"),
    J("memalign_on_live", OPS2(MA("A", "1"), "{\"op\": \"memalign\", \"id\": \"A\", \"alignment\": 64, \"size\": 1}"),
      "t.json:3: op 2: id \"A\" is still live (bound by op 1)"),
    J("malloc_on_realloced", OPS3(MA("A", "1"), "{\"op\": \"realloc\", \"id\": \"A\", \"size\": 9}", MA("A", "2")),
      "t.json:4: op 3: id \"A\" is still live (bound by op 2)"),
    J("free_never_bound", OPS1("{\"op\": \"free\", \"id\": \"X\"}"),
      "t.json:2: op 1: free of unknown id \"X\" " NEVER),
    J("realloc_never_bound", OPS1("{\"op\": \"realloc\", \"id\": \"X\", \"size\": 8}"),
      "t.json:2: op 1: realloc of unknown id \"X\" " NEVER),
    J("realloc_freed", OPS3(MA("A", "1"), "{\"op\": \"free\", \"id\": \"A\"}",
                            "{\"op\": \"realloc\", \"id\": \"A\", \"size\": 8}"),
      "t.json:4: op 3: realloc of id \"A\", which is not live (freed by op 2)"),
    J("realloc_after_realloc_0", OPS3(MA("A", "1"), "{\"op\": \"realloc\", \"id\": \"A\", \"size\": 0}",
                                      "{\"op\": \"realloc\", \"id\": \"A\", \"size\": 8}"),
      "t.json:4: op 3: realloc of id \"A\", which is not live (freed by op 2)"),
    J("touch_never_bound", OPS1("{\"op\": \"touch\", \"id\": \"X\"}"),
      "t.json:2: op 1: touch of unknown id \"X\" " NEVER),
    J("touch_freed", OPS3(MA("A", "40"), "{\"op\": \"free\", \"id\": \"A\"}", "{\"op\": \"touch\", \"id\": \"A\"}"),
      "t.json:4: op 3: touch of id \"A\", which is not live (freed by op 2)"),
    /* a double free is legal: the message names the last free; a write
     * after it keeps the size asked for before */
    J("madvise_after_double_free", OPS4(MA("A", "40"), "{\"op\": \"free\", \"id\": \"A\"}",
                                        "{\"op\": \"free\", \"id\": \"A\"}",
                                        "{\"op\": \"madvise\", \"id\": \"A\", \"advice\": \"MADV_DONTNEED\"}"),
      "t.json:5: op 4: madvise of id \"A\", which is not live (freed by op 3)"),
    J("write_after_free_past", OPS3("{\"op\": \"calloc\", \"id\": \"A\", \"nmemb\": 3, \"size\": 8}",
                                    "{\"op\": \"free\", \"id\": \"A\"}",
                                    "{\"op\": \"write\", \"id\": \"A\", \"offset\": 24, \"value\": 1}"),
      "t.json:4: op 3: write past the requested size (offset 24 + 8 > 24)"),
    J("touch_offset_past", OPS2(MA("A", "40"), "{\"op\": \"touch\", \"id\": \"A\", \"offset\": 41}"),
      "t.json:3: op 2: touch writes past the requested size (offset 41 > 40)"),
    J("touch_len_past", OPS2(MA("A", "40"), "{\"op\": \"touch\", \"id\": \"A\", \"len\": 41}"),
      "t.json:3: op 2: touch writes past the requested size (offset 0 + len 41 > 40)"),
    J("touch_offset_len_overflow",
      OPS2(MA("A", "40"), "{\"op\": \"touch\", \"id\": \"A\", \"offset\": 8, \"len\": \"18446744073709551615\"}"),
      "t.json:3: op 2: touch writes past the requested size (offset 8 + len 18446744073709551615 > 40)"),
    J("touch_after_shrink",
      OPS3(MA("A", "100"), "{\"op\": \"realloc\", \"id\": \"A\", \"size\": 10}",
           "{\"op\": \"touch\", \"id\": \"A\", \"offset\": 5, \"len\": 6}"),
      "t.json:4: op 3: touch writes past the requested size (offset 5 + len 6 > 10)"),
    J("touch_offset_string", OPS2(MA("A", "40"), "{\"op\": \"touch\", \"id\": \"A\", \"offset\": \"x\"}"),
      "t.json:3: op 2: offset \"x\" is not a size " SIZE_SYNTAX),

    /* mallopt */
    J("param_unknown", OPS1("{\"op\": \"mallopt\", \"param\": \"M_FOO\", \"value\": 1}"),
      "t.json:2: op 1: unknown param \"M_FOO\" (known: M_MMAP_THRESHOLD, M_MMAP_MAX, M_TRIM_THRESHOLD, "
      "M_TOP_PAD, M_PERTURB, M_ARENA_MAX, M_ARENA_TEST, M_MXFAST)"),
    J("param_number", OPS1("{\"op\": \"mallopt\", \"param\": -3, \"value\": 1}"),
      "t.json:2: op 1: param must be a string such as \"M_MMAP_THRESHOLD\", not -3"),
    J("value_fraction", OPS1("{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": 1.5}"),
      "t.json:2: op 1: value must be a whole number, not 1.5"),
    J("value_too_big", OPS1("{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": 2147483648}"),
      "t.json:2: op 1: value 2147483648 does not fit in an int (-2147483648 to 2147483647)"),
    J("value_3e9_printed_whole", OPS1("{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": 3e9}"),
      "t.json:2: op 1: value 3000000000 does not fit in an int (-2147483648 to 2147483647)"),
    J("value_too_small", OPS1("{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": -2147483649}"),
      "t.json:2: op 1: value -2147483649 does not fit in an int (-2147483648 to 2147483647)"),
    J("value_string", OPS1("{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": \"many\"}"),
      "t.json:2: op 1: value \"many\" is not an integer"),
    J("value_string_too_big", OPS1("{\"op\": \"mallopt\", \"param\": \"M_TOP_PAD\", \"value\": \"2G\"}"),
      "t.json:2: op 1: value \"2G\" does not fit in an int (-2147483648 to 2147483647)"),
    J("value_true", OPS1("{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": true}"),
      "t.json:2: op 1: value must be an integer, not true"),

    /* note, label */
    J("note_number", OPS1("{\"op\": \"malloc_trim\", \"pad\": 0, \"note\": 1}"),
      "t.json:2: op 1: note must be a string, not 1"),
    J("label_array", OPS1("{\"op\": \"malloc_trim\", \"pad\": 0, \"label\": [\"Figure 4\"]}"),
      "t.json:2: op 1: label must be a string, not an array"),

    /* the first error in document order wins */
    J("first_error_wins", "{\"ops\": [\n{\"op\": \"mallok\"}\n],\n\"format\": \"x\"}",
      "t.json:2: op 1: unknown op \"mallok\""),
    J("format_before_ops_checked_first", "{\"format\": \"x\",\n\"ops\": [{\"op\": \"mallok\"}]}",
      "t.json:1: unknown format \"x\" (this program reads \"heapsim-trace/1\")"),

    /* ---- .jsonl ---- */
    L("jsonl_empty", "", "t.jsonl: " EMPTY),
    L("jsonl_blank_lines_only", "\n  \n\r\n", "t.jsonl: " EMPTY),
    L("jsonl_header_is_op", "{\"op\": \"malloc\", \"id\": \"A\", \"size\": 1}", "t.jsonl:1: " HDR "not an op"),
    L("jsonl_header_array", "[]", "t.jsonl:1: " HDR "not an array"),
    L("jsonl_header_with_ops", "{\"format\": \"heapsim-trace/1\", \"ops\": []}",
      "t.jsonl:1: the header line of a .jsonl trace has no \"ops\": each op is a line of its own"),
    L("jsonl_header_format", "{\"format\": \"heapsim-trace/0\"}",
      "t.jsonl:1: unknown format \"heapsim-trace/0\" (this program reads \"heapsim-trace/1\")"),
    L("jsonl_header_title_number", "\n{\"title\": 1}", "t.jsonl:2: \"title\" must be a string, not 1"),
    L("jsonl_header_syntax", "{\"title\": }", "t.jsonl:1:11: unexpected '}' (expected a value)"),
    L("jsonl_op_syntax", "{}\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":1}\n{\"op\":\"free\" \"id\":\"A\"}",
      "t.jsonl:3:14: unexpected '\"' (expected ',' or '}' after an object member)"),
    L("jsonl_op_line_with_blank_lines",
      "{}\n\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":1}\n\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":2}",
      "t.jsonl:5: op 2: id \"A\" is still live (bound by op 1)"),
    L("jsonl_truncated_line", "{}\n{\"op\":\"malloc\",\"id\":\"A",
      "t.jsonl:2:21: unterminated string (no closing '\"' before the end of the line)"),
    L("jsonl_object_split_over_lines", "{}\n{\"op\": \"malloc\",\n\"id\": \"A\", \"size\": 1}",
      "t.jsonl:2:17: unexpected end of the line (expected a member name in double quotes)"),
    L("jsonl_two_values_on_a_line", "{}\n{\"op\":\"free\",\"id\":\"A\"} {}",
      "t.jsonl:2:24: unexpected '{' after the end of the JSON value"),
    L("jsonl_op_not_object", "{}\n\"free A\"",
      "t.jsonl:2: op 1: an op must be an object such as {\"op\": \"malloc\", \"id\": \"A\", \"size\": 100}, not a string"),
    L("jsonl_op_unknown", "{\"format\": \"heapsim-trace/1\"}\r\n{\"op\": \"mallok\"}\r\n",
      "t.jsonl:2: op 1: unknown op \"mallok\""),
    L("jsonl_bad_utf8", "{}\n{\"op\": \"malloc_trim\", \"pad\": 0, \"note\": \"caf\xe9\"}",
      "t.jsonl:2:45: invalid UTF-8 in a string (byte 0xE9)"),
    L("jsonl_nesting", "{}\n" "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
      NULL /* built in the test */),
};

/* brief_still_live: the brief's example, op 5 on line 6. */
static const char brief_still_live_text[] =
    "{\"ops\": [\n"
    "  {\"op\": \"malloc\", \"id\": \"B\", \"size\": 1},\n"
    "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": \"40\"},\n"
    "  {\"op\": \"free\", \"id\": \"B\"},\n"
    "  {\"op\": \"free\", \"id\": \"B\"},\n"
    "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": 2},\n"
    "  {\"op\": \"touch\", \"id\": \"A\", \"offset\": 16, \"len\": 32}\n"
    "]}";

static void run_case(void **state)
{
    const err_case *c = *state;
    if (strcmp(c->what, "brief_still_live") == 0) {
        ld_expect_error("t.json", brief_still_live_text, strlen(brief_still_live_text), 0,
                        "t.json:6: op 5: id \"A\" is still live (bound by op 2)");
        return;
    }
    if (strcmp(c->what, "jsonl_nesting") == 0) {
        /* a header, then one op line nested 1001 deep */
        size_t n = 3 + 1001 + 1001;
        char *s = malloc(n + 1);
        assert_non_null(s);
        memcpy(s, "{}\n", 3);
        memset(s + 3, '[', 1001);
        memset(s + 3 + 1001, ']', 1001);
        s[n] = 0;
        ld_expect_error("t.jsonl", s, n, 1, "t.jsonl:2:1001: nesting deeper than 1000 levels of arrays and objects");
        free(s);
        return;
    }
    ld_expect_error(c->name, c->text, c->len ? c->len : strlen(c->text), c->jsonl, c->want);
}

/* The brief's touch example: op 6 writes 16 + 32 bytes into a 40-byte block. */
static void test_brief_touch_example(void **state)
{
    static const char text[] =
        "{\"ops\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"B\", \"size\": 1},\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": 40},\n"
        "  {\"op\": \"free\", \"id\": \"B\"},\n"
        "  {\"op\": \"free\", \"id\": \"B\"},\n"
        "  {\"op\": \"touch\", \"id\": \"A\", \"len\": 40},\n"
        "  {\"op\": \"touch\", \"id\": \"A\", \"offset\": 16, \"len\": 32}\n"
        "]}";
    (void)state;
    ld_expect_error("t.json", text, strlen(text), 0,
                    "t.json:7: op 6: touch writes past the requested size (offset 16 + len 32 > 40)");
}

/* Nesting: 1000 levels load (cJSON's limit), 1001 are refused with a clear
 * message at the bracket that goes one level too deep. */
static void test_nesting_limit(void **state)
{
    const char *head = "{\"ops\": [], \"x\": ";    /* the top object is level 1 */
    size_t hl = strlen(head);
    for (int extra = 0; extra <= 1; extra++) {
        size_t arrays = 999 + (size_t)extra, n = hl + 2 * arrays + 1;
        char *s = malloc(n + 1);
        hs_trace t;
        assert_non_null(s);
        memcpy(s, head, hl);
        memset(s + hl, '[', arrays);
        memset(s + hl + arrays, ']', arrays);
        s[n - 1] = '}';
        s[n] = 0;
        if (extra == 0) {
            ld_load_ok(s, n, 0, &t);
            assert_int_equal(t.n_ops, 0);
            hs_trace_free(&t);
        } else {
            char want[128];
            snprintf(want, sizeof want, "t.json:1:%zu: nesting deeper than 1000 levels of arrays and objects",
                     hl + 1000);
            ld_expect_error("t.json", s, n, 0, want);
        }
        free(s);
    }
}

/* Errors through hs_trace_load name the file as given. */
static void test_message_names_the_file(void **state)
{
    char *dir = ld_tmpdir();
    const char *text = "{\"ops\": [\n{\"op\": \"free\", \"id\": \"X\"}\n]}";
    char *p = ld_write_file(dir, "bad.json", text, strlen(text));
    hs_trace t;
    hs_trace_error err;
    char want[512];
    (void)state;
    assert_int_equal(hs_trace_load(p, &t, &err), -1);
    snprintf(want, sizeof want, "%s:2: op 1: free of unknown id \"X\" " NEVER, p);
    assert_string_equal(err.msg, want);
    free(p);
    ld_tmpdir_remove(dir);
}

/* A NULL error pointer is allowed; the trace is still left empty. */
static void test_null_err(void **state)
{
    hs_trace t;
    (void)state;
    assert_int_equal(hs_trace_load_mem("t.json", "{", 1, 0, &t, NULL), -1);
    assert_null(t.ops);
    assert_int_equal(hs_trace_load("/nonexistent/hs/x.json", &t, NULL), -1);
    assert_null(t.ids);
}

/* Loads header line + line as t.jsonl; it must fail with "t.jsonl:2:COL:
 * msg", COL being off + 1 (line is ASCII up to off).  Fails the test
 * otherwise. */
static void expect_line_error(const char *line, size_t len, size_t off, const char *msg)
{
    static const char head[] = "{\"format\": \"heapsim-trace/1\"}\n";
    char text[512], want[512];
    assert_true(sizeof head - 1 + len + 1 <= sizeof text);
    memcpy(text, head, sizeof head - 1);
    memcpy(text + sizeof head - 1, line, len);
    text[sizeof head - 1 + len] = '\n';
    snprintf(want, sizeof want, "t.jsonl:2:%zu: %s", off + 1, msg);
    ld_expect_error("t.jsonl", text, sizeof head + len, 1, want);
}

/* Lines cJSON takes whole but the checker refuses, with the byte it
 * refuses at every offset of a long line: a .jsonl line skips the checker
 * only when its bytes are all plain and cJSON read it to the end
 * (loader/trace.c, is_plain, 16 bytes at a time), so each of these must
 * still get the checker's message. */
static void test_checker_only_errors_every_offset(void **state)
{
    enum { W = 48 };                        /* three 16-byte blocks and more */
    static const char pre[] = "{\"op\": \"malloc\", \"id\": \"";
    char line[256];
    (void)state;
    for (size_t k = 0; k < W; k++) {
        int n;
        /* a byte that is not UTF-8 in a string (cJSON copies it) */
        n = snprintf(line, sizeof line, "%s%.*s\xff%.*s\", \"size\": 8}", pre, (int)k,
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", (int)(W - k),
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        expect_line_error(line, (size_t)n, sizeof pre - 1 + k, "invalid UTF-8 in a string (byte 0xFF)");
        /* \u0000 in a string (cJSON ends the string there) */
        n = snprintf(line, sizeof line, "%s%.*s\\u0000%.*s\", \"size\": 8}", pre, (int)k,
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", (int)(W - k),
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        expect_line_error(line, (size_t)n, sizeof pre - 1 + k,
                          "\\u0000 (a NUL character) is not allowed in a string");
        /* a vertical tab as whitespace (cJSON skips any byte up to 32) */
        n = snprintf(line, sizeof line, "{\"op\": \"malloc\", \"id\": \"x\",%*s\v%*s\"size\": 8}",
                     (int)k, "", (int)(W - k), "");
        expect_line_error(line, (size_t)n, strlen("{\"op\": \"malloc\", \"id\": \"x\",") + k,
                          "unexpected control character 0x0B (expected a member name in double quotes)");
        /* text after the value (cJSON stops at the value's end) */
        n = snprintf(line, sizeof line, "{\"op\": \"malloc\", \"id\": \"x\", \"size\": 8}%*sx", (int)k, "");
        expect_line_error(line, (size_t)n, (size_t)n - 1, "unexpected 'x' after the end of the JSON value");
        line[n - 1] = '\v';
        expect_line_error(line, (size_t)n, (size_t)n - 1,
                          "unexpected control character 0x0B after the end of the JSON value");
    }
}

int main(void)
{
    size_t n = sizeof cases / sizeof cases[0];
    struct CMUnitTest *tests = calloc(n + 5, sizeof *tests);
    int rc;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].what;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    tests[n].name = "brief_touch_example";
    tests[n].test_func = test_brief_touch_example;
    tests[n + 1].name = "nesting_limit";
    tests[n + 1].test_func = test_nesting_limit;
    tests[n + 2].name = "message_names_the_file";
    tests[n + 2].test_func = test_message_names_the_file;
    tests[n + 3].name = "null_err";
    tests[n + 3].test_func = test_null_err;
    tests[n + 4].name = "checker_only_errors_every_offset";
    tests[n + 4].test_func = test_checker_only_errors_every_offset;
    rc = _cmocka_run_group_tests("loader_errors", tests, n + 5, NULL, NULL);
    free(tests);
    return rc;
}
