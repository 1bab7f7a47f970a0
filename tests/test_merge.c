/* test_merge.c: the generic reducer: roles, exact numbers, errors, golden
 * files, and the property it exists for: merging merged shards equals
 * merging the whole, and merging twice changes nothing. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "helpers.h"
#include "merge.h"

/* What two plugins would declare. */
static const tp_column entity_columns[] = {
    {"entity", TP_ROLE_KEY}, {"type", TP_ROLE_KEY},   {"count", TP_ROLE_SUM},
    {"first", TP_ROLE_MIN},  {"forms", TP_ROLE_TEXT},
};
static const tp_column stance_columns[] = {
    {"target", TP_ROLE_KEY},
    {"label", TP_ROLE_KEY},
    {"score", TP_ROLE_MAX},
    {"mentions", TP_ROLE_SUM},
};
static const tp_column total_columns[] = {{"n", TP_ROLE_SUM}};
static const tp_record_type fake_types[] = {
    {"entity", entity_columns, 5},
    {"stance", stance_columns, 4},
    {"total", total_columns, 1}, /* no key: everything is one record */
};

static const tp_record_type *
fake_lookup(void *arg, const char *name)
{
    int *calls = arg;
    if (calls)
        (*calls)++;
    for (size_t i = 0; i < sizeof fake_types / sizeof *fake_types; i++)
        if (strcmp(fake_types[i].name, name) == 0)
            return &fake_types[i];
    return NULL;
}

/* Everything merge_write wrote, as a string the caller frees. */
static char *
written(merger *m, int header)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_assert_eq(merge_write(m, f, header), 0);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Feeds text line by line; refused lines go to errors as "N: message". */
static void
feed(merger *m, const char *text, buf *errors)
{
    char *copy = xstrdup(text);
    char *p = copy;
    size_t lineno = 0;
    while (*p) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char err[256];
        lineno++;
        if (merge_line(m, p, len, err, sizeof err) != 0) {
            cr_assert_not_null(errors, "line %zu refused: %s", lineno, err);
            char where[32];
            snprintf(where, sizeof where, "%zu: ", lineno);
            buf_adds(errors, where);
            buf_adds(errors, err);
            buf_addc(errors, '\n');
        }
        p += len + (nl != NULL);
    }
    free(copy);
}

static char *
merged(const char *text, int header)
{
    merger *m = merge_new(fake_lookup, NULL);
    feed(m, text, NULL);
    char *out = written(m, header);
    merge_free(m);
    return out;
}

/* Merges text and returns the error lines (output discarded). */
static char *
merge_errors(const char *text, char **out)
{
    merger *m = merge_new(fake_lookup, NULL);
    buf errors = BUF_INIT;
    buf_adds(&errors, "");
    feed(m, text, &errors);
    char *o = written(m, 0);
    if (out)
        *out = o;
    else
        free(o);
    merge_free(m);
    return errors.data;
}

static void
assert_merges_to(const char *in, const char *want)
{
    char *got = merged(in, 0);
    cr_assert_str_eq(got, want);
    free(got);
}

/* ---- roles -------------------------------------------------------------- */

Test(merge, sums_mins_and_unites_by_key)
{
    assert_merges_to("entity\ta\tOslo\tplace\t2\t30\tOslo\n"
                     "entity\tb\tOslo\tplace\t3\t4\tOslo|oslo\n"
                     "entity\tc\tOslo\torg\t1\t9\tOslo\n",
                     "entity\t*\tOslo\tplace\t5\t4\tOslo|oslo\n"
                     "entity\t*\tOslo\torg\t1\t9\tOslo\n");
}

Test(merge, max_keeps_the_largest)
{
    assert_merges_to("stance\td1\tt\tpro\t0.5\t1\n"
                     "stance\td2\tt\tpro\t0.9\t1\n"
                     "stance\td3\tt\tpro\t0.7\t1\n",
                     "stance\t*\tt\tpro\t0.9\t3\n");
}

Test(merge, types_and_keys_in_order_of_first_appearance)
{
    assert_merges_to("stance\td\tx\tpro\t1\t1\n"
                     "entity\td\tB\tperson\t1\t1\t\n"
                     "stance\td\ty\tcon\t1\t1\n"
                     "entity\td\tA\tperson\t1\t1\t\n"
                     "entity\td\tB\tperson\t1\t1\t\n",
                     "stance\t*\tx\tpro\t1\t1\n"
                     "stance\t*\ty\tcon\t1\t1\n"
                     "entity\t*\tB\tperson\t2\t1\t\n"
                     "entity\t*\tA\tperson\t1\t1\t\n");
}

