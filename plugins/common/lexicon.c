/* lexicon.c: weighted word and phrase lists matched by stem (see lexicon.h). */
#include "config.h"

#include "lexicon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"

/* The match filters' size: 64-bit words, one per value of a key's top
 * eight bits. */
#define MATCH_FILTER_WORDS 256

/* One stem of a term, with what matching compares first. */
typedef struct lexicon_word {
    uint32_t off;  /* in lx->text, NUL-terminated */
    uint32_t len;  /* bytes, without the NUL */
    uint32_t hash; /* lexicon_hash of the stem */
} lexicon_word;

/* One term: a run of stems in `words`, chained with the other terms whose
 * first stem falls in the same hash slot. */
typedef struct lexicon_entry {
    uint32_t first; /* index of its first stem in lx->words */
    uint32_t nwords;
    uint32_t next; /* next entry in the slot's chain, plus 1; 0 ends it */
    uint32_t hash; /* of its first stem: most of a chain fails on it */
    /* Entries with the same first stem ("i think", "i believe", ...) make
     * a group: they follow their head in its chain, one-stem entries
     * first, so the first stem is compared once per group, and a group
     * whose first stem differs is skipped whole.  Set in heads only:
     * the entry after the group (plus 1, 0: none), and a bit per second
     * stem's hash of the group's longer entries, so that most tokens
     * after a common first word ("the", "in") skip them all. */
    uint32_t same_first; /* 0: a group's head */
    uint32_t group_end;
    uint64_t seconds;
    unsigned tag;
    /* lexicon_match_tokens' index: the entry's key (its stem's hash, or
     * for a longer entry its first two stems' pair_key) and the next
     * entry in the same match slot, plus 1. */
    uint32_t key, match_next;
    double weight;
} lexicon_entry;

struct lexicon {
    char *text; /* the stems, each NUL-terminated */
    size_t text_len, text_cap;
    lexicon_word *words;
    size_t nwords, words_cap;
    lexicon_entry *entries;
    size_t nentries, entries_cap;
    uint32_t *slots; /* first entry of each chain, plus 1; 0: empty */
    size_t nslots;   /* a power of two */
    /* Entries by key (lexicon_entry.key), for lexicon_match_tokens: at a
     * token it looks up the one-stem entries of its stem and the longer
     * entries of its stem and the next, whatever the size of the group
     * that shares the first stem.  Kept at most a quarter full. */
    uint32_t *match_slots;
    size_t nmatch_slots; /* a power of two */
    /* A bit per key's top bits, for the first stems of all entries, for
     * one-stem and for longer entries: most tokens start no entry, and a
     * bit says so without a slot's chain. */
    uint64_t first_stems[MATCH_FILTER_WORDS];
    uint64_t one_keys[MATCH_FILTER_WORDS], pair_keys[MATCH_FILTER_WORDS];
    int failed; /* out of memory inside the analyzer callback */
};

/* A stem's hash: the one the host lends per token (tp_sentence.stem_hashes),
 * so that its hashes and the entries' agree. */
static inline uint32_t
hash_bytes(const char *s, size_t len)
{
    return tp_stem_hash(s, len);
}

void
lexicon_hash_tokens(const tp_token *toks, size_t n, uint32_t *hashes)
{
    for (size_t j = 0; j < n; j++)
        hashes[j] = hash_bytes(toks[j].stem, toks[j].stem_len);
}

const uint32_t *
lexicon_sentence_hashes(const tp_sentence *s, uint32_t *buf)
{
    if (TP_HAS(s, stem_hashes) && s->stem_hashes != NULL)
        return s->stem_hashes;
    lexicon_hash_tokens(s->tokens, s->ntokens, buf);
    return buf;
}

