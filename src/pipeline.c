/* pipeline.c: one worker's streaming core.  Input bytes go into a sliding
 * window that holds only the open sentence and the lookahead; tokens of the
 * open sentence keep their strings in one arena that is reused from
 * sentence to sentence, so nothing is allocated per token once the buffers
 * have grown to the longest sentence.  The splitter decides on a token when
 * the next one is known, so one analysed token is always pending. */
#include "config.h"

#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "normalize.h"
#include "sentence.h"
#include "stem.h"

/* The analysis cache: a token's normal form, stem and stopword flag depend
 * on its surface alone, and text repeats its words, so one lookup keyed on
 * the surface replaces normalising, stemming and the stopword lookup for
 * most tokens.  Two-way: a surface hashes to a pair of 64-byte slots, the
 * word seen last first, and a new word pushes out the older one: bounded
 * memory, no allocation after start (direct-mapped, words that shared a
 * slot kept evicting each other: twice the misses).  A slot holds the
 * token's strings exactly as the arena wants them ("surface\0norm\0" and
 * "stem\0" when it differs), so a hit is one fixed-size copy. */
#define ACACHE_SLOTS 16384
/* A process starts with this many slots and takes the full table only
 * once its text has shown that many distinct words: a short document (a
 * nightly job starts one process per file) then faults in 64 KB rather
 * than 1 MB, and page faults dominate start-up on a VM. */
#define ACACHE_FIRST_SLOTS 1024
#define ACACHE_IMAGE 56
/* Surfaces up to this long are cached; reads of this many bytes past a
 * surface stay inside the window (see SLACK). */
#define ACACHE_SURFACE 24
/* Bytes kept allocated past the data of the window and the arena, so that
 * the fixed-size loads and copies of the cache never leave the buffer. */
#define SLACK 72

typedef struct acache_slot {
    uint8_t surface_len; /* 0: empty */
    uint8_t norm_len, stem_len;
    uint8_t bits; /* TP_TOK_STOPWORD >> 7, WORD kind, stem == norm */
    uint32_t stem_hash; /* tp_stem_hash() of the stem */
    char image[ACACHE_IMAGE];
} acache_slot;
_Static_assert(sizeof(acache_slot) == 64, "a slot is one cache line");

enum { SLOT_STOP = 1, SLOT_WORD = 2, SLOT_SAME = 4 };
/* The rest of `bits` holds the surface's UTF-8 continuation bytes (at most
 * ACACHE_SURFACE of them), which the splitter needs to measure lines. */
#define SLOT_CONT_SHIFT 3
_Static_assert(ACACHE_SURFACE < 1 << (8 - SLOT_CONT_SHIFT), "continuation bytes fit in bits");

/* The first n (<= 32) bytes of a and b, 32 of each readable, are equal. */
static inline int
same_prefix(const char *a, const char *b, size_t n)
{
    uint64_t x[4], y[4], diff = 0;
    memcpy(x, a, 32);
    memcpy(y, b, 32);
    for (size_t k = 0; k < 4 && n > 0; k++) {
        uint64_t d = x[k] ^ y[k];
        if (n < 8) {
            d &= (1ull << (8 * n)) - 1;
            n = 0;
        } else {
            n -= 8;
        }
        diff |= d;
    }
    return diff == 0;
}

/* Does the cache slot hold this surface, of this kind? */
static inline int
holds(const acache_slot *slot, const char *s, size_t len, uint8_t word)
{
    return slot->surface_len == len && (slot->bits & SLOT_WORD) == word &&
           same_prefix(slot->image, s, len);
}