Test(merge, empty_keys_are_keys)
{
    assert_merges_to("entity\ta\t\tplace\t1\t1\t\n"
                     "entity\ta\tplace\t\t1\t1\t\n"
                     "entity\ta\t\t\t1\t1\t\n"
                     "entity\tb\t\tplace\t1\t1\t\n"
                     "entity\tb\t\t\t1\t1\t\n",
                     "entity\t*\t\tplace\t2\t1\t\n"
                     "entity\t*\tplace\t\t1\t1\t\n"
                     "entity\t*\t\t\t2\t1\t\n");
}

Test(merge, a_type_without_keys_is_one_record)
{
    assert_merges_to("total\ta\t3\ntotal\tb\t4\n", "total\t*\t7\n");
}

Test(merge, text_items_are_distinct_and_nonempty)
{
    assert_merges_to("entity\td\tX\tp\t1\t1\ta|b|a||c|\n"
                     "entity\td\tX\tp\t1\t1\t|c|d|b\n",
                     "entity\t*\tX\tp\t2\t1\ta|b|c|d\n");
}

Test(merge, text_keeps_the_first_32_distinct_items)
{
    buf in = BUF_INIT, want = BUF_INIT;
    buf_adds(&want, "entity\t*\tX\tp\t40\t0\t");
    for (int i = 0; i < 40; i++) {
        char line[64];
        snprintf(line, sizeof line, "entity\td\tX\tp\t1\t0\tf%d|f%d\n", i, i / 2);
        buf_adds(&in, line);
        if (i < 32) {
            snprintf(line, sizeof line, "%sf%d", i ? "|" : "", i);
            buf_adds(&want, line);
        }
    }
    buf_addc(&want, '\n');
    assert_merges_to(in.data, want.data);
    buf_free(&in);
    buf_free(&want);
}

Test(merge, headers_first_then_records)
{
    char *got = merged("stance\td\tx\tpro\t1\t1\n"
                       "entity\td\tA\tperson\t1\t1\t\n",
                       1);
    cr_assert_str_eq(got, "#stance\tdoc\ttarget\tlabel\tscore\tmentions\n"
                          "#entity\tdoc\tentity\ttype\tcount\tfirst\tforms\n"
                          "stance\t*\tx\tpro\t1\t1\n"
                          "entity\t*\tA\tperson\t1\t1\t\n");
    free(got);
}

Test(merge, skips_comments_blank_lines_and_crlf)
{
    assert_merges_to("#entity\tdoc\tentity\ttype\tcount\tfirst\tforms\n"
                     "\n"
                     "entity\td\tA\tp\t1\t5\tx\r\n"
                     "# textpipe run: whatever\n"
                     "entity\td\tA\tp\t1\t3\tx\n",
                     "entity\t*\tA\tp\t2\t3\tx\n");
}

Test(merge, keys_compare_in_canonical_escaped_form)
{
    /* "\q" is a lone backslash then q, the same field as "\\q". */
    assert_merges_to("entity\td\ta\\qb\tp\t1\t1\tx\\q\n"
                     "entity\td\ta\\\\qb\tp\t1\t1\tx\\\\q|y\\tz\n",
                     "entity\t*\ta\\\\qb\tp\t2\t1\tx\\\\q|y\\tz\n");
}

Test(merge, looks_up_each_type_once)
{
    int calls = 0;
    merger *m = merge_new(fake_lookup, &calls);
    feed(m,
         "entity\td\tA\tp\t1\t1\t\nstance\td\tx\tpro\t1\t1\n"
         "entity\td\tB\tp\t1\t1\t\nstance\td\tx\tpro\t1\t1\n",
         NULL);
    cr_assert_eq(calls, 2);
    merge_free(m);
}

Test(merge, write_twice_gives_the_same)
{
    merger *m = merge_new(fake_lookup, NULL);
    feed(m, "entity\td\tA\tp\t1\t1\ta\n", NULL);
    char *a = written(m, 1), *b = written(m, 1);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    merge_free(m);
    merge_free(NULL);
}

Test(merge, nothing_in_nothing_out)
{
    char *got = merged("", 1);
    cr_assert_str_eq(got, "");
    free(got);
}