lexicon *
lexicon_new(void)
{
    lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->nslots = 256;
    lx->slots = calloc(lx->nslots, sizeof *lx->slots);
    lx->nmatch_slots = 256;
    lx->match_slots = calloc(lx->nmatch_slots, sizeof *lx->match_slots);
    if (!lx->slots || !lx->match_slots) {
        free(lx->slots);
        free(lx->match_slots);
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
    free(lx->match_slots);
    free(lx);
}

size_t
lexicon_count(const lexicon *lx)
{
    return lx->nentries;
}

static uint32_t
slot_of(const lexicon *lx, uint32_t hash)
{
    return hash & (uint32_t)(lx->nslots - 1);
}

/* Stems are short: a loop beats a call to memcmp. */
static int
bytes_equal(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int
same_word(const lexicon *lx, uint32_t a, uint32_t b)
{
    const lexicon_word *wa = &lx->words[a], *wb = &lx->words[b];
    return wa->hash == wb->hash && wa->len == wb->len &&
           bytes_equal(lx->text + wa->off, lx->text + wb->off, wa->len);
}

static uint64_t
second_bit(uint32_t hash)
{
    return (uint64_t)1 << (hash >> 26);
}

/* Into its slot's chain: into the group of its first stem (a one-stem
 * entry right after the head, a longer one after the one-stem entries),
 * else as the head of a new group at the chain's head. */
static void
chain_entry(lexicon *lx, size_t e)
{
    lexicon_entry *en = &lx->entries[e];
    uint32_t s = slot_of(lx, en->hash);
    en->seconds = en->nwords > 1 ? second_bit(lx->words[en->first + 1].hash) : 0;
    for (uint32_t o = lx->slots[s]; o; o = lx->entries[o - 1].group_end) {
        lexicon_entry *head = &lx->entries[o - 1];
        if (head->hash != en->hash || !same_word(lx, head->first, en->first))
            continue;
        head->seconds |= en->seconds;
        en->same_first = 1;
        lexicon_entry *prev = head;
        if (en->nwords > 1)
            while (prev->next != head->group_end && lx->entries[prev->next - 1].nwords == 1)
                prev = &lx->entries[prev->next - 1];
        en->next = prev->next;
        prev->next = (uint32_t)e + 1;
        return;
    }
    en->same_first = 0;
    en->next = en->group_end = lx->slots[s];
    lx->slots[s] = (uint32_t)e + 1;
}

/* The key of a longer entry: its first two stems' hashes. */
static inline uint32_t
pair_key(uint32_t first, uint32_t second)
{
    return first ^ (second * 0x9e3779b1u);
}

/* The filter bit of a key: its top bits, as the slots use its low ones. */
static inline int
filter_has(const uint64_t *filter, uint32_t key)
{
    return (filter[key >> 24] >> (key >> 18 & 63)) & 1;
}

static inline void
filter_add(uint64_t *filter, uint32_t key)
{
    filter[key >> 24] |= (uint64_t)1 << (key >> 18 & 63);
}

static void
index_entry(lexicon *lx, size_t e)
{
    lexicon_entry *en = &lx->entries[e];
    en->key = en->nwords == 1 ? en->hash : pair_key(en->hash, lx->words[en->first + 1].hash);
    filter_add(en->nwords == 1 ? lx->one_keys : lx->pair_keys, en->key);
    filter_add(lx->first_stems, en->hash);
    uint32_t s = en->key & (uint32_t)(lx->nmatch_slots - 1);
    en->match_next = lx->match_slots[s];
    lx->match_slots[s] = (uint32_t)e + 1;
}

/* Keep the match slots at most a quarter full. */
static int
reindex(lexicon *lx)
{
    if (lx->nentries * 4 < lx->nmatch_slots)
        return 0;
    uint32_t *slots = calloc(lx->nmatch_slots * 2, sizeof *slots);
    if (!slots)
        return -1;
    free(lx->match_slots);
    lx->match_slots = slots;
    lx->nmatch_slots *= 2;
    for (size_t e = 0; e < lx->nentries; e++)
        index_entry(lx, e);
    return 0;
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
        lexicon_word *w = &lx->words[lx->nwords++];
        w->off = (uint32_t)lx->text_len;
        w->len = t->stem_len;
        w->hash = hash_bytes(t->stem, t->stem_len);
        memcpy(lx->text + lx->text_len, t->stem, t->stem_len);
        lx->text_len += t->stem_len;
        lx->text[lx->text_len++] = '\0';
    }
    return TP_OK;
}

/* The entry of that tag spelling the same stems as words[first, first+n),
 * if any. */
static lexicon_entry *
find_same(lexicon *lx, uint32_t first, uint32_t n, unsigned tag)
{
    for (uint32_t e = lx->slots[slot_of(lx, lx->words[first].hash)]; e;
         e = lx->entries[e - 1].next) {
        lexicon_entry *en = &lx->entries[e - 1];
        if (en->nwords != n || en->tag != tag)
            continue;
        uint32_t k = 0;
        while (k < n && same_word(lx, en->first + k, first + k))
            k++;
        if (k == n)
            return en;
    }
    return NULL;
}

/* A new entry for the stems words[first, first + n), which no entry of
 * that tag has yet.  0, or -1 when out of memory. */
static int
add_new_entry(lexicon *lx, size_t first, uint32_t n, unsigned tag, double weight)
{
    if (grow((void **)&lx->entries, &lx->entries_cap, lx->nentries + 1, sizeof *lx->entries) < 0)
        return -1;
    lexicon_entry *en = &lx->entries[lx->nentries];
    en->first = (uint32_t)first;
    en->nwords = n;
    en->hash = lx->words[first].hash;
    en->tag = tag;
    en->weight = weight;
    chain_entry(lx, lx->nentries);
    index_entry(lx, lx->nentries++);
    return rehash(lx) < 0 || reindex(lx) < 0 ? -1 : 0;
}

/* A new entry for the stems words[first, first + n), or the weight of the
 * one that has them already.  0, or -1 when out of memory. */
static int
add_entry(lexicon *lx, size_t first, uint32_t n, unsigned tag, double weight)
{
    lexicon_entry *same = find_same(lx, (uint32_t)first, n, tag);
    if (same) {
        same->weight = weight;
        return 0;
    }
    return add_new_entry(lx, first, n, tag, weight);
}

int
lexicon_add(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *term, size_t len,
            double weight)
{
    return lexicon_add_tagged(lx, host, ctx, term, len, 0, weight);
}

int
lexicon_add_tagged(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *term, size_t len,
                   unsigned tag, double weight)
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
    lexicon_entry *same = find_same(lx, (uint32_t)words_mark, n, tag);
    if (same) {
        same->weight = weight;
        lx->text_len = text_mark;
        lx->nwords = words_mark;
        return TP_OK;
    }
    if (add_new_entry(lx, words_mark, n, tag, weight) < 0)
        return host->fail(ctx, "out of memory loading a lexicon");
    return TP_OK;
}

