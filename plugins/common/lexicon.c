/* lexicon.c: weighted word and phrase lists matched by stem (see lexicon.h). */
#include "config.h"

#include "lexicon.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One term: a run of stems in `words`, chained with the other terms whose
 * first stem falls in the same hash slot. */
typedef struct lexicon_entry {
    uint32_t first; /* index of its first stem in lx->words */
    uint32_t nwords;
    uint32_t next; /* next entry in the slot's chain, plus 1; 0 ends it */
    double weight;
} lexicon_entry;

struct lexicon {
    char *text; /* the stems, each NUL-terminated */
    size_t text_len, text_cap;
    uint32_t *words; /* offset of each stem in text */
    size_t nwords, words_cap;
    lexicon_entry *entries;
    size_t nentries, entries_cap;
    uint32_t *slots; /* first entry of each chain, plus 1; 0: empty */
    size_t nslots;   /* a power of two */
    int failed;      /* out of memory inside the analyzer callback */
};

static uint32_t
hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

lexicon *
lexicon_new(void)
{
    lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->nslots = 256;
    lx->slots = calloc(lx->nslots, sizeof *lx->slots);
    if (!lx->slots) {
        free(lx);
        return NULL;
    }
    return lx;
}

void
lexicon_free(lexicon *lx)
{
    if (!lx)
        return;
    free(lx->text);
    free(lx->words);
    free(lx->entries);
    free(lx->slots);
    free(lx);
}

size_t
lexicon_count(const lexicon *lx)
{
    return lx->nentries;
}

static const char *
word_at(const lexicon *lx, uint32_t w)
{
    return lx->text + lx->words[w];
}

static uint32_t
slot_of(const lexicon *lx, const char *stem, size_t len)
{
    return hash_bytes(stem, len) & (uint32_t)(lx->nslots - 1);
}

static void
chain_entry(lexicon *lx, size_t e)
{
    const char *first = word_at(lx, lx->entries[e].first);
    uint32_t s = slot_of(lx, first, strlen(first));
    lx->entries[e].next = lx->slots[s];
    lx->slots[s] = (uint32_t)e + 1;
}

/* Keep chains short: double the slots when the load passes one half. */
static int
rehash(lexicon *lx)
{
    if (lx->nentries * 2 < lx->nslots)
        return 0;
    uint32_t *slots = calloc(lx->nslots * 2, sizeof *slots);
    if (!slots)
        return -1;
    free(lx->slots);
    lx->slots = slots;
    lx->nslots *= 2;
    for (size_t e = 0; e < lx->nentries; e++)
        chain_entry(lx, e);
    return 0;
}

/* analyze() callback: append every token's stem to the stem list. */
static int
collect_stems(void *arg, const tp_sentence *s)
{
    lexicon *lx = arg;
    for (size_t i = 0; i < s->ntokens; i++) {
        const tp_token *t = &s->tokens[i];
        if (t->stem_len == 0)
            continue;
        if (grow((void **)&lx->text, &lx->text_cap, lx->text_len + t->stem_len + 1, 1) < 0 ||
            grow((void **)&lx->words, &lx->words_cap, lx->nwords + 1, sizeof *lx->words) < 0) {
            lx->failed = 1;
            return TP_ERROR;
        }
        lx->words[lx->nwords++] = (uint32_t)lx->text_len;
        memcpy(lx->text + lx->text_len, t->stem, t->stem_len);
        lx->text_len += t->stem_len;
        lx->text[lx->text_len++] = '\0';
    }
    return TP_OK;
}

/* The entry spelling the same stems as words[first, first+n), if any. */
static lexicon_entry *
find_same(lexicon *lx, uint32_t first, uint32_t n)
{
    const char *w0 = word_at(lx, first);
    for (uint32_t e = lx->slots[slot_of(lx, w0, strlen(w0))]; e; e = lx->entries[e - 1].next) {
        lexicon_entry *en = &lx->entries[e - 1];
        if (en->nwords != n)
            continue;
        uint32_t k = 0;
        while (k < n && strcmp(word_at(lx, en->first + k), word_at(lx, first + k)) == 0)
            k++;
        if (k == n)
            return en;
    }
    return NULL;
}

int
lexicon_add(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *term, size_t len,
            double weight)
{
    size_t text_mark = lx->text_len, words_mark = lx->nwords;
    lx->failed = 0;
    if (host->analyze(ctx, term, len, collect_stems, lx) != TP_OK) {
        lx->text_len = text_mark;
        lx->nwords = words_mark;
        if (lx->failed)
            return host->fail(ctx, "out of memory loading a lexicon");
        return TP_ERROR;
    }
    uint32_t n = (uint32_t)(lx->nwords - words_mark);
    if (n == 0)
        return TP_OK;
    lexicon_entry *same = find_same(lx, (uint32_t)words_mark, n);
    if (same) {
        same->weight = weight;
        lx->text_len = text_mark;
        lx->nwords = words_mark;
        return TP_OK;
    }
    if (grow((void **)&lx->entries, &lx->entries_cap, lx->nentries + 1, sizeof *lx->entries) < 0)
        return host->fail(ctx, "out of memory loading a lexicon");
    lexicon_entry *en = &lx->entries[lx->nentries];
    en->first = (uint32_t)words_mark;
    en->nwords = n;
    en->weight = weight;
    chain_entry(lx, lx->nentries++);
    if (rehash(lx) < 0)
        return host->fail(ctx, "out of memory loading a lexicon");
    return TP_OK;
}

int
lexicon_load(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *path,
             double fallback_weight)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return host->fail(ctx, "cannot open lexicon %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int rc = TP_OK;
    while (rc == TP_OK && (got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *tab = memchr(line, '\t', len);
        size_t term_len = tab ? (size_t)(tab - line) : len;
        double weight = fallback_weight;
        if (tab) {
            char *end;
            errno = 0;
            weight = strtod(tab + 1, &end);
            if (end == tab + 1 || errno || (*end && *end != '\t' && *end != ' ')) {
                rc = host->fail(ctx, "%s:%zu: weight is not a number", path, lineno);
                break;
            }
        }
        if (term_len > 0)
            rc = lexicon_add(lx, host, ctx, line, term_len, weight);
    }
    if (rc == TP_OK && ferror(f))
        rc = host->fail(ctx, "cannot read lexicon %s", path);
    free(line);
    fclose(f);
    return rc;
}

size_t
lexicon_match(const lexicon *lx, const tp_token *toks, size_t n, size_t i, double *weight)
{
    if (i >= n || toks[i].stem_len == 0)
        return 0;
    size_t best = 0;
    for (uint32_t e = lx->slots[slot_of(lx, toks[i].stem, toks[i].stem_len)]; e;
         e = lx->entries[e - 1].next) {
        const lexicon_entry *en = &lx->entries[e - 1];
        if (en->nwords <= best || i + en->nwords > n)
            continue;
        uint32_t k = 0;
        while (k < en->nwords) {
            const char *w = word_at(lx, en->first + k);
            const tp_token *t = &toks[i + k];
            if (strlen(w) != t->stem_len || memcmp(w, t->stem, t->stem_len))
                break;
            k++;
        }
        if (k == en->nwords) {
            best = k;
            *weight = en->weight;
        }
    }
    return best;
}