/* ---- numbers ------------------------------------------------------------ */

Test(merge, decimals_are_exact)
{
    /* 0.1 + 0.2 is 0.3, in any order: fixed point, not binary floats. */
    assert_merges_to("total\ta\t0.1\ntotal\tb\t0.2\n", "total\t*\t0.3\n");
    assert_merges_to("total\ta\t0.2\ntotal\tb\t0.1\n", "total\t*\t0.3\n");
    assert_merges_to("total\ta\t0.25\n", "total\t*\t0.25\n");
    assert_merges_to("total\ta\t1.50\n", "total\t*\t1.5\n");
    assert_merges_to("total\ta\t0.5\ntotal\tb\t0.5\n", "total\t*\t1\n");
    assert_merges_to("total\ta\t1.0\ntotal\tb\t2\n", "total\t*\t3\n");
    assert_merges_to("total\ta\t.5\ntotal\tb\t+2.\n", "total\t*\t2.5\n");
    assert_merges_to("total\ta\t0.000001\n", "total\t*\t0.000001\n");
}

Test(merge, negative_decimals)
{
    assert_merges_to("total\ta\t-0.25\n", "total\t*\t-0.25\n");
    assert_merges_to("total\ta\t-1.75\ntotal\tb\t0.5\n", "total\t*\t-1.25\n");
    assert_merges_to("total\ta\t-0.5\ntotal\tb\t0.5\n", "total\t*\t0\n");
    assert_merges_to("total\ta\t-0\n", "total\t*\t0\n");
    assert_merges_to("total\ta\t-3\ntotal\tb\t1.000001\n", "total\t*\t-1.999999\n");
    assert_merges_to("stance\ta\tt\tl\t-0.5\t0\nstance\tb\tt\tl\t-0.75\t0\n",
                     "stance\t*\tt\tl\t-0.5\t0\n");
    assert_merges_to("entity\ta\tX\tp\t0\t-0.5\t\nentity\tb\tX\tp\t0\t-1\t\n",
                     "entity\t*\tX\tp\t0\t-1\t\n");
}

Test(merge, more_than_six_decimals_round_half_away_from_zero)
{
    assert_merges_to("total\ta\t0.0000005\n", "total\t*\t0.000001\n");
    assert_merges_to("total\ta\t0.00000049999\n", "total\t*\t0\n");
    assert_merges_to("total\ta\t-0.0000005\n", "total\t*\t-0.000001\n");
    assert_merges_to("total\ta\t0.9999995\n", "total\t*\t1\n");
    assert_merges_to("total\ta\t0.3333333333\ntotal\tb\t0.6666666666\n", "total\t*\t1\n");
}

Test(merge, integers_are_exact_to_64_bits)
{
    assert_merges_to("total\ta\t9223372036854775806\ntotal\tb\t1\n",
                     "total\t*\t9223372036854775807\n");
    assert_merges_to("total\ta\t-9223372036854775808\n", "total\t*\t-9223372036854775808\n");
    assert_merges_to("total\ta\t-9223372036854775807.5\n", "total\t*\t-9223372036854775807.5\n");
    assert_merges_to("total\ta\t9223372036854775806.5\ntotal\tb\t0.5\n",
                     "total\t*\t9223372036854775807\n");
    /* The carry of the fractions must not overflow on the way. */
    assert_merges_to("total\ta\t9223372036854775806.5\n"
                     "total\tb\t-9223372036854775807.5\n",
                     "total\t*\t-1\n");
}

/* ---- errors ------------------------------------------------------------- */

Test(merge, reports_errors_and_goes_on)
{
    char *out;
    char *errors = merge_errors("entity\td\tA\tp\t1\t1\tx\n"
                                "entyty\td\tA\tp\t1\t1\tx\n"
                                "entity\td\tA\tp\t1\t1\n"
                                "entity\td\tA\tp\t1\t1\tx\textra\n"
                                "entity\td\tA\tp\tabc\t1\tx\n"
                                "stance\td\tt\tl\t0.5\t1e3\n"
                                "entity\td\tA\tp\t\t1\tx\n"
                                "stance\td\tt\tl\t-\t1\n"
                                "stance\td\tt\tl\t1.2.3\t1\n"
                                "nocolumns\n"
                                "entity\td\tA\tp\t2\t1\ty\n",
                                &out);
    cr_assert_str_eq(errors, "2: unknown record type \"entyty\"\n"
                             "3: record type \"entity\": wrong number of fields (got 6, "
                             "expected 7)\n"
                             "4: record type \"entity\": wrong number of fields (got 8, "
                             "expected 7)\n"
                             "5: \"abc\" is not a number in column count\n"
                             "6: \"1e3\" is not a number in column mentions\n"
                             "7: \"\" is not a number in column count\n"
                             "8: \"-\" is not a number in column score\n"
                             "9: \"1.2.3\" is not a number in column score\n"
                             "10: unknown record type \"nocolumns\"\n");
    cr_assert_str_eq(out, "entity\t*\tA\tp\t3\t1\tx|y\n");
    free(errors);
    free(out);
}