int
lexicon_merge(lexicon *dst, const lexicon *src, unsigned tag)
{
    for (size_t e = 0; e < src->nentries; e++) {
        const lexicon_entry *se = &src->entries[e];
        size_t words_mark = dst->nwords;
        for (uint32_t k = 0; k < se->nwords; k++) {
            const lexicon_word *w = &src->words[se->first + k];
            if (grow((void **)&dst->text, &dst->text_cap, dst->text_len + w->len + 1, 1) < 0 ||
                grow((void **)&dst->words, &dst->words_cap, dst->nwords + 1, sizeof *dst->words) <
                    0)
                return -1;
            lexicon_word *d = &dst->words[dst->nwords++];
            *d = *w;
            d->off = (uint32_t)dst->text_len;
            memcpy(dst->text + dst->text_len, src->text + w->off, w->len + 1);
            dst->text_len += w->len + 1;
        }
        if (add_entry(dst, words_mark, se->nwords, tag, se->weight) < 0)
            return -1;
    }
    return 0;
}

int
lexicon_reserve(lexicon *lx, size_t entries, size_t text_bytes)
{
    size_t nslots = lx->nslots, nmatch = lx->nmatch_slots, total = lx->nentries + entries;
    while (total * 2 >= nslots)
        nslots *= 2;
    while (total * 4 >= nmatch)
        nmatch *= 2;
    /* A term is a word or two: room for two stems each, before doubling. */
    if (grow((void **)&lx->entries, &lx->entries_cap, total, sizeof *lx->entries) < 0 ||
        grow((void **)&lx->words, &lx->words_cap, lx->nwords + 2 * entries, sizeof *lx->words) <
            0 ||
        grow((void **)&lx->text, &lx->text_cap, lx->text_len + text_bytes, 1) < 0)
        return -1;
    /* The tables take their final size at once, not by doubling. */
    if (nslots != lx->nslots) {
        uint32_t *slots = calloc(nslots, sizeof *slots);
        if (!slots)
            return -1;
        free(lx->slots);
        lx->slots = slots;
        lx->nslots = nslots;
        for (size_t e = 0; e < lx->nentries; e++)
            chain_entry(lx, e);
    }
    if (nmatch != lx->nmatch_slots) {
        uint32_t *slots = calloc(nmatch, sizeof *slots);
        if (!slots)
            return -1;
        free(lx->match_slots);
        lx->match_slots = slots;
        lx->nmatch_slots = nmatch;
        for (size_t e = 0; e < lx->nentries; e++)
            index_entry(lx, e);
    }
    return 0;
}

char *
lexicon_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    /* One read() for a regular file; a pipe is read until its end. */
    size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096;
    size_t n = 0;
    char *data = malloc(cap);
    while (data) {
        if (n + 1 >= cap) {
            char *more = realloc(data, cap * 2);
            if (!more) {
                free(data);
                data = NULL;
                errno = ENOMEM;
                break;
            }
            data = more;
            cap *= 2;
        }
        ssize_t got = read(fd, data + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(data);
            data = NULL;
            errno = e;
            break;
        }
        if (got == 0) {
            data[n] = '\0';
            *len = n;
            break;
        }
        n += (size_t)got;
    }
    int e = errno;
    close(fd);
    errno = e;
    return data;
}

