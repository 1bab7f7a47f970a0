/* test_offsets.c: token offsets are exact byte offsets into the input, in
 * order, never overlapping, whatever the input and however it arrives. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "helpers.h"
#include "textpipe/plugin.h"
#include "tokenize.h"

typedef struct span_list {
    tok_span *v;
    size_t n, cap;
} span_list;

static void
push(span_list *l, const tok_span *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        cr_assert(l->v != NULL);
    }
    l->v[l->n++] = *s;
}

static void
push_span(void *arg, const tok_span *s)
{
    push(arg, s);
}

/* Tokenise as the core does (see tokenize_in_chunks in helpers.c). */
static void
tokenize_window(const char *in, size_t n, size_t chunk, span_list *out)
{
    tokenize_in_chunks(in, n, chunk, push_span, out);
}

/* Tokens are in order and apart; what lies between them is well-formed
 * and holds no token (only white space, controls and invisibles), so no
 * input byte is lost or shifted. */
static void
check_spans(const char *in, size_t n, const span_list *l)
{
    size_t i, prev = 0, gap_pos;
    tokenizer t;
    tok_span s;

    for (i = 0; i < l->n; i++) {
        const tok_span *v = &l->v[i];
        cr_assert(v->start >= prev, "token %zu starts at %zu before %zu", i, v->start, prev);
        cr_assert(v->start < v->end, "token %zu is empty", i);
        cr_assert(v->end <= n);
        cr_assert(v->end - v->start <= TOKENIZE_MAX);
        cr_assert(is_valid_utf8((const unsigned char *)in + prev, v->start - prev),
                  "invalid bytes in the gap before token %zu", i);
        tokenize_init(&t);
        gap_pos = 0;
        cr_assert_eq(tokenize_next(&t, in + prev, v->start - prev, &gap_pos, 1, &s), -1,
                     "a token hides in the gap %zu-%zu", prev, v->start);
        prev = v->end;
    }
    tokenize_init(&t);
    gap_pos = 0;
    cr_assert_eq(tokenize_next(&t, in + prev, n - prev, &gap_pos, 1, &s), -1);
}

static void
check_input(const char *in, size_t n)
{
    static const size_t chunks[] = {1, 7, 4096};
    span_list whole = {0}, part = {0};
    size_t i, j;

    tokenize_window(in, n, n ? n : 1, &whole);
    check_spans(in, n, &whole);
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        part.n = 0;
        tokenize_window(in, n, chunks[i], &part);
        cr_assert_eq(part.n, whole.n, "chunks of %zu", chunks[i]);
        for (j = 0; j < part.n; j++)
            cr_assert(part.v[j].start == whole.v[j].start && part.v[j].end == whole.v[j].end,
                      "chunks of %zu: token %zu at %zu-%zu, whole %zu-%zu", chunks[i], j,
                      part.v[j].start, part.v[j].end, whole.v[j].start, whole.v[j].end);
    }
    free(whole.v);
    free(part.v);
}

Test(offsets, seed_article)
{
    const char *dir = shared_dir();
    char path[4096];
    size_t n;
    char *in;

    if (dir == NULL)
        cr_skip_test("shared directory not found, skipping");
    snprintf(path, sizeof path, "%s/seeds/000_ac663f40620822e4.txt", dir);
    in = read_file(path, &n);
    if (in == NULL)
        cr_skip_test("%s not found, skipping", path);
    check_input(in, n);
    free(in);
}

Test(offsets, nasty_file)
{
    size_t n;
    char *in = read_file(test_data("nasty-unicode.txt"), &n);

    cr_assert(in != NULL, "tests/data/nasty-unicode.txt is missing");
    check_input(in, n);
    free(in);
}

