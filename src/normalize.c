/* normalize.c: a token's normal form: NFKC and case fold through utf8proc,
 * typographic quotes and dashes folded to ASCII, invalid UTF-8 as U+FFFD. */
#include "normalize.h"
#include "utf8.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "alloc.h"

/* Decomposition with compatibility mappings and full case folding, then
 * canonical composition: NFKC_Casefold without the removal of default
 * ignorables, which would break emoji ZWJ sequences and the ZWNJ of
 * Persian words.  Only the invisible characters that never change a word's
 * meaning (soft hyphen, zero-width space, word joiner, BOM) are dropped. */
#define DECOMPOSE_OPTIONS (UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STABLE)
#define COMPOSE_OPTIONS (UTF8PROC_COMPOSE | UTF8PROC_STABLE)

struct normalizer {
    utf8proc_int32_t *cps; /* code points of the token being normalised */
    size_t cap;            /* entries in cps */
    buf repaired;          /* a token with invalid sequences as U+FFFD */
};

/* Typographic quotes, primes and dashes as their ASCII counterparts.
 * Applied before NFKC (which would turn ″ into two primes) and after it
 * (which makes U+2014 of the small and presentation-form dashes). */
static utf8proc_int32_t
fold_typography(utf8proc_int32_t c)
{
    switch (c) {
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ */
    case 0x201A: /* ‚ */
    case 0x201B: /* ‛ */
    case 0x2032: /* ′ */
    case 0x2039: /* ‹ */
    case 0x203A: /* › */ return '\'';
    case 0x00AB: /* « */
    case 0x00BB: /* » */
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x201E: /* „ */
    case 0x201F: /* ‟ */
    case 0x2033: /* ″ */ return '"';
    case 0x2212: /* minus sign */
    case 0xFE58: /* small em dash */
    case 0xFE63: /* small hyphen-minus */
    case 0xFF0D: /* full-width hyphen-minus */ return '-';
    }
    if (c >= 0x2010 && c <= 0x2015) /* hyphens and dashes */
        return '-';
    return c;
}

static utf8proc_int32_t
fold_callback(utf8proc_int32_t c, void *data)
{
    (void)data;
    return fold_typography(c);
}

static int
is_dropped(utf8proc_int32_t c)
{
    return c == 0x00AD || c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

/* Length of the well-formed UTF-8 character at s[0, n), or 0 for an
 * ill-formed sequence, whose maximal subpart's length goes to *bad (the
 * same units the tokeniser counts). */
static inline size_t
utf8_valid_length(const unsigned char *s, size_t n, size_t *bad)
{
    int32_t cp;
    size_t len = utf8_decode(s, n, &cp);
    *bad = len;
    return cp < 0 ? 0 : len;
}

/* s[0, len) with each ill-formed sequence replaced by U+FFFD, in
 * n->repaired; NULL when s is well-formed (the usual case: no copy). */
static const char *
repair(normalizer *n, const char *s, size_t len, size_t *outlen)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, ok, bad;

    while (i < len && (ok = utf8_valid_length(u + i, len - i, &bad)))
        i += ok;
    if (i == len)
        return NULL;
    buf_clear(&n->repaired);
    buf_add(&n->repaired, s, i);
    while (i < len) {
        ok = utf8_valid_length(u + i, len - i, &bad);
        if (ok) {
            buf_add(&n->repaired, s + i, ok);
            i += ok;
        } else {
            buf_add(&n->repaired, "\xEF\xBF\xBD", 3);
            i += bad;
        }
    }
    *outlen = n->repaired.len;
    return n->repaired.data;
}

/* Can c change under NFKC only through its own case folding?  True when
 * it has no decomposition, is a starter, and is neither a mark nor a
 * conjoining jamo (the characters that compose with what precedes them
 * are all marks or jamo).  Precomposed Hangul syllables qualify. */
static int
is_nfkc_inert(utf8proc_int32_t c, const utf8proc_property_t *pr)
{
    return pr->decomp_seqindex == UINT16_MAX && pr->combining_class == 0 &&
           pr->category != UTF8PROC_CATEGORY_MN && pr->category != UTF8PROC_CATEGORY_MC &&
           pr->category != UTF8PROC_CATEGORY_ME && !(c >= 0x1100 && c <= 0x11FF) &&
           !(c >= 0xA960 && c <= 0xA97F) && !(c >= 0xD7B0 && c <= 0xD7FF);
}

/* Is c its own NFKC when alone: no compatibility mapping, and a canonical
 * decomposition (é, й, ά) that composes back to c? */
static int
is_nfkc_stable_alone(utf8proc_int32_t c)
{
    const utf8proc_property_t *pr = utf8proc_get_property(c);
    utf8proc_int32_t d[8];
    utf8proc_ssize_t n;
    int boundclass = 0;

    if (pr->decomp_seqindex == UINT16_MAX)
        return 1;
    if (pr->decomp_type != 0)
        return 0;
    n = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &boundclass);
    if (n < 1 || n > 8)
        return 0;
    n = utf8proc_normalize_utf32(d, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    return n == 1 && d[0] == c;
}

/* The folded form of U+0080..U+07FF where it is one stable code point, 0
 * where it is not.  The common letters of Latin, Greek, Cyrillic...,
 * precomposed ones included, are; looked up once, so such text skips
 * utf8proc character by character. */
static uint16_t two_byte_fold[0x800 - 0x80];
static pthread_once_t two_byte_once = PTHREAD_ONCE_INIT;