/* A hash of s[0, n) (n <= 32, 32 bytes readable). */
static inline uint64_t
surface_hash(const char *s, size_t n)
{
    uint64_t w[4];
    memcpy(w, s, 32);
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (size_t k = 0; k < 4 && n > 0; k++) {
        uint64_t x = w[k];
        if (n < 8) {
            x &= (1ull << (8 * n)) - 1;
            n = 0;
        } else {
            n -= 8;
        }
        h = (h ^ x) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    return h;
}

/* Where a token's strings start in the arena: pointers are rebuilt from
 * these when the arena moves. */
typedef struct str_offs {
    size_t surface, norm, stem;
} str_offs;

struct pipeline {
    const lang *lang;
    tokenizer tz;
    normalizer *norm;
    stemmer *stem;
    splitter *split;

    buf win;           /* input bytes from win_base on */
    uint64_t win_base; /* document offset of win.data[0] */
    size_t pos;        /* scan position in win */

    buf arena;             /* strings of toks[0, ntoks + pending) */
    tp_token *toks;        /* the open sentence, then the pending token */
    uint32_t *stem_hashes; /* tp_sentence.stem_hashes of toks */
    tok_layout *lay;       /* line breaks before each token, its width */
    str_offs *offs;
    size_t ntoks, cap;
    int pending;           /* toks[ntoks] is the lookahead token */

    uint64_t sent_index;
    uint64_t paragraph;
    uint64_t capped;

    acache_slot *cache; /* in cache_mem, aligned to a cache line */
    void *cache_mem;
    size_t cache_mask;   /* slots - 1 */
    size_t cache_misses; /* since the cache took its size */
    int nostem; /* stems are norms; the cache (which holds stems) is unused */
};

/* A table of `slots` empty slots, each on a cache line of its own: a
 * lookup then touches one line, not two (calloc aligns to 16 bytes only,
 * and calloc rather than aligned_alloc leaves the pages untouched until
 * used, as start-up wants). */
static void
cache_alloc(pipeline *p, size_t slots)
{
    free(p->cache_mem);
    p->cache_mem = xcalloc(slots + 1, sizeof *p->cache);
    uintptr_t at = ((uintptr_t)p->cache_mem + 63) & ~(uintptr_t)63;
    p->cache = (acache_slot *)at;
    p->cache_mask = slots - 1;
}

pipeline *
pipeline_new(const lang *l)
{
    pipeline *p = xcalloc(1, sizeof *p);
    p->lang = l;
    p->norm = normalize_new();
    p->stem = stem_new(l->snowball);
    p->split = sentence_new(l->abbreviations);
    cache_alloc(p, ACACHE_FIRST_SLOTS);
    if (p->stem == NULL) { /* lang_load() checked the language already */
        pipeline_free(p);
        return NULL;
    }
    pipeline_begin(p);
    return p;
}

void
pipeline_free(pipeline *p)
{
    if (p == NULL)
        return;
    normalize_free(p->norm);
    stem_free(p->stem);
    sentence_free(p->split);
    buf_free(&p->win);
    buf_free(&p->arena);
    free(p->toks);
    free(p->stem_hashes);
    free(p->lay);
    free(p->offs);
    free(p->cache_mem);
    free(p);
}

void
pipeline_set_stemming(pipeline *p, int on)
{
    p->nostem = !on;
}

void
pipeline_begin(pipeline *p)
{
    tokenize_init(&p->tz);
    sentence_reset(p->split);
    buf_clear(&p->win);
    buf_clear(&p->arena);
    p->win_base = 0;
    p->pos = 0;
    p->ntoks = 0;
    p->pending = 0;
    p->sent_index = 0;
    p->paragraph = 0;
    p->capped = 0;
}

/* The full-size table, empty: what the small one held is simply lost. */
static void
grow_cache(pipeline *p)
{
    cache_alloc(p, ACACHE_SLOTS);
    p->cache_misses = 0;
}

static void
rebase(pipeline *p)
{
    for (size_t i = 0; i < p->ntoks + (size_t)p->pending + 1 && i < p->cap; i++) {
        p->toks[i].surface = p->arena.data + p->offs[i].surface;
        p->toks[i].norm = p->arena.data + p->offs[i].norm;
        p->toks[i].stem = p->arena.data + p->offs[i].stem;
    }
}

/* Analyse a token span into slot i: strings into the arena, flags.
 * `hash`: cache_touch()'s for the span. */
static void
analyse(pipeline *p, size_t i, const tok_span *span, uint64_t hash)
{
    /* a copy the stores below cannot alias: its fields stay in registers */
    const tok_span sp_copy = *span, *sp = &sp_copy;
    if (i + 1 >= p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->toks = xrealloc(p->toks, p->cap * sizeof *p->toks);
        p->stem_hashes = xrealloc(p->stem_hashes, p->cap * sizeof *p->stem_hashes);
        p->lay = xrealloc(p->lay, p->cap * sizeof *p->lay);
        p->offs = xrealloc(p->offs, p->cap * sizeof *p->offs);
    }
    const char *base = p->arena.data;
    const char *s = p->win.data + sp->start;
    size_t len = sp->end - sp->start;
    str_offs *o = &p->offs[i];
    tp_token *t = &p->toks[i];

    /* Reserve enough for the common case so that the arena moves at most
     * once per token (NFKC can expand a character up to 18 code points),
     * with the slack the cache's fixed-size copies write into. */
    buf_reserve(&p->arena, 3 * len + SLACK);
    uint32_t flags = sp->flags;
    uint8_t word = (flags & TP_TOK_WORD) ? SLOT_WORD : 0;
    acache_slot *slot = NULL;
    size_t nlen, slen, cont;
    if (len <= ACACHE_SURFACE && !p->nostem) {
        slot = &p->cache[hash & p->cache_mask & ~(size_t)1];
        int hit = holds(slot, s, len, word);
        if (!hit && holds(slot + 1, s, len, word)) {
            /* The pair's second slot: swap, so that the first holds the
             * word seen last and a hit mostly takes one look. */
            acache_slot t = slot[1];
            slot[1] = slot[0];
            slot[0] = t;
            hit = 1;
        }
        if (hit) {
            nlen = slot->norm_len;
            slen = slot->stem_len;
            size_t image = len + 1 + nlen + 1 + ((slot->bits & SLOT_SAME) ? 0 : slen + 1);
            memcpy(p->arena.data + p->arena.len, slot->image, ACACHE_IMAGE);
            o->surface = p->arena.len;
            o->norm = o->surface + len + 1;
            o->stem = (slot->bits & SLOT_SAME) ? o->norm : o->norm + nlen + 1;
            p->arena.len += image;
            p->arena.data[p->arena.len] = '\0';
            flags |= (slot->bits & SLOT_STOP) ? TP_TOK_STOPWORD : 0;
            cont = slot->bits >> SLOT_CONT_SHIFT;
            p->stem_hashes[i] = slot->stem_hash;
            goto done;
        }
    }
    cont = 0;
    for (size_t k = 0; k < len; k++)
        cont += ((unsigned char)s[k] & 0xC0) == 0x80;
    o->surface = p->arena.len;
    buf_add(&p->arena, s, len);
    buf_addc(&p->arena, '\0');
    o->norm = p->arena.len;
    nlen = normalize_append(p->norm, s, len, &p->arena);
    buf_addc(&p->arena, '\0');
    o->stem = o->norm;
    slen = nlen;
    uint8_t stop = 0;
    if (word) {
        const char *norm = p->arena.data + o->norm;
        const char *st = p->nostem ? norm : stem_word(p->stem, norm, nlen, &slen);
        if (slen != nlen || memcmp(st, norm, nlen) != 0) {
            o->stem = p->arena.len;
            buf_add(&p->arena, st, slen);
            buf_addc(&p->arena, '\0');
        }
        if (wordlist_has(p->lang->stopwords, p->arena.data + o->norm, nlen))
            stop = TP_TOK_STOPWORD;
    }
    flags |= stop;
    uint32_t stem_hash = tp_stem_hash(p->arena.data + o->stem, slen);
    p->stem_hashes[i] = stem_hash;
    size_t image = p->arena.len - o->surface;
    if (slot != NULL && p->cache_mask < ACACHE_SLOTS - 1 && ++p->cache_misses > 2 * p->cache_mask) {
        grow_cache(p);
        slot = NULL;
    }
    if (slot != NULL && image <= ACACHE_IMAGE) {
        /* The word the first slot held moves to the second. */
        slot[1] = slot[0];
        slot->surface_len = (uint8_t)len;
        slot->norm_len = (uint8_t)nlen;
        slot->stem_len = (uint8_t)slen;
        slot->bits = (uint8_t)((stop ? SLOT_STOP : 0) | word |
                               (o->stem == o->norm ? SLOT_SAME : 0) | cont << SLOT_CONT_SHIFT);
        slot->stem_hash = stem_hash;
        memcpy(slot->image, p->arena.data + o->surface, image);
    }
done:
    t->size = sizeof *t;
    t->surface_len = (uint32_t)len;
    t->norm_len = (uint32_t)nlen;
    t->stem_len = (uint32_t)slen;
    t->flags = flags;
    t->start = p->win_base + sp->start;
    t->end = p->win_base + sp->end;
    p->lay[i].newlines = sp->newlines;
    p->lay[i].cont = (uint32_t)cont;
    if (p->arena.data != base)
        rebase(p);
    else {
        t->surface = p->arena.data + o->surface;
        t->norm = p->arena.data + o->norm;
        t->stem = p->arena.data + o->stem;
    }
}

/* Hand toks[from, to) to fn as the next sentence. */
static int
send(pipeline *p, size_t from, size_t to, uint32_t flags, uint64_t paragraph, pipeline_fn fn,
     void *arg)
{
    tp_sentence s;
    s.size = sizeof s;
    s.index = p->sent_index++;
    s.paragraph = paragraph;
    s.start = p->toks[from].start;
    s.end = p->toks[to - 1].end;
    s.flags = flags;
    s.ntokens = to - from;
    s.tokens = p->toks + from;
    s.stem_hashes = p->stem_hashes + from;
    /* The text is the window itself, NUL-terminated for the call. */
    char *text = p->win.data + (s.start - p->win_base);
    char *stop = p->win.data + (s.end - p->win_base);
    char saved = *stop;
    *stop = '\0';
    s.text = text;
    int rc = fn ? fn(arg, &s) : 0;
    *stop = saved;
    p->paragraph = paragraph;
    return rc;
}

/* Send toks[0, ntoks) as a sentence (two, when the splitter cut a title
 * off its front), then move the pending token (if any) to the front of a
 * fresh sentence. */
static int
emit(pipeline *p, size_t cut, uint32_t flags, uint64_t paragraph, pipeline_fn fn, void *arg)
{
    int rc = 0;
    if (cut > 0 && cut < p->ntoks) {
        p->toks[cut].flags |= TP_TOK_SENT_START;
        rc = send(p, 0, cut, TP_SENT_HEADING | TP_SENT_PARA_START, paragraph - 1, fn, arg);
        if (rc == 0)
            rc = send(p, cut, p->ntoks, flags, paragraph, fn, arg);
    } else if (p->ntoks > 0) {
        rc = send(p, 0, p->ntoks, flags, paragraph, fn, arg);
    }
    if (p->pending) {
        size_t i = p->ntoks;
        str_offs o = p->offs[i];
        size_t from = o.surface;
        size_t n = p->arena.len - from;
        memmove(p->arena.data, p->arena.data + from, n);
        p->arena.len = n;
        p->arena.data[n] = '\0';
        p->toks[0] = p->toks[i];
        p->stem_hashes[0] = p->stem_hashes[i];
        p->lay[0] = p->lay[i];
        p->offs[0].surface = 0;
        p->offs[0].norm = o.norm - from;
        p->offs[0].stem = o.stem - from;
        p->ntoks = 0;
        rebase(p);
    } else {
        p->ntoks = 0;
        buf_clear(&p->arena);
    }
    return rc;
}

/* The pending token joins the sentence; `next` (slot ntoks + 1 before the
 * join) is the new lookahead, or there is none at the end. */
static int
advance(pipeline *p, int have_next, pipeline_fn fn, void *arg)
{
    if (p->ntoks == 0)
        p->toks[0].flags |= TP_TOK_SENT_START;
    p->ntoks++;
    p->pending = have_next;
    const tp_token *next = have_next ? &p->toks[p->ntoks] : NULL;
    uint32_t next_nl = have_next ? p->lay[p->ntoks].newlines : 0;
    uint32_t flags = 0;
    uint64_t para = p->paragraph;
    int ends = sentence_ends(p->split, p->toks, p->lay, p->ntoks, next, next_nl, &flags, &para);
    if (!ends && have_next) {
        uint64_t span = next->end - p->toks[0].start;
        if (p->ntoks >= PIPELINE_MAX_TOKENS || span > PIPELINE_MAX_BYTES) {
            p->capped++;
            flags |= TP_SENT_CAPPED;
            ends = 1;
        }
    }
    if (ends || !have_next)
        return emit(p, ends ? sentence_cut(p->split) : 0, flags, para, fn, arg);
    return 0;
}

/* Drop window bytes that no token of the open sentence needs. */
static void
compact(pipeline *p)
{
    size_t keep = (p->ntoks + (size_t)p->pending) > 0 ? (size_t)(p->toks[0].start - p->win_base)
                                                     : p->pos;
    if (keep == 0 || keep < p->win.len / 2)
        return;
    memmove(p->win.data, p->win.data + keep, p->win.len - keep);
    p->win.len -= keep;
    p->win.data[p->win.len] = '\0';
    p->win_base += keep;
    p->pos -= keep;
}

/* The next token, as scan() takes them: 1 and its span, 0 when more input
 * is needed first (the window holds less than the tokeniser's lookahead),
 * -1 at the end of the input. */
static inline int
next_span(pipeline *p, int eof, tok_span *sp)
{
    if (!eof && p->win.len - p->pos < TOKENIZE_LOOKAHEAD)
        return 0;
    return tokenize_next(&p->tz, p->win.data, p->win.len, &p->pos, eof, sp);
}

/* The hash analyse() files a span's surface under (0 when it is not
 * cached), with the cache pair it falls in on its way to the cache: with
 * plugins whose data push the table out of L2, waiting for that pair was
 * a third of a lookup's time. */
static inline uint64_t
cache_touch(const pipeline *p, const tok_span *sp)
{
    size_t len = sp->end - sp->start;
    if (len > ACACHE_SURFACE || p->nostem)
        return 0;
    uint64_t hash = surface_hash(p->win.data + sp->start, len);
#if defined(__GNUC__)
    const acache_slot *pair = &p->cache[hash & p->cache_mask & ~(size_t)1];
    __builtin_prefetch(pair);
    __builtin_prefetch(pair + 1);
#endif
    return hash;
}

/* How many tokens the tokeniser runs ahead of the analysis, plus one (a
 * power of two): a token's cache pair is asked for this many tokens
 * before it is needed, about the latency of a line from memory. */
#define AHEAD 4

static int
scan(pipeline *p, int eof, pipeline_fn fn, void *arg)
{
    /* The tokeniser runs ahead of the analysis, so that the cache pairs
     * of the tokens to come load while this one is analysed and its
     * sentence maybe sent.  Nothing but the tokeniser reads the window
     * meanwhile, and every span taken is analysed before the loop ends,
     * so the tokeniser is where it was. */
    tok_span ring[AHEAD];
    uint64_t hashes[AHEAD];
    size_t head = 0, count = 0;
    int r = 1;
    for (;;) {
        while (r > 0 && count < AHEAD) {
            size_t at = (head + count) & (AHEAD - 1);
            r = next_span(p, eof, &ring[at]);
            if (r > 0) {
                hashes[at] = cache_touch(p, &ring[at]);
                count++;
            }
        }
        if (count == 0)
            break;
        size_t at = head;
        head = (head + 1) & (AHEAD - 1);
        count--;
        analyse(p, p->ntoks + (size_t)p->pending, &ring[at], hashes[at]);
        if (!p->pending) {
            p->pending = 1;
        } else {
            int rc = advance(p, 1, fn, arg);
            if (rc != 0)
                return rc;
        }
    }
    if (r < 0) {
        if (p->pending)
            return advance(p, 0, fn, arg);
        return 0;
    }
    /* A sentence held open by a run of white space longer than the cap is
     * cut (the lookahead token with it), so that the window stays bounded. */
    if (p->ntoks + (size_t)p->pending > 0
        && p->win_base + p->pos - p->toks[0].start > PIPELINE_MAX_BYTES) {
        if (p->ntoks == 0)
            p->toks[0].flags |= TP_TOK_SENT_START;
        p->ntoks += (size_t)p->pending;
        p->pending = 0;
        p->capped++;
        return emit(p, 0, TP_SENT_CAPPED, p->paragraph, fn, arg);
    }
    return 0;
}

char *
pipeline_space(pipeline *p, size_t want)
{
    compact(p);
    buf_reserve(&p->win, want + SLACK);
    return p->win.data + p->win.len;
}

int
pipeline_fed(pipeline *p, size_t n, pipeline_fn fn, void *arg)
{
    p->win.len += n;
    p->win.data[p->win.len] = '\0';
    return scan(p, 0, fn, arg);
}

int
pipeline_feed(pipeline *p, const char *data, size_t len, pipeline_fn fn, void *arg)
{
    /* Feed in slices so that the window never holds more than a slice
     * beyond the open sentence. */
    while (len > 0) {
        size_t n = len < 65536 ? len : 65536;
        memcpy(pipeline_space(p, n), data, n);
        int rc = pipeline_fed(p, n, fn, arg);
        if (rc != 0)
            return rc;
        data += n;
        len -= n;
    }
    return 0;
}

int
pipeline_end(pipeline *p, pipeline_fn fn, void *arg)
{
    if (p->win.data == NULL)
        buf_reserve(&p->win, SLACK);
    return scan(p, 1, fn, arg);
}

const tokenize_counts *
pipeline_counts(const pipeline *p)
{
    return &p->tz.counts;
}

uint64_t
pipeline_capped(const pipeline *p)
{
    return p->capped;
}

uint64_t
pipeline_bytes(const pipeline *p)
{
    return p->win_base + p->win.len;
}
