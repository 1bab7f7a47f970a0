/* test_normalize.c: normal forms of tricky tokens (NFKC, case fold, quote
 * and dash folding, U+FFFD for invalid bytes), exactly. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "helpers.h"
#include "normalize.h"
#include "tokenize.h"

typedef struct ncase {
    const char *in;
    size_t len;
    const char *want;
} ncase;

#define N(in, want)                                                                                \
    {                                                                                              \
        in, sizeof(in) - 1, want                                                                   \
    }

static const ncase cases[] = {
    /* the ASCII fast path */
    N("", ""),
    N("Hello", "hello"),
    N("ISKP's", "iskp's"),
    N("U.S.", "u.s."),
    N("@User_1#X", "@user_1#x"),
    /* typographic quotes and apostrophes */
    N("’", "'"),
    N("Russia’s", "russia's"),
    N("‘‛′‚‹›", "''''''"),
    N("“”„‟″«»", "\"\"\"\"\"\"\""),
    N("＂ＦＵＬＬ＇", "\"full'"),
    /* dashes */
    N("‐‑‒–—―", "------"),
    N("−﹘﹣－", "----"),
    N("de‑facto", "de-facto"),
    /* compatibility forms */
    N("ﬁnance", "finance"),
    N("ﬂour ﬀ", "flour ff"),
    N("ＡＢＣ１２３", "abc123"),
    N("ｶﾀｶﾅ", "カタカナ"),
    N("①²½", "121⁄2"),
    N("㎞", "km"),
    /* case folding */
    N("Straße", "strasse"),
    N("STRASSE", "strasse"),
    N("ΣΟΦΟΣ", "σοφοσ"),
    N("σοφός", "σοφόσ"),
    N("İstanbul", "i\xCC\x87stanbul"),
    N("ISTANBUL ı", "istanbul ı"),
    N("ǅemal", "džemal"),
    N("МОСКВА", "москва"),
    /* composition: decomposed input comes out composed */
    N("e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9"),
    N("A\xCC\x8A", "\xC3\xA5"),
    N("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C"), /* 한 */
    /* invisible characters dropped, joiners kept */
    N("co\xC2\xADoperate", "cooperate"),
    N("a\xE2\x80\x8B"
      "b\xE2\x81\xA0"
      "c\xEF\xBB\xBF",
      "abc"),
    N("می\xE2\x80\x8Cخواهم", "می\xE2\x80\x8Cخواهم"),
    N("👨‍👩‍👧", "👨‍👩‍👧"),
    N("❤️", "❤️"),
    /* invalid UTF-8: one U+FFFD per ill-formed sequence */
    N("caf\xE9", "caf\xEF\xBF\xBD"),
    N("\xFF\xFE", "\xEF\xBF\xBD\xEF\xBF\xBD"),
    N("a\xE2\x82"
      "b",
      "a\xEF\xBF\xBD"
      "b"),
    N("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"),
    N("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"),
    N("\xF0\x9F\x98", "\xEF\xBF\xBD"),
    N("É\xF4\x90\x80\x80", "é\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"),
    N("\xEF\xBF\xBD", "\xEF\xBF\xBD"),
};

Test(normalize, table)
{
    normalizer *n = normalize_new();
    buf out = BUF_INIT;
    size_t i, got;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_clear(&out);
        got = normalize_append(n, cases[i].in, cases[i].len, &out);
        cr_expect_str_eq(out.data, cases[i].want, "input \"%s\"", cases[i].in);
        cr_expect_eq(got, strlen(cases[i].want), "input \"%s\"", cases[i].in);
    }
    buf_free(&out);
    normalize_free(n);
}

Test(normalize, appends_after_what_is_there)
{
    normalizer *n = normalize_new();
    buf out = BUF_INIT;

    buf_adds(&out, "x|");
    cr_assert_eq(normalize_append(n, "ABC", 3, &out), 3);
    buf_addc(&out, '|');
    cr_assert_eq(normalize_append(n, "Москва’s", strlen("Москва’s"), &out), strlen("москва's"));
    buf_addc(&out, '|');
    cr_assert_eq(normalize_append(n, "", 0, &out), 0);
    cr_assert_str_eq(out.data, "x|abc|москва's|");
    cr_assert_eq(out.len, strlen(out.data));
    buf_free(&out);
    normalize_free(n);
}