Test(merge, overflow_is_an_error_and_leaves_no_trace)
{
    char *out;
    char *errors = merge_errors("entity\td\tA\tp\t9223372036854775000\t5\tx\n"
                                "entity\td\tA\tp\t1000\t1\ty\n"
                                "entity\td\tA\tp\t9223372036854775808\t1\tz\n"
                                "total\td\t99999999999999999999999\n"
                                "entity\td\tA\tp\t-1\t2\tw\n",
                                &out);
    cr_assert_str_eq(errors, "2: sum out of range in column count\n"
                             "3: \"9223372036854775808\" is out of range in column "
                             "count\n"
                             "4: \"99999999999999999999999\" is out of range in "
                             "column n\n");
    /* Line 2's min and text did not count either. */
    cr_assert_str_eq(out, "entity\t*\tA\tp\t9223372036854774999\t2\tx|w\n");
    free(errors);
    free(out);
}

Test(merge, a_refused_first_line_creates_no_key)
{
    char *out;
    char *errors = merge_errors("entity\td\tA\tp\tx\t1\tx\n", &out);
    cr_assert_str_eq(errors, "1: \"x\" is not a number in column count\n");
    cr_assert_str_eq(out, "");
    free(errors);
    free(out);
}

/* ---- golden files ------------------------------------------------------- */

static void
assert_golden(const char *input, const char *expected, int header)
{
    char *in = read_file(test_data(input), NULL);
    char *want = read_file(test_data(expected), NULL);
    cr_assert_not_null(in, "%s missing", input);
    cr_assert_not_null(want, "%s missing", expected);
    char *got = merged(in, header);
    cr_assert_str_eq(got, want);
    free(got);
    free(in);
    free(want);
}

Test(merge, golden)
{
    assert_golden("merge-input.tsv", "merge-expected.tsv", 0);
}

Test(merge, golden_with_headers)
{
    assert_golden("merge-input.tsv", "merge-expected-header.tsv", 1);
}

/* ---- the properties ----------------------------------------------------- */

/* The byte offsets where lines start, and the end. */
static size_t
line_starts(const char *s, size_t *at, size_t max)
{
    size_t n = 0;
    at[n++] = 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n' && n < max)
            at[n++] = (size_t)(p - s) + 1;
    if (at[n - 1] != strlen(s))
        at[n++] = strlen(s);
    return n;
}

static char *
merged_range(const char *s, size_t from, size_t to)
{
    char *part = xstrndup(s + from, to - from);
    char *out = merged(part, 0);
    free(part);
    return out;
}

/* merge(merge(A) merge(B) ...) == merge(whole) for every split into two
 * and three parts, and merge(merge(X)) == merge(X). */
static void
assert_split_invariant(const char *in)
{
    static size_t at[4096];
    size_t n = line_starts(in, at, 4096);
    size_t len = strlen(in);
    char *whole = merged(in, 0);
    char *again = merged(whole, 0);
    cr_assert_str_eq(again, whole, "merge is not idempotent");
    free(again);
    for (size_t i = 0; i < n; i++) {
        char *a = merged_range(in, 0, at[i]);
        char *b = merged_range(in, at[i], len);
        buf cat = BUF_INIT;
        buf_adds(&cat, a);
        buf_adds(&cat, b);
        char *got = merged(cat.data, 0);
        cr_assert_str_eq(got, whole, "split at line %zu", i);
        free(got);
        free(a);
        free(b);
        buf_free(&cat);
    }
    for (size_t i = 0; i < n; i += 3) {
        for (size_t j = i; j < n; j += 2) {
            char *a = merged_range(in, 0, at[i]);
            char *b = merged_range(in, at[i], at[j]);
            char *c = merged_range(in, at[j], len);
            buf cat = BUF_INIT;
            buf_adds(&cat, a);
            buf_adds(&cat, b);
            buf_adds(&cat, c);
            char *got = merged(cat.data, 0);
            cr_assert_str_eq(got, whole, "split at lines %zu and %zu", i, j);
            free(got);
            free(a);
            free(b);
            free(c);
            buf_free(&cat);
        }
    }
    free(whole);
}