/* Powers of ten a double holds exactly. */
static const double exact_tens[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* strtod() for the weights lexicons hold ("-0.75", "2"), at a fraction of
 * its cost: at most 15 digits, so the digits and the power of ten are
 * exact doubles and one division rounds as strtod does.  Anything else
 * (exponents, long numbers, leading blanks) goes to strtod. */
static double
parse_weight(const char *s, char **end)
{
    const char *p = s;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t digits = 0;
    unsigned ndigits = 0, nfrac = 0;
    for (; *p >= '0' && *p <= '9'; p++, ndigits++)
        digits = digits * 10 + (uint64_t)(*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, ndigits++, nfrac++)
            digits = digits * 10 + (uint64_t)(*p - '0');
    if (ndigits == 0 || ndigits > 15 || (*p && *p != '\t' && *p != ' '))
        return strtod(s, end);
    *end = (char *)p;
    double v = (double)digits / exact_tens[nfrac];
    return neg ? -v : v;
}

int
lexicon_load(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *path,
             double fallback_weight)
{
    return lexicon_load_tagged(lx, host, ctx, path, 0, fallback_weight);
}

int
lexicon_load_tagged(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *path, unsigned tag,
                    double fallback_weight)
{
    size_t size;
    char *data = lexicon_read_file(path, &size);
    if (!data) {
        if (errno == ENOMEM)
            return host->fail(ctx, "out of memory loading a lexicon");
        return host->fail(ctx, "cannot open lexicon %s: %s", path, strerror(errno));
    }
    size_t nlines = 1;
    for (const char *nl = data; (nl = memchr(nl, '\n', size - (size_t)(nl - data))); nl++)
        nlines++;
    if (lexicon_reserve(lx, nlines, size) < 0) {
        free(data);
        return host->fail(ctx, "out of memory loading a lexicon");
    }
    size_t lineno = 0;
    int rc = TP_OK;
    for (char *line = data, *stop = data + size; rc == TP_OK && line < stop;) {
        lineno++;
        char *nl = memchr(line, '\n', (size_t)(stop - line));
        char *next = nl ? nl + 1 : stop;
        size_t len = (size_t)((nl ? nl : stop) - line);
        while (len > 0 && line[len - 1] == '\r')
            len--;
        line[len] = '\0';
        if (len == 0 || line[0] == '#') {
            line = next;
            continue;
        }
        char *tab = memchr(line, '\t', len);
        size_t term_len = tab ? (size_t)(tab - line) : len;
        double weight = fallback_weight;
        if (tab) {
            char *end;
            errno = 0;
            weight = parse_weight(tab + 1, &end);
            if (end == tab + 1 || errno || (*end && *end != '\t' && *end != ' ')) {
                rc = host->fail(ctx, "%s:%zu: weight is not a number", path, lineno);
                break;
            }
        }
        if (term_len > 0)
            rc = lexicon_add_tagged(lx, host, ctx, line, term_len, tag, weight);
        line = next;
    }
    free(data);
    return rc;
}

/* Do the entry's stems after its first equal toks[i+1, i+nwords)?  (The
 * caller checked that they fit.)  With hashes, most misses cost one
 * comparison. */
static inline int
rest_matches(const lexicon *lx, const lexicon_entry *en, const tp_token *toks,
             const uint32_t *hashes, size_t i)
{
    for (uint32_t k = 1; k < en->nwords; k++) {
        const lexicon_word *w = &lx->words[en->first + k];
        const tp_token *t = &toks[i + k];
        if ((hashes && w->hash != hashes[i + k]) || w->len != t->stem_len ||
            !bytes_equal(lx->text + w->off, t->stem, w->len))
            return 0;
    }
    return 1;
}

/* The head of the group whose first stem is t's (t's stem hashes to
 * hash), or NULL. */
static inline const lexicon_entry *
group_of(const lexicon *lx, const tp_token *t, uint32_t hash)
{
    for (uint32_t o = lx->slots[slot_of(lx, hash)]; o; o = lx->entries[o - 1].group_end) {
        const lexicon_entry *head = &lx->entries[o - 1];
        const lexicon_word *w = &lx->words[head->first];
        if (head->hash == hash && w->len == t->stem_len &&
            bytes_equal(lx->text + w->off, t->stem, w->len))
            return head;
    }
    return NULL;
}

/* May an entry of the group longer than one stem match at toks[i]? */
static int
may_go_on(const lexicon_entry *head, const tp_token *toks, const uint32_t *hashes, size_t n,
          size_t i)
{
    if (i + 1 >= n)
        return 0;
    uint32_t h = hashes ? hashes[i + 1] : hash_bytes(toks[i + 1].stem, toks[i + 1].stem_len);
    return (head->seconds & second_bit(h)) != 0;
}

/* The entry after en in its group worth a look, or NULL. */
static const lexicon_entry *
next_in_group(const lexicon *lx, const lexicon_entry *head, const lexicon_entry *en, int longer)
{
    if (en->next == head->group_end)
        return NULL;
    const lexicon_entry *next = &lx->entries[en->next - 1];
    return next->nwords > 1 && !longer ? NULL : next;
}

static size_t
longest_match(const lexicon *lx, const tp_token *toks, const uint32_t *hashes, size_t n, size_t i,
              uint32_t hash, double *weight)
{
    const lexicon_entry *head = group_of(lx, &toks[i], hash);
    if (!head)
        return 0;
    int longer = may_go_on(head, toks, hashes, n, i);
    size_t best = 0;
    for (const lexicon_entry *en = head; en; en = next_in_group(lx, head, en, longer)) {
        if (en->nwords <= best || i + en->nwords > n || !rest_matches(lx, en, toks, hashes, i))
            continue;
        best = en->nwords;
        *weight = en->weight;
    }
    return best;
}

size_t
lexicon_match(const lexicon *lx, const tp_token *toks, size_t n, size_t i, double *weight)
{
    if (i >= n || toks[i].stem_len == 0)
        return 0;
    return longest_match(lx, toks, NULL, n, i, hash_bytes(toks[i].stem, toks[i].stem_len), weight);
}

size_t
lexicon_match_hashed(const lexicon *lx, const tp_token *toks, const uint32_t *hashes, size_t n,
                     size_t i, double *weight)
{
    if (i >= n || toks[i].stem_len == 0)
        return 0;
    return longest_match(lx, toks, hashes, n, i, hashes[i], weight);
}

/* Does the entry's first stem equal t's? */
static inline int
first_matches(const lexicon *lx, const lexicon_entry *en, const tp_token *t)
{
    const lexicon_word *w = &lx->words[en->first];
    return w->len == t->stem_len && bytes_equal(lx->text + w->off, t->stem, w->len);
}

/* Append one hit, growing the buffer. */
static inline int
add_hit(lexicon_hit **hits, size_t *nhits, size_t *cap, const lexicon_entry *en)
{
    if (grow((void **)hits, cap, *nhits + 1, sizeof **hits) < 0)
        return -1;
    lexicon_hit *h = &(*hits)[(*nhits)++];
    h->len = en->nwords;
    h->tag = en->tag;
    h->weight = en->weight;
    return 0;
}

int
lexicon_match_tokens(const lexicon *lx, const tp_token *toks, const uint32_t *hashes, size_t n,
                     uint32_t *first, lexicon_hit **hits, size_t *nhits, size_t *cap)
{
    const lexicon_entry *entries = lx->entries;
    const uint32_t *slots = lx->match_slots;
    uint32_t mask = (uint32_t)(lx->nmatch_slots - 1);
    size_t nh = *nhits;
    /* A token without a stem needs no test of its own: no entry has an
     * empty stem, so none matches it. */
    for (size_t i = 0; i < n; i++) {
        first[i] = (uint32_t)nh;
        uint32_t key = hashes[i];
        if (!filter_has(lx->first_stems, key))
            continue;
        if (filter_has(lx->one_keys, key))
            for (uint32_t o = slots[key & mask]; o; o = entries[o - 1].match_next) {
                const lexicon_entry *en = &entries[o - 1];
                if (en->key != key || en->nwords != 1 || !first_matches(lx, en, &toks[i]))
                    continue;
                if (add_hit(hits, &nh, cap, en) < 0)
                    return -1;
            }
        if (i + 1 >= n)
            continue;
        key = pair_key(key, hashes[i + 1]);
        if (filter_has(lx->pair_keys, key))
            for (uint32_t o = slots[key & mask]; o; o = entries[o - 1].match_next) {
                const lexicon_entry *en = &entries[o - 1];
                if (en->key != key || en->nwords < 2 || i + en->nwords > n ||
                    !first_matches(lx, en, &toks[i]) || !rest_matches(lx, en, toks, hashes, i))
                    continue;
                if (add_hit(hits, &nh, cap, en) < 0)
                    return -1;
            }
    }
    first[n] = (uint32_t)nh;
    *nhits = nh;
    return 0;
}