Test(normalize, long_token_grows_scratch)
{
    normalizer *n = normalize_new();
    buf out = BUF_INIT;
    size_t i, len = 0;
    char *in = malloc(8 * 1000 + 1);

    cr_assert(in != NULL);
    /* each U+FDFA decomposes into 18 code points */
    for (i = 0; i < 1000; i++, len += 3)
        memcpy(in + len, "\xEF\xB7\xBA", 3);
    normalize_append(n, in, len, &out);
    cr_assert_eq(out.len, 1000 * strlen("صلى الله عليه وسلم"));
    cr_assert(strncmp(out.data, "صلى الله عليه وسلم", strlen("صلى الله عليه وسلم")) == 0);
    free(in);
    buf_free(&out);
    normalize_free(n);
}

Test(normalize, free_null)
{
    normalize_free(NULL);
}

/* Every token of the nasty file normalises to well-formed UTF-8 without
 * ASCII capitals, quotes or dashes left unfolded. */
Test(normalize, nasty_file_tokens)
{
    size_t n, pos = 0;
    char *in = read_file(test_data("nasty-unicode.txt"), &n);
    normalizer *nz = normalize_new();
    buf out = BUF_INIT;
    tokenizer t;
    tok_span s;

    cr_assert(in != NULL, "tests/data/nasty-unicode.txt is missing");
    tokenize_init(&t);
    while (tokenize_next(&t, in, n, &pos, 1, &s) == 1) {
        buf_clear(&out);
        normalize_append(nz, in + s.start, s.end - s.start, &out);
        cr_assert(out.len > 0, "token at %zu normalises to nothing", s.start);
        cr_assert(is_valid_utf8((const unsigned char *)out.data, out.len),
                  "token at %zu: ill-formed normal form", s.start);
        cr_assert(strpbrk(out.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == NULL,
                  "token at %zu: capital in \"%s\"", s.start, out.data);
        cr_assert(strstr(out.data, "’") == NULL && strstr(out.data, "“") == NULL &&
                      strstr(out.data, "—") == NULL,
                  "token at %zu: unfolded \"%s\"", s.start, out.data);
    }
    buf_free(&out);
    normalize_free(nz);
    free(in);
}

/* The definition the normaliser implements, the slow way: utf8proc_map
 * with the quote and dash folding before and after, invisibles dropped. */
static utf8proc_int32_t
fold_reference(utf8proc_int32_t c)
{
    if (c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B || c == 0x2032 || c == 0x2039 ||
        c == 0x203A)
        return '\'';
    if (c == 0x00AB || c == 0x00BB || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F ||
        c == 0x2033)
        return '"';
    if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 || c == 0xFE63 || c == 0xFF0D)
        return '-';
    return c;
}

static utf8proc_int32_t
fold_reference_callback(utf8proc_int32_t c, void *data)
{
    (void)data;
    return fold_reference(c);
}

static void
reference(const char *s, size_t len, buf *out)
{
    utf8proc_uint8_t *mapped = NULL, tmp[4];
    utf8proc_ssize_t n, i = 0, k;
    utf8proc_int32_t c;

    n = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
                            UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                UTF8PROC_STABLE,
                            fold_reference_callback, NULL);
    cr_assert(n >= 0);
    buf_clear(out);
    while (i < n) {
        i += utf8proc_iterate(mapped + i, n - i, &c);
        c = fold_reference(c);
        if (c == 0x00AD || c == 0x200B || c == 0x2060 || c == 0xFEFF)
            continue;
        k = utf8proc_encode_char(c, tmp);
        buf_add(out, tmp, (size_t)k);
    }
    free(mapped);
}

/* Every code point, alone and after a capital and before a combining
 * mark, normalises as the definition says (the per-character fast path
 * must agree with full NFKC). */
Test(normalize, every_code_point_agrees_with_utf8proc_map)
{
    normalizer *n = normalize_new();
    buf got = BUF_INIT, want = BUF_INIT;
    utf8proc_uint8_t in[16];
    utf8proc_int32_t c;
    size_t len;
    int variant;

    for (c = 0x80; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        for (variant = 0; variant < 3; variant++) {
            len = 0;
            if (variant == 1)
                in[len++] = 'A';
            len += (size_t)utf8proc_encode_char(c, in + len);
            if (variant == 2) {
                memcpy(in + len, "\xCC\x81", 2); /* U+0301 */
                len += 2;
            }
            buf_clear(&got);
            normalize_append(n, (const char *)in, len, &got);
            reference((const char *)in, len, &want);
            cr_assert(got.len == want.len && memcmp(got.data, want.data, got.len) == 0,
                      "U+%04X (variant %d): got \"%s\", want \"%s\"", (unsigned)c, variant,
                      got.data, want.data);
            if (c >= 0x3400 && variant == 0)
                break; /* past the scripts with case and marks: alone is enough */
        }
    }
    buf_free(&got);
    buf_free(&want);
    normalize_free(n);
}