Test(merge, golden_input_is_split_invariant)
{
    char *in = read_file(test_data("merge-input.tsv"), NULL);
    cr_assert_not_null(in);
    assert_split_invariant(in);
    free(in);
}

Test(merge, text_cap_is_split_invariant)
{
    buf in = BUF_INIT;
    for (int i = 0; i < 30; i++) {
        char line[128];
        snprintf(line, sizeof line, "entity\td%d\tX\tp\t1\t%d\tf%d|g%d|f%d|h%d\n", i, 30 - i,
                 (i * 7) % 23, i % 5, i, (i * 3) % 11);
        buf_adds(&in, line);
    }
    assert_split_invariant(in.data);
    buf_free(&in);
}

/* A tiny deterministic generator, so failures reproduce. */
static uint32_t
next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(*state >> 33);
}

Test(merge, random_input_is_split_invariant)
{
    static const char *const names[] = {"Ada", "Bo", "Cy", "Di\\tx", "Ed"};
    static const char *const labels[] = {"pro", "con", "neutral"};
    uint64_t state = 42;
    buf in = BUF_INIT;
    for (int i = 0; i < 120; i++) {
        char line[256];
        uint32_t r = next_random(&state);
        if (r % 3) {
            snprintf(line, sizeof line, "entity\td%d\t%s\t%s\t%u\t%d.%02u\tf%u|f%u|g%u\n", i,
                     names[r % 5], r % 7 ? "person" : "org", next_random(&state) % 100,
                     (int)(next_random(&state) % 200) - 100, next_random(&state) % 100,
                     next_random(&state) % 40, next_random(&state) % 40, next_random(&state) % 9);
        } else {
            snprintf(line, sizeof line, "stance\td%d\t%s\t%s\t%s%u.%03u\t%u\n", i, names[r % 4],
                     labels[(r >> 4) % 3], r & 256 ? "-" : "", next_random(&state) % 3,
                     next_random(&state) % 1000, next_random(&state) % 10);
        }
        buf_adds(&in, line);
    }
    assert_split_invariant(in.data);
    buf_free(&in);
}

/* ---- growth ------------------------------------------------------------- */

Test(merge, many_keys_keep_their_order)
{
    buf in = BUF_INIT, want = BUF_INIT;
    char line[96];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 20000; i++) {
            snprintf(line, sizeof line, "stance\td\tt%d\tpro\t0.%d\t%d\n", i, pass ? 5 : 25, i);
            buf_adds(&in, line);
        }
    }
    for (int i = 0; i < 20000; i++) {
        snprintf(line, sizeof line, "stance\t*\tt%d\tpro\t0.5\t%d\n", i, 2 * i);
        buf_adds(&want, line);
    }
    assert_merges_to(in.data, want.data);
    buf_free(&in);
    buf_free(&want);
}

Test(merge, long_fields)
{
    /* Fields larger than an arena chunk take their own. */
    size_t big = 300 * 1000;
    buf in = BUF_INIT, want = BUF_INIT;
    char *key = malloc(big + 1), *item = malloc(big + 1);
    memset(key, 'k', big);
    key[big] = '\0';
    memset(item, 'i', big);
    item[big] = '\0';
    for (int i = 0; i < 3; i++) {
        buf_adds(&in, "entity\td\t");
        buf_adds(&in, key);
        buf_adds(&in, "\tp\t1\t1\t");
        buf_adds(&in, i == 1 ? "short" : item);
        buf_adds(&in, "|x\n");
        buf_adds(&in, "entity\td\tsmall\tp\t1\t1\ty\n");
    }
    buf_adds(&want, "entity\t*\t");
    buf_adds(&want, key);
    buf_adds(&want, "\tp\t3\t1\t");
    buf_adds(&want, item);
    buf_adds(&want, "|x|short\nentity\t*\tsmall\tp\t3\t1\ty\n");
    assert_merges_to(in.data, want.data);
    free(key);
    free(item);
    buf_free(&in);
    buf_free(&want);
}