static void
build_two_byte_folds(void)
{
    utf8proc_int32_t c, f[4];
    const utf8proc_property_t *pr;
    int boundclass = 0;

    for (c = 0x80; c < 0x800; c++) {
        pr = utf8proc_get_property(c);
        if (fold_typography(c) != c || is_dropped(c) || pr->combining_class != 0 ||
            pr->category == UTF8PROC_CATEGORY_MN || pr->category == UTF8PROC_CATEGORY_MC ||
            pr->category == UTF8PROC_CATEGORY_ME || !is_nfkc_stable_alone(c))
            continue;
        if (pr->casefold_seqindex == UINT16_MAX)
            two_byte_fold[c - 0x80] = (uint16_t)c;
        else if (utf8proc_decompose_char(c, f, 4, UTF8PROC_CASEFOLD, &boundclass) == 1 &&
                 f[0] >= 0x80 && f[0] < 0x10000 && is_nfkc_stable_alone(f[0]))
            two_byte_fold[c - 0x80] = (uint16_t)f[0];
    }
}

/* The common case for letters of cased scripts: every character inert
 * under NFKC, so the normal form is the case-folded characters one by
 * one.  Returns 0, having appended nothing, when the token needs the full
 * treatment. */
static int
normalize_simple(const char *s, size_t len, buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = out->len, i = 0, cl, bad;
    utf8proc_int32_t c, f, folded[4];
    utf8proc_ssize_t m, j;
    const utf8proc_property_t *pr;
    unsigned char *d;
    int boundclass = 0;

    while (i < len) {
        buf_reserve(out, 16);
        d = (unsigned char *)out->data + out->len;
        if (u[i] < 0x80) {
            *d = (unsigned)(u[i] - 'A') < 26u ? u[i] + 32 : u[i];
            out->len++;
            i++;
            continue;
        }
        if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            c = two_byte_fold[(((u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F)) - 0x80];
            if (c != 0) {
                d += utf8proc_encode_char(c, d);
                out->len = (size_t)((char *)d - out->data);
                i += 2;
                continue;
            }
        }
        cl = utf8_valid_length(u + i, len - i, &bad);
        if (cl == 0)
            goto full;
        utf8proc_iterate(u + i, (utf8proc_ssize_t)cl, &c);
        i += cl;
        f = fold_typography(c);
        if (f != c) {
            *d = (unsigned char)f;
            out->len++;
            continue;
        }
        if (is_dropped(c))
            continue;
        pr = utf8proc_get_property(c);
        if (!is_nfkc_inert(c, pr))
            goto full;
        if (pr->casefold_seqindex == UINT16_MAX) {
            memcpy(d, u + i - cl, cl);
            out->len += cl;
            continue;
        }
        m = utf8proc_decompose_char(c, folded, 4, UTF8PROC_CASEFOLD, &boundclass);
        if (m < 0 || m > 4)
            goto full;
        for (j = 0; j < m; j++)
            d += utf8proc_encode_char(fold_typography(folded[j]), d);
        out->len = (size_t)((char *)d - out->data);
    }
    out->data[out->len] = '\0';
    return 1;
full:
    out->len = start;
    out->data[out->len] = '\0';
    return 0;
}

static size_t
normalize_unicode(normalizer *n, const char *s, size_t len, buf *out)
{
    const char *fixed;
    size_t start = out->len, fixedlen, i;
    utf8proc_ssize_t count;
    unsigned char *d;

    if (normalize_simple(s, len, out))
        return out->len - start;
    fixed = repair(n, s, len, &fixedlen);
    if (fixed) {
        s = fixed;
        len = fixedlen;
    }
    for (;;) {
        count = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                          n->cps, (utf8proc_ssize_t)n->cap, DECOMPOSE_OPTIONS,
                                          fold_callback, NULL);
        if (count < 0) { /* cannot happen on repaired input */
            buf_add(out, "\xEF\xBF\xBD", 3);
            return out->len - start;
        }
        if ((size_t)count <= n->cap)
            break;
        n->cap = (size_t)count * 2;
        free(n->cps);
        n->cps = xmalloc(n->cap * sizeof *n->cps);
    }
    count = utf8proc_normalize_utf32(n->cps, count, COMPOSE_OPTIONS);
    if (count < 0)
        count = 0;
    buf_reserve(out, (size_t)count * 4);
    d = (unsigned char *)out->data + out->len;
    for (i = 0; i < (size_t)count; i++) {
        utf8proc_int32_t c = fold_typography(n->cps[i]);
        if (!is_dropped(c))
            d += utf8proc_encode_char(c, d);
    }
    out->len = (size_t)((char *)d - out->data);
    out->data[out->len] = '\0';
    return out->len - start;
}

normalizer *
normalize_new(void)
{
    normalizer *n = xcalloc(1, sizeof *n);

    pthread_once(&two_byte_once, build_two_byte_folds);
    n->cap = 256;
    n->cps = xmalloc(n->cap * sizeof *n->cps);
    return n;
}

void
normalize_free(normalizer *n)
{
    if (n == NULL)
        return;
    free(n->cps);
    buf_free(&n->repaired);
    free(n);
}

size_t
normalize_append(normalizer *n, const char *s, size_t len, buf *out)
{
    size_t i;
    char *d;

    /* ASCII needs neither NFKC nor utf8proc's case folding. */
    buf_reserve(out, len);
    d = out->data + out->len;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return normalize_unicode(n, s, len, out);
        d[i] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
    }
    out->len += len;
    out->data[out->len] = '\0';
    return len;
}