/* Deterministic garbage: pieces of hard text and raw random bytes. */
Test(offsets, generated_garbage)
{
    static const char *const pieces[] = {
        "Russia’s",
        "“",
        "”",
        "U.S.",
        "e\xCC\x81",
        "\xE2\x80\xA8",
        "\r\n",
        "\r",
        "\n\n",
        "\xEF\xBB\xBF",
        "\xF0\x9F\x91\xA8\xE2\x80\x8D",
        "\xF0\x9F\x87\xBA",
        "http://x.org/",
        "a@b.co",
        "#t",
        "@m",
        "1,000",
        "3.",
        "...",
        "--",
        "'s",
        "’",
        "\xCC\x81",
        "\xE2\x80\x8D",
        "\xC2\xAD",
        "東京",
        "カナ",
        "AllHowever",
        " ",
        "\t",
        "\xE9",
        "\xF4\x90",
        "\xE2\x82",
        "\xED\xA0\x80",
        "\xC2\x85",
        "\x0C",
        "x",
    };
    size_t np = sizeof pieces / sizeof pieces[0], n = 0, i, k;
    size_t cap = 300000;
    char *in = malloc(cap + 64);
    uint64_t rnd = 0x9E3779B97F4A7C15u;

    cr_assert(in != NULL);
    while (n < cap) {
        rnd ^= rnd << 13;
        rnd ^= rnd >> 7;
        rnd ^= rnd << 17;
        k = rnd % (np + 8);
        if (k < np) {
            memcpy(in + n, pieces[k], strlen(pieces[k]));
            n += strlen(pieces[k]);
        } else if (k == np) {
            in[n++] = '\0';
        } else {
            for (i = 0; i < k - np; i++)
                in[n++] = (char)(rnd >> (8 * i));
        }
    }
    check_input(in, n);
    free(in);
}

/* Every code point, inside a word and on its own. */
Test(offsets, every_code_point)
{
    size_t cap = 0x110000 * 10, n = 0;
    char *in = malloc(cap);
    utf8proc_int32_t c;

    cr_assert(in != NULL);
    for (c = 0; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        in[n++] = 'a';
        n += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)in + n);
        in[n++] = c & 1 ? 'b' : ' ';
        in[n++] = ' ';
    }
    check_input(in, n);
    free(in);
}

/* "A\tB" -> A<TAB>B: the record writer's escapes undone. */
static size_t
unescape(const char *s, size_t n, char *out)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            out[k++] = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : s[i];
        } else {
            out[k++] = s[i];
        }
    }
    return k;
}

/* The whole core (reader, tokeniser, splitter, record writer) keeps the
 * offsets: each `token` record's surface is input[start:end]. */
static void
check_cli(const char *path)
{
    const char *argv[] = {"-p", "tokens", path, NULL};
    run_result r;
    size_t n, count = 0;
    char *in = read_file(path, &n);
    char *line, *next, *f[10], *surface;
    size_t len, i;
    unsigned long long start, end;

    cr_assert(in != NULL);
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "textpipe failed: %s", r.err);
    surface = malloc(r.out_len + 1);
    cr_assert(surface != NULL);
    for (line = r.out; *line; line = next) {
        next = strchr(line, '\n');
        cr_assert(next != NULL);
        *next++ = '\0';
        f[0] = line;
        for (i = 1; i < 10; i++) {
            f[i] = strchr(f[i - 1], '\t');
            cr_assert(f[i] != NULL, "short record: %s", line);
            *f[i]++ = '\0';
        }
        if (strcmp(f[0], "token") != 0)
            continue;
        start = strtoull(f[4], NULL, 10);
        end = strtoull(f[5], NULL, 10);
        len = unescape(f[6], strlen(f[6]), surface);
        cr_assert(start < end && end <= n && end - start == len &&
                      memcmp(in + start, surface, len) == 0,
                  "record %zu: %llu-%llu is not its surface", count, start, end);
        count++;
    }
    cr_assert(count > 0);
    free(surface);
    free(in);
    run_result_free(&r);
}

Test(offsets, cli_seed_article)
{
    const char *dir = shared_dir();
    char path[4096];
    FILE *fp;

    if (dir == NULL)
        cr_skip_test("shared directory not found, skipping");
    snprintf(path, sizeof path, "%s/seeds/000_ac663f40620822e4.txt", dir);
    fp = fopen(path, "rb");
    if (fp == NULL)
        cr_skip_test("%s not found, skipping", path);
    fclose(fp);
    check_cli(path);
}

Test(offsets, cli_nasty_file)
{
    check_cli(test_data("nasty-unicode.txt"));
}