/* ---- sorted mode -------------------------------------------------------- */

/* Everything sorted mode writes for text, with errors as in feed. */
static char *
merged_sorted(const char *text, int header, buf *errors)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    merger *m = merge_new(fake_lookup, NULL);
    merge_stream_to(m, f, header);
    feed(m, text, errors);
    cr_assert_eq(merge_write(m, NULL, 0), 0);
    merge_free(m);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

typedef struct sort_line {
    const char *s;
    size_t len, index;
} sort_line;

/* Field n (1-based) of a line, as `sort -t TAB -kN,N` sees it. */
static size_t
field(const sort_line *l, int n, const char **out)
{
    const char *p = l->s, *end = l->s + l->len;
    for (int i = 1; i < n; i++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        if (tab == NULL) {
            *out = end;
            return 0;
        }
        p = tab + 1;
    }
    const char *tab = memchr(p, '\t', (size_t)(end - p));
    *out = p;
    return (size_t)((tab ? tab : end) - p);
}

static int
cmp_field(const sort_line *a, const sort_line *b, int n)
{
    const char *fa, *fb;
    size_t la = field(a, n, &fa), lb = field(b, n, &fb);
    int c = memcmp(fa, fb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* LC_ALL=C sort -s -t TAB -k1,1 -k3,3 */
static int
cmp_sort_lines(const void *pa, const void *pb)
{
    const sort_line *a = pa, *b = pb;
    int c = cmp_field(a, b, 1);
    if (c == 0)
        c = cmp_field(a, b, 3);
    if (c == 0)
        c = (a->index > b->index) - (a->index < b->index);
    return c;
}

static char *
sort_like_merge_sort_command(const char *text)
{
    size_t n = 0, cap = 64;
    sort_line *lines = malloc(cap * sizeof *lines);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof *lines);
        lines[n] = (sort_line){p, len, n};
        n++;
        p += len + (nl != NULL);
    }
    qsort(lines, n, sizeof *lines, cmp_sort_lines);
    buf out = BUF_INIT;
    buf_adds(&out, "");
    for (size_t i = 0; i < n; i++) {
        buf_add(&out, lines[i].s, lines[i].len);
        buf_addc(&out, '\n');
    }
    free(lines);
    return out.data;
}

Test(merge, sorted_writes_each_run_as_it_ends)
{
    const char *in = "entity\ta\tOslo\torg\t1\t9\tOslo\n"
                     "entity\tb\tOslo\tplace\t3\t4\tOslo|oslo\n"
                     "entity\tc\tOslo\torg\t2\t5\tOSLO\n"
                     "entity\tc\tRome\tplace\t1\t7\tRome\n"
                     "stance\ta\tOslo\tcon\t-0.5\t1\n"
                     "stance\tb\tOslo\tpro\t0.25\t2\n"
                     "stance\tc\tOslo\tcon\t0.5\t3\n";
    char *got = merged_sorted(in, 1, NULL);
    cr_assert_str_eq(got, "#entity\tdoc\tentity\ttype\tcount\tfirst\tforms\n"
                          "entity\t*\tOslo\torg\t3\t5\tOslo|OSLO\n"
                          "entity\t*\tOslo\tplace\t3\t4\tOslo|oslo\n"
                          "entity\t*\tRome\tplace\t1\t7\tRome\n"
                          "#stance\tdoc\ttarget\tlabel\tscore\tmentions\n"
                          "stance\t*\tOslo\tcon\t0.5\t4\n"
                          "stance\t*\tOslo\tpro\t0.25\t2\n");
    free(got);
}

