/* test_tsv.c: the record field syntax: escaping, unescaping, splitting. */
#include <criterion/criterion.h>

#include <string.h>

#include "buf.h"
#include "tsv.h"

static char *
escaped(const char *s, size_t len)
{
    static buf b = BUF_INIT;
    buf_clear(&b);
    tsv_escape(&b, s, len);
    return b.data;
}

Test(tsv, escapes_the_four_special_bytes)
{
    cr_assert_str_eq(escaped("\\", 1), "\\\\");
    cr_assert_str_eq(escaped("\t", 1), "\\t");
    cr_assert_str_eq(escaped("\n", 1), "\\n");
    cr_assert_str_eq(escaped("\r", 1), "\\r");
    cr_assert_str_eq(escaped("a\tb\\c\r\nd", 8), "a\\tb\\\\c\\r\\nd");
    cr_assert_str_eq(escaped("", 0), "");
}

Test(tsv, every_other_byte_is_kept)
{
    for (int c = 1; c < 256; c++) {
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r')
            continue;
        char in = (char)c;
        buf b = BUF_INIT;
        tsv_escape(&b, &in, 1);
        cr_assert_eq(b.len, 1, "byte %d", c);
        cr_assert_eq(b.data[0], in, "byte %d", c);
        buf_free(&b);
    }
    /* NUL is data, not the end of the field. */
    buf b = BUF_INIT;
    tsv_escape(&b, "a\0b", 3);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.data, "a\0b", 3), 0);
    buf_free(&b);
}

Test(tsv, appends_after_what_is_there)
{
    buf b = BUF_INIT;
    buf_adds(&b, "entity\t");
    tsv_escape(&b, "x\ty", 3);
    buf_addc(&b, '\t');
    tsv_escape(&b, "plain", 5);
    cr_assert_str_eq(b.data, "entity\tx\\ty\tplain");
    buf_free(&b);
}

Test(tsv, round_trips_all_bytes)
{
    char all[256 * 3];
    /* Each byte alone, then each byte after a backslash (the tricky
     * neighbour), so every escape sequence meets every follower. */
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    for (int i = 0; i < 256; i++) {
        all[256 + 2 * i] = '\\';
        all[256 + 2 * i + 1] = (char)i;
    }
    buf b = BUF_INIT;
    tsv_escape(&b, all, sizeof all);
    cr_assert_null(memchr(b.data, '\t', b.len));
    cr_assert_null(memchr(b.data, '\n', b.len));
    cr_assert_null(memchr(b.data, '\r', b.len));
    size_t n = tsv_unescape(b.data, b.len);
    cr_assert_eq(n, sizeof all);
    cr_assert_eq(memcmp(b.data, all, n), 0);
    buf_free(&b);
}

Test(tsv, round_trips_tricky_strings)
{
    static const char *const cases[] = {
        "",       "\\",      "\\\\", "\\t",    "a\\tb",     "\\\t",     "\t\\", "end\\",
        "\\n\\r", "a|b\\|c", "\r\n", "\n\n\n", "tab\there", "x\\\\\\y", "€\t€",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i]);
        buf b = BUF_INIT;
        tsv_escape(&b, cases[i], len);
        size_t n = tsv_unescape(b.data, b.len);
        cr_assert_eq(n, len, "case %zu", i);
        cr_assert_eq(memcmp(b.data, cases[i], len), 0, "case %zu", i);
        cr_assert_eq(b.data[n], '\0');
        buf_free(&b);
    }
}

static char *
unescaped(const char *s)
{
    static char out[64];
    strcpy(out, s);
    size_t n = tsv_unescape(out, strlen(out));
    cr_assert_eq(n, strlen(out));
    return out;
}

Test(tsv, unescape_keeps_a_lone_backslash)
{
    cr_assert_str_eq(unescaped("plain"), "plain");
    cr_assert_str_eq(unescaped("a\\tb"), "a\tb");
    cr_assert_str_eq(unescaped("\\\\t"), "\\t");
    cr_assert_str_eq(unescaped("\\q"), "\\q");
    cr_assert_str_eq(unescaped("\\N"), "\\N");
    cr_assert_str_eq(unescaped("end\\"), "end\\");
    cr_assert_str_eq(unescaped("\\"), "\\");
    cr_assert_str_eq(unescaped("\\\\\\"), "\\\\");
    cr_assert_str_eq(unescaped("\\r\\n\\t\\\\"), "\r\n\t\\");
    cr_assert_str_eq(unescaped("x\\qy\\nz"), "x\\qy\nz");
}

Test(tsv, unescape_terminates_at_the_new_length)
{
    char s[] = "a\\nbXYZ";
    size_t n = tsv_unescape(s, 4);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(s, "a\nb");
}

Test(tsv, splits_at_tabs_in_place)
{
    char line[] = "entity\tdoc\tMarta\t\t3";
    char *f[8];
    size_t n = tsv_split(line, strlen(line), f, 8);
    cr_assert_eq(n, 5);
    cr_assert_str_eq(f[0], "entity");
    cr_assert_str_eq(f[1], "doc");
    cr_assert_str_eq(f[2], "Marta");
    cr_assert_str_eq(f[3], "");
    cr_assert_str_eq(f[4], "3");
}

Test(tsv, split_counts_fields_it_cannot_store)
{
    char line[] = "a\tb\tc\td";
    char *f[2] = {NULL, NULL};
    size_t n = tsv_split(line, strlen(line), f, 2);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(f[0], "a");
    cr_assert_str_eq(f[1], "b");
}

Test(tsv, split_edge_cases)
{
    char *f[4];
    char empty[] = "";
    cr_assert_eq(tsv_split(empty, 0, f, 4), 1);
    cr_assert_str_eq(f[0], "");

    char tabs[] = "\t\t";
    cr_assert_eq(tsv_split(tabs, 2, f, 4), 3);
    cr_assert_str_eq(f[0], "");
    cr_assert_str_eq(f[2], "");

    /* Only len bytes are the line: what follows is not split. */
    char part[] = "a\tb\tc";
    cr_assert_eq(tsv_split(part, 3, f, 4), 2);
    cr_assert_str_eq(f[1], "b");

    char esc[] = "x\\ty\tz";
    cr_assert_eq(tsv_split(esc, strlen(esc), f, 4), 2);
    cr_assert_str_eq(f[0], "x\\ty");
}
