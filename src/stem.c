/* stem.c: Snowball stemming by language (libstemmer), with a direct-mapped
 * cache of recent stems so that a repeated word costs one hash lookup. */
#include "config.h"

#include "stem.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "hash.h"

/* Longer words (URLs, chemical names, blobs) are returned unstemmed: no
 * language has suffix rules that matter there, and they would only churn
 * the cache. */
#define STEM_MAX_WORD 64
/* Slots in the cache: a power of two.  16K slots hold the working
 * vocabulary of a long article; a miss costs one Snowball call. */
#define STEM_CACHE_SLOTS 16384
/* It starts at this many and grows to the full size once that many words
 * have missed twice over (see ACACHE_FIRST_SLOTS in pipeline.c: page
 * faults are most of a short run's cost). */
#define STEM_FIRST_SLOTS 1024

/* ISO 639-1 codes of the languages libstemmer ships (its list gives only
 * Snowball names).  A code whose name the installed libstemmer lacks is
 * skipped at run time. */
static const struct {
    const char *code, *name;
} codes[] = {
    {"ar", "arabic"},    {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
    {"da", "danish"},    {"nl", "dutch"},     {"en", "english"},    {"eo", "esperanto"},
    {"et", "estonian"},  {"fi", "finnish"},   {"fr", "french"},     {"de", "german"},
    {"el", "greek"},     {"hi", "hindi"},     {"hu", "hungarian"},  {"id", "indonesian"},
    {"ga", "irish"},     {"it", "italian"},   {"lt", "lithuanian"}, {"ne", "nepali"},
    {"no", "norwegian"}, {"nb", "norwegian"}, {"nn", "norwegian"},  {"pt", "portuguese"},
    {"ro", "romanian"},  {"ru", "russian"},   {"sr", "serbian"},    {"es", "spanish"},
    {"sv", "swedish"},   {"ta", "tamil"},     {"tr", "turkish"},    {"yi", "yiddish"},
};

/* Half a cache line a slot, so that a lookup touches one line and the
 * table (512 KB) leaves room in L2 for the rest of the pipeline.  Snowball
 * mostly cuts suffixes, so the stem is usually a prefix of the word and
 * needs no bytes of its own; a stem that is not ("happy" -> "happi") is
 * stored after the word.  A word that does not fit is not cached. */
typedef struct cache_slot {
    uint32_t hash;
    uint8_t word_len; /* 0: empty */
    uint8_t stem_len;
    uint8_t stem_at; /* where the stem starts in text: 0 or word_len */
    char text[25];
} cache_slot;

_Static_assert(sizeof(cache_slot) == 32, "a cache slot is half a cache line");

struct stemmer {
    struct sb_stemmer *sb; /* NULL for "none" */
    cache_slot *slots;     /* mask + 1 of them, 64-byte aligned */
    void *block;           /* what was allocated for them */
    size_t mask, misses;
};

/* An empty cache of n slots.  calloc, not malloc and memset: the fresh
 * pages of a large block are zero already and are faulted in only as
 * slots are used. */
static void
cache_alloc(stemmer *s, size_t n)
{
    free(s->block);
    s->block = xcalloc(1, n * sizeof *s->slots + 63);
    s->slots = (cache_slot *)(((uintptr_t)s->block + 63) & ~(uintptr_t)63);
    s->mask = n - 1;
    s->misses = 0;
}

static int
ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* The name as libstemmer's own list spells it, so that the pointer we hand
 * out lives as long as the library. */
static const char *
shipped_name(const char *name)
{
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (same_name(*l, name))
            return *l;
    return NULL;
}

const char *
stem_language(const char *lang)
{
    if (lang == NULL)
        return NULL;
    if (same_name(lang, "none"))
        return "none";
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (same_name(lang, codes[i].code))
            return shipped_name(codes[i].name);
    return shipped_name(lang);
}

stemmer *
stem_new(const char *lang)
{
    const char *name = stem_language(lang);
    if (name == NULL)
        return NULL;
    struct sb_stemmer *sb = NULL;
    if (strcmp(name, "none") != 0) {
        sb = sb_stemmer_new(name, "UTF_8");
        if (sb == NULL)
            return NULL;
    }
    stemmer *s = xcalloc(1, sizeof *s);
    s->sb = sb;
    if (sb != NULL)
        cache_alloc(s, STEM_FIRST_SLOTS);
    return s;
}

void
stem_free(stemmer *s)
{
    if (s == NULL)
        return;
    sb_stemmer_delete(s->sb);
    free(s->block);
    free(s);
}

const char *
stem_word(stemmer *s, const char *word, size_t len, size_t *stem_len)
{
    if (s->sb == NULL || len == 0 || len > STEM_MAX_WORD) {
        *stem_len = len;
        return word;
    }
    uint32_t h = hash_word(word, len);
    h ^= h >> 15; /* the slot index takes low bits: fold the high ones in */
    cache_slot *e = &s->slots[h & s->mask];
    if (e->word_len == len && e->hash == h && memcmp(e->text, word, len) == 0) {
        *stem_len = e->stem_len;
        return e->text + e->stem_at;
    }

    const sb_symbol *st = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
    if (st == NULL) { /* out of memory inside libstemmer: leave it unstemmed */
        *stem_len = len;
        return word;
    }
    size_t n = (size_t)sb_stemmer_length(s->sb);
    *stem_len = n;
    if (s->mask < STEM_CACHE_SLOTS - 1 && ++s->misses > 2 * s->mask) {
        cache_alloc(s, STEM_CACHE_SLOTS);
        e = &s->slots[h & s->mask];
    }
    size_t at = n <= len && memcmp(st, word, n) == 0 ? 0 : len;
    if (at + n > sizeof e->text || len > sizeof e->text) {
        /* The stemmer's buffer is valid until its next call, as promised. */
        return (const char *)st;
    }
    /* Evict by overwrite: the direct-mapped slot simply changes hands. */
    memcpy(e->text, word, len);
    memcpy(e->text + at, st, n);
    e->hash = h;
    e->word_len = (uint8_t)len;
    e->stem_len = (uint8_t)n;
    e->stem_at = (uint8_t)at;
    return e->text + at;
}

void
stem_list_languages(FILE *out)
{
    for (const char **l = sb_stemmer_list(); *l; l++) {
        const char *code = "";
        for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
            if (strcmp(codes[i].name, *l) == 0) {
                code = codes[i].code;
                break;
            }
        fprintf(out, "%s\t%s\n", code, *l);
    }
}
