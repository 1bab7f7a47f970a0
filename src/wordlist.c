/* wordlist.c: a hash set of normalised words (stopwords, abbreviations),
 * open addressing over one string arena, so that a lookup per token is a
 * hash and usually one compare. */
#include "config.h"

#include "wordlist.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "hash.h"
#include "buf.h"
#include "normalize.h"

/* A slot with len 0 is empty: empty words are never stored. */
typedef struct slot {
    uint32_t hash;
    uint32_t len;
    uint32_t off; /* into strings */
} slot;

struct wordlist {
    slot *slots;
    size_t mask; /* slots - 1, a power of two minus one */
    size_t count;
    buf strings; /* every entry, NUL-terminated, back to back */
};

wordlist *
wordlist_new(void)
{
    wordlist *w = xcalloc(1, sizeof *w);
    w->mask = 63;
    w->slots = xcalloc(w->mask + 1, sizeof *w->slots);
    return w;
}

void
wordlist_free(wordlist *w)
{
    if (w == NULL)
        return;
    free(w->slots);
    buf_free(&w->strings);
    free(w);
}

size_t
wordlist_count(const wordlist *w)
{
    return w->count;
}

static size_t
find_slot(const wordlist *w, const char *word, size_t len, uint32_t h)
{
    size_t i = h & w->mask;
    for (;;) {
        const slot *s = &w->slots[i];
        if (s->len == 0)
            return i;
        if (s->hash == h && s->len == len && memcmp(w->strings.data + s->off, word, len) == 0)
            return i;
        i = (i + 1) & w->mask;
    }
}

int
wordlist_has(const wordlist *w, const char *word, size_t len)
{
    if (w == NULL || len == 0 || w->count == 0)
        return 0;
    uint32_t h = hash_word(word, len);
    return w->slots[find_slot(w, word, len, h)].len != 0;
}

static void
grow(wordlist *w)
{
    size_t oldn = w->mask + 1;
    slot *old = w->slots;
    w->mask = oldn * 2 - 1;
    w->slots = xcalloc(oldn * 2, sizeof *w->slots);
    for (size_t i = 0; i < oldn; i++) {
        if (old[i].len == 0)
            continue;
        size_t j = old[i].hash & w->mask;
        while (w->slots[j].len != 0)
            j = (j + 1) & w->mask;
        w->slots[j] = old[i];
    }
    free(old);
}

void
wordlist_add(wordlist *w, const char *word, size_t len)
{
    if (len == 0 || len > UINT32_MAX / 2 || w->strings.len + len + 1 > UINT32_MAX)
        return;
    uint32_t h = hash_word(word, len);
    size_t i = find_slot(w, word, len, h);
    if (w->slots[i].len != 0)
        return;
    slot *s = &w->slots[i];
    s->hash = h;
    s->len = (uint32_t)len;
    s->off = (uint32_t)w->strings.len;
    buf_add(&w->strings, word, len);
    buf_addc(&w->strings, '\0');
    /* Keep the load at most a half, so that probes stay short. */
    if (++w->count * 2 > w->mask + 1)
        grow(w);
}

static int
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

int
wordlist_load(wordlist *w, const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    buf text = BUF_INIT;
    char chunk[16384];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&text, chunk, got);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        snprintf(err, errsize, "%s: read error", path);
        buf_free(&text);
        return -1;
    }

    /* Entries are normalised exactly as tokens are, so that a list written
     * with capitals or curly apostrophes still matches token norms. */
    normalizer *nz = normalize_new();
    buf norm = BUF_INIT;
    const char *p = text.data ? text.data : "";
    const char *end = p + text.len;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        const char *a = p, *b = eol;
        p = eol + 1;
        while (a < b && is_blank(*a))
            a++;
        while (b > a && is_blank(b[-1]))
            b--;
        if (a == b || *a == '#')
            continue;
        buf_clear(&norm);
        size_t n = normalize_append(nz, a, (size_t)(b - a), &norm);
        wordlist_add(w, norm.data, n);
    }
    buf_free(&norm);
    normalize_free(nz);
    buf_free(&text);
    return 0;
}