Test(merge, sorted_equals_plain_merge_sorted_the_same_way)
{
    static const char *const names[] = {"Ada", "Bo", "Cy", "Di\\tx", "Ed", "Ad", "B"};
    static const char *const labels[] = {"pro", "con", "neutral"};
    uint64_t state = 7;
    buf in = BUF_INIT;
    for (int i = 0; i < 3000; i++) {
        char line[256];
        uint32_t r = next_random(&state);
        if (r % 4) {
            snprintf(line, sizeof line, "entity\td%d\t%s%u\t%s\t%u\t%u\tf%u|f%u|g%u\n", i % 40,
                     names[r % 7], next_random(&state) % 30, r % 5 ? "person" : "org",
                     next_random(&state) % 100, next_random(&state) % 1000,
                     next_random(&state) % 40, next_random(&state) % 40, next_random(&state) % 9);
        } else if (r % 9) {
            snprintf(line, sizeof line, "stance\td%d\t%s\t%s\t%s%u.%03u\t%u\n", i % 40,
                     names[r % 7], labels[(r >> 4) % 3], r & 256 ? "-" : "",
                     next_random(&state) % 3, next_random(&state) % 1000, next_random(&state) % 10);
        } else {
            snprintf(line, sizeof line, "total\td%d\t%u\n", i % 40, r % 10);
        }
        buf_adds(&in, line);
    }
    char *plain = merged(in.data, 0);
    char *want = sort_like_merge_sort_command(plain);
    char *sorted_in = sort_like_merge_sort_command(in.data);
    char *got = merged_sorted(sorted_in, 0, NULL);
    cr_assert_str_eq(got, want);
    /* Sorting merged shards and reducing them again changes nothing. */
    char *again = merged_sorted(got, 0, NULL);
    cr_assert_str_eq(again, want);
    free(plain);
    free(want);
    free(sorted_in);
    free(got);
    free(again);
    buf_free(&in);
}

Test(merge, sorted_reports_unsorted_input_once_and_merges_it)
{
    buf errors = BUF_INIT;
    buf_adds(&errors, "");
    char *got = merged_sorted("entity\ta\tBo\tp\t1\t1\tBo\n"
                              "entity\ta\tAda\tp\t1\t1\tAda\n"
                              "entity\ta\tBo\tp\t1\t1\tBo\n"
                              "entity\ta\tAda\tp\t1\t1\tAda\n",
                              0, &errors);
    cr_assert_str_eq(got, "entity\t*\tBo\tp\t1\t1\tBo\n"
                          "entity\t*\tAda\tp\t1\t1\tAda\n"
                          "entity\t*\tBo\tp\t1\t1\tBo\n"
                          "entity\t*\tAda\tp\t1\t1\tAda\n");
    cr_assert_str_eq(errors.data,
                     "2: input not sorted (this line belongs before the one above; merged all "
                     "the same, but groups may come out twice): sort with " MERGE_SORT_COMMAND
                     "\n");
    free(got);
    buf_free(&errors);
}

Test(merge, sorted_runs_of_every_size)
{
    /* 1, 17 (more than a short run) and 5000 (the table grows) keys
     * share a first key column; each run is written whole. */
    static const int sizes[] = {1, 17, 5000, 2};
    buf in = BUF_INIT, want = BUF_INIT;
    char line[128];
    for (int r = 0; r < 4; r++) {
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < sizes[r]; k++) {
                snprintf(line, sizeof line, "entity\td%d\tk%d\tt%d\t1\t%d\tf%d\n", pass, r, k,
                         pass + k, pass);
                buf_adds(&in, line);
            }
        }
        for (int k = 0; k < sizes[r]; k++) {
            snprintf(line, sizeof line, "entity\t*\tk%d\tt%d\t2\t%d\tf0|f1\n", r, k, k);
            buf_adds(&want, line);
        }
    }
    char *got = merged_sorted(in.data, 0, NULL);
    cr_assert_str_eq(got, want.data);
    free(got);
    buf_free(&in);
    buf_free(&want);
}

static long
peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

Test(merge, sorted_memory_does_not_grow_with_the_keys)
{
    long before = peak_rss_kb();
    if (before < 0)
        cr_skip_test("/proc/self/status not found, skipping");
    FILE *devnull = fopen("/dev/null", "w");
    cr_assert_not_null(devnull);
    merger *m = merge_new(fake_lookup, NULL);
    merge_stream_to(m, devnull, 0);
    char line[128];
    /* 400k distinct keys: plain merge holds them all (some 60 MB). */
    for (int i = 0; i < 400000; i++) {
        for (int d = 0; d < 2; d++) {
            int len = snprintf(line, sizeof line, "entity\td%d\tname%07d\tperson\t%d\t%d\tform%d",
                               d, i, d + 1, i, d);
            char err[256];
            cr_assert_eq(merge_line(m, line, (size_t)len, err, sizeof err), 0, "%s", err);
        }
    }
    cr_assert_eq(merge_write(m, NULL, 0), 0);
    merge_free(m);
    fclose(devnull);
    long grew = peak_rss_kb() - before;
    cr_assert_lt(grew, 4096, "peak RSS grew by %ld kB", grew);
}
