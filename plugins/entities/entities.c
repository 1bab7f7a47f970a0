/* entities.c: the entities plugin: named entities per document, counted as
 * a careful reader would count them (see README.md in this folder).
 *
 * Sentences only collect candidate runs of capitalised words (names.h),
 * keyed by their normalised words and by where they stood (mid-sentence,
 * sentence start, heading), with counts: state grows with the number of
 * distinct candidates, never with the length of the document.  At the end
 * of the document the runs are cut into names, with evidence from the
 * whole document, then aliases are merged and types decided. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <textpipe/plugin.h>

#include "dictionary.h"
#include "fnv.h"
#include "names.h"
#include "grow.h"

#define NONE UINT32_MAX

/* ---- types and cues ----------------------------------------------------- */

enum { T_NONE = 0, T_PERSON, T_ORG, T_GPE, T_LOC, T_NORP, T_MISC, T_COUNT };

static const char *const type_names[T_COUNT] = {"", "PERSON", "ORG", "GPE", "LOC", "NORP", "MISC"};

/* Word cues, from cues.tsv and the word lists. */
enum {
    C_ORG_HEAD = 1u << 0,
    C_GPE_HEAD = 1u << 1,
    C_LOC_HEAD = 1u << 2,
    C_ORG_SUFFIX = 1u << 3,
    C_TITLE = 1u << 4,
    C_TITLE_MOD = 1u << 5,
    C_ROLE = 1u << 6,
    C_SPEECH = 1u << 7,
    C_CONNECTOR = 1u << 8,
    C_JOINER = 1u << 9,
    C_GIVEN = 1u << 10,
    C_NONENTITY = 1u << 11,
    C_MISC_HEAD = 1u << 12,
    C_LINKER = 1u << 13,
    C_PLACE_PREP = 1u << 14,
    C_COUNTRY = 1u << 15,    /* a name from countries.tsv */
    C_CAPS_ONLY = 1u << 16,  /* written in capitals ("US", "WHO"): matches only so */
    C_DOTTED = 1u << 17,     /* an abbreviation whose full stop is part of the name */
    C_NUMBERED = 1u << 18,   /* takes a number into the name: "Euro 96", "Flight 800" */
    C_ORDINAL = 1u << 19,    /* "First", "Second": may start a name mid-sentence */
    C_ADJ_SUFFIX = 1u << 20, /* "-led", "-born": makes a word about a name */
    C_DOT_PREFIX = 1u << 21, /* "St.", "Mt.": an abbreviation that starts a name */
    C_HEADS = C_ORG_HEAD | C_GPE_HEAD | C_LOC_HEAD | C_MISC_HEAD,
    C_LINKS = C_CONNECTOR | C_LINKER | C_JOINER,
};

static const struct {
    const char *name;
    uint32_t cue;
} cue_names[] = {
    {"org-head", C_ORG_HEAD},
    {"gpe-head", C_GPE_HEAD},
    {"loc-head", C_LOC_HEAD},
    {"org-suffix", C_ORG_SUFFIX},
    {"title", C_TITLE},
    {"title-mod", C_TITLE_MOD},
    {"person-role", C_ROLE},
    {"speech", C_SPEECH},
    {"connector", C_CONNECTOR},
    {"joiner", C_JOINER},
    {"misc-head", C_MISC_HEAD},
    {"linker", C_LINKER},
    {"place-prep", C_PLACE_PREP},
    {"dotted", C_DOTTED},
    {"numbered", C_NUMBERED},
    {"ordinal", C_ORDINAL},
    {"adjective-suffix", C_ADJ_SUFFIX},
    {"dotted-prefix", C_DOT_PREFIX},
};

/* Evidence a run gathered from its context (run.cues, ent.cues). */
enum {
    E_TITLE_BEFORE = 1u << 0, /* "spokesperson X", "Mr X" */
    E_SPEECH_AFTER = 1u << 1, /* "X said" */
    E_ROLE_AFTER = 1u << 2,   /* "X is a doctoral candidate" */
    E_PLACE_AFTER = 1u << 3,  /* "X, Afghanistan": X is a place */
    E_ACRONYM = 1u << 4,      /* written in capitals outside a caps line */
    E_MID = 1u << 5,          /* seen capitalised mid-sentence */
    E_PLACE_BEFORE = 1u << 6, /* "in X" */
    E_SCORE = 1u << 7,        /* a number or "v" next to it: a team in results */
    E_PERSON_NAME = 1u << 8,  /* a given name and a surname */
    E_THE_BEFORE = 1u << 9,   /* "the X": not a person */
    E_WORK = 1u << 10,        /* words in quotes in title case: a work's title */
    E_PERSON = E_TITLE_BEFORE | E_SPEECH_AFTER | E_ROLE_AFTER | E_PERSON_NAME,
    E_BEFORE = E_TITLE_BEFORE | E_PLACE_BEFORE | E_THE_BEFORE, /* about the first word */
};

/* Where a run stood: the key's first byte. */
enum { CLS_MID = 'm', CLS_INITIAL = 'i', CLS_HEAD = 'h', CLS_CAPS = 'c' };

/* ---- growable storage ---------------------------------------------------- */

typedef struct pool {
    char *p;
    size_t len, cap;
    int borrowed; /* p is in the mapped lexicon index: copied when it grows */
} pool;

static inline int
pool_reserve(pool *b, size_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more)
        cap *= 2;
    char *p = b->borrowed ? malloc(cap) : realloc(b->p, cap);
    if (p == NULL)
        return -1;
    if (b->borrowed)
        memcpy(p, b->p, b->len);
    b->borrowed = 0;
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Append s[0, n) and a NUL; returns the offset, or NONE when out of memory. */
static uint32_t
pool_add(pool *b, const char *s, size_t n)
{
    if (pool_reserve(b, n + 1) != 0 || b->len + n + 1 > UINT32_MAX)
        return NONE;
    uint32_t at = (uint32_t)b->len;
    memcpy(b->p + b->len, s, n);
    b->p[b->len + n] = '\0';
    b->len += n + 1;
    return at;
}

/* Does s[0, n) have a byte outside ASCII? */
static int
memchr_high(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* a[0, n) == b[0, n)?  Keys are short: two loads of four or eight bytes
 * from each (overlapping, never past n) instead of a call. */
static inline int
same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 4 && n <= 8) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a, 4);
        memcpy(&a1, a + n - 4, 4);
        memcpy(&b0, b, 4);
        memcpy(&b1, b + n - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (n > 8 && n <= 16) {
        uint64_t a0, a1, b0, b1;
        memcpy(&a0, a, 8);
        memcpy(&a1, a + n - 8, 8);
        memcpy(&b0, b, 8);
        memcpy(&b1, b + n - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return memcmp(a, b, n) == 0;
}

/* dst[0, n) = src[0, n): for the short words of keys, loads and stores
 * of four or eight bytes (overlapping) instead of a call. */
static inline void
copy_bytes(char *dst, const char *src, size_t n)
{
    if (n >= 4 && n <= 8) {
        uint32_t a, b;
        memcpy(&a, src, 4);
        memcpy(&b, src + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &b, 4);
    } else if (n > 8 && n <= 16) {
        uint64_t a, b;
        memcpy(&a, src, 8);
        memcpy(&b, src + n - 8, 8);
        memcpy(dst, &a, 8);
        memcpy(dst + n - 8, &b, 8);
    } else {
        memcpy(dst, src, n);
    }
}

/* Keys are hashed eight bytes at a time (multiply and fold): most are
 * one or two words. */
static inline uint32_t
hash_bytes(const char *s, size_t n)
{
    const uint64_t k = 0x9e3779b97f4a7c15ull;
    uint64_t h = n * k;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    if (n > 0) {
        /* the tail in two fixed loads that may overlap (n is in h) */
        uint64_t w;
        if (n >= 4) {
            uint32_t a, b;
            memcpy(&a, s, 4);
            memcpy(&b, s + n - 4, 4);
            w = ((uint64_t)a << 32) | b;
        } else {
            w = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                (uint64_t)(unsigned char)s[n - 1] << 16;
        }
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    h *= k;
    return (uint32_t)(h >> 32);
}

/* An open-addressing index over entries that start with a `keyref` into a
 * pool: a slot holds entry index + 1 (0: empty) next to the key's hash, so
 * that a probe touches one cache line. */
typedef struct keyref {
    uint32_t off, len;
} keyref;

typedef struct slot {
    uint32_t entry, hash;
} slot;

typedef struct keyindex {
    slot *slot;
    size_t cap, used;
    int borrowed; /* slot is in the mapped lexicon index: not ours to free */
} keyindex;

/* Where `key` is (entry index) or NONE; *at is the slot to fill. */
static uint32_t
index_find(const keyindex *ix, const pool *keys, const void *entries, size_t stride,
           const char *key, size_t len, uint32_t h, size_t *at)
{
    if (ix->cap == 0) {
        *at = 0;
        return NONE;
    }
    size_t mask = ix->cap - 1;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        slot sl = ix->slot[j];
        if (sl.entry == 0) {
            *at = j;
            return NONE;
        }
        if (sl.hash != h)
            continue;
        uint32_t e = sl.entry - 1;
        const keyref *k = (const keyref *)((const char *)entries + (size_t)e * stride);
        if (k->len == len && same_bytes(keys->p + k->off, key, len))
            return e;
    }
}

/* Grow to room for `n` entries at once (rehashing once, not at each
 * doubling); n == 0: double. */
static int
index_grow_to(keyindex *ix, size_t n)
{
    size_t cap = ix->cap ? 2 * ix->cap : 256;
    while (4 * n > 3 * cap)
        cap *= 2;
    slot *sl = calloc(cap, sizeof *sl);
    if (sl == NULL)
        return -1;
    for (size_t i = 0; i < ix->cap; i++) {
        if (ix->slot[i].entry == 0)
            continue;
        size_t j = ix->slot[i].hash & (cap - 1);
        while (sl[j].entry != 0)
            j = (j + 1) & (cap - 1);
        sl[j] = ix->slot[i];
    }
    if (!ix->borrowed)
        free(ix->slot);
    ix->borrowed = 0;
    ix->slot = sl;
    ix->cap = cap;
    return 0;
}

/* Room for one more entry; call before index_find when inserting. */
static inline int
index_room(keyindex *ix)
{
    if (4 * (ix->used + 1) > 3 * ix->cap)
        return index_grow_to(ix, 0);
    return 0;
}

/* Room for `more` entries. */
static int
index_reserve(keyindex *ix, size_t more)
{
    if (4 * (ix->used + more) > 3 * ix->cap)
        return index_grow_to(ix, ix->used + more);
    return 0;
}

static void
index_put(keyindex *ix, size_t at, uint32_t entry, uint32_t h)
{
    ix->slot[at].entry = entry + 1;
    ix->slot[at].hash = h;
    ix->used++;
}

static void
index_clear(keyindex *ix)
{
    if (ix->cap)
        memset(ix->slot, 0, ix->cap * sizeof *ix->slot);
    ix->used = 0;
}

/* Empty the index for the next document; a table grown far beyond what
 * the last document used is let go, so that one huge document does not
 * make every later one pay for clearing it. */
static void
index_reset(keyindex *ix)
{
    if (ix->cap > 65536 && ix->used * 16 < ix->cap) {
        free(ix->slot);
        ix->slot = NULL;
        ix->cap = ix->used = 0;
        return;
    }
    index_clear(ix);
}

static void
index_free(keyindex *ix)
{
    if (!ix->borrowed)
        free(ix->slot);
}

/* ---- the lexicon: gazetteers and cue words, read once ------------------- */

typedef struct lexent {
    keyref key;       /* normalised words joined by ' ' */
    uint32_t display; /* the name as the file wrote it (offset in `raw`) */
    uint32_t canon;   /* entry of the canonical name (itself if none) */
    uint32_t link;    /* NORP: entry of the place it is about, or NONE */
    uint32_t cues;    /* C_* */
    uint8_t type;     /* T_*: set for gazetteer names */
    uint8_t ntok;     /* tokens; an upper bound while pending */
    uint8_t pending;  /* key not made yet: `key` is the name as written */
    uint8_t capsy;    /* written in capitals: C_CAPS_ONLY if one token */
} lexent;

/* Gazetteer names the core has not keyed yet (see lex_resolve), filed by
 * names_fold_hash() in a chained table. */
enum { LAZY_FOLD, LAZY_SKELETON, LAZY_LATER };

typedef struct lazyname {
    uint32_t hash, ent, next;
    uint32_t how; /* LAZY_*: filed by names_fold_hash(), names_skeleton_hash(),
                     or not yet (a name only keys beyond ASCII find) */
} lazyname;

/* The last lookups of short keys, by hash: text asks the lexicon about the
 * same few hundred words again and again, and this small table stays in
 * the cache where the lexicon's own (a megabyte) does not. */
enum { MEMO_SIZE = 4096, MEMO_KEY = 22 };

typedef struct memo {
    uint32_t hash;
    uint32_t found; /* entry or NONE */
    uint8_t len;    /* key bytes + 1; 0: empty */
    char key[MEMO_KEY + 1];
} memo;

typedef struct lexicon {
    pool raw;  /* the data files as read, each field NUL-ended in place */
    pool text; /* keys */
    lexent *ents;
    size_t n, cap;
    keyindex ix;
    size_t max_tokens; /* the longest gazetteer name, in tokens */
    const char **connectors;
    names_connectors connector_set;
    uint32_t *suffixes; /* entries with C_ORG_SUFFIX */
    size_t nsuffixes;
    /* keying pending names on demand */
    const tp_host *host;
    tp_ctx *ctx;         /* of the callback running now */
    keyindex pending_ix; /* pending entries by name, while loading */
    lazyname *lazy;
    size_t nlazy, lazy_cap, unresolved, unresolved_weak, later;
    uint32_t *lazy_head; /* chains by hash & lazy_mask */
    uint32_t lazy_mask;
    pool scratch;
    int oom;
    memo *memo;
    pool connector_words; /* what `connectors` points at */
    void *map;            /* the lexicon index, when read from one */
    size_t map_len;
} lexicon;

/* ---- one document's candidates and entities ----------------------------- */

typedef struct tokinfo {
    uint32_t rel;        /* byte offset from the run's start */
    uint32_t slen;       /* surface bytes */
    uint32_t norm, nlen; /* normalised form, in the document pool */
    uint32_t flags;      /* TP_TOK_* */
    uint32_t cues;       /* lexicon cues of the word */
} tokinfo;

typedef struct run {
    keyref key;    /* class byte, then normalised words joined by ' ' */
    uint32_t text; /* surface of the first occurrence */
    uint32_t toks; /* first tokinfo */
    uint32_t ntok;
    uint32_t count;
    uint32_t cues;   /* E_* */
    uint32_t scored; /* occurrences next to a score */
    uint32_t flags;  /* NAMES_* */
    uint64_t start;  /* input byte offset of the first occurrence */
} run;

typedef struct form {
    uint32_t text, next; /* pool offset; next form of the entity or NONE */
} form;

typedef struct ent {
    keyref key; /* normalised words joined by ' ' */
    uint32_t count;
    uint32_t scored; /* mentions next to a score */
    uint32_t cues;   /* E_* */
    uint32_t forms;  /* first form, or NONE */
    uint32_t lex;    /* lexicon entry of the key, or NONE */
    uint32_t parent;
    uint32_t ntok;
    uint64_t first;
    uint8_t type;
    uint8_t rank; /* RANK_*: how sure the type is */
} ent;

/* A short key that stands for a longer name: its last word ("assad" of
 * "bashar al-assad") or its initials ("iskp"), and the entity (the most
 * mentioned one, when several share the key). */
typedef struct surname {
    keyref key;
    uint32_t ent;
} surname;

typedef struct alias {
    uint32_t a, b; /* pool offsets of two keys that name one entity */
} alias;

typedef struct entities {
    const tp_host *host;
    lexicon lex;
    /* options */
    long min_count;
    int link_demonyms;
    int surnames_apart;
    int want[T_COUNT];
    /* the document */
    pool doc;
    run *runs;
    size_t nruns, runs_cap;
    keyindex run_ix;
    tokinfo *toks;
    size_t ntoks, toks_cap;
    alias *aliases;
    size_t naliases, aliases_cap;
    ent *ents;
    size_t nents, ents_cap;
    keyindex ent_ix;
    form *forms;
    size_t nforms, forms_cap;
    surname *surnames;
    size_t nsurnames, surnames_cap;
    keyindex surname_ix;
    uint32_t *lex_owner; /* lexicon entry -> entity, for merging aliases */
    /* English words: a capitalised word at a sentence start that is none
     * is likely a name ("Constand Viljoen, leader of ..."), in English
     * prose (a document whose opening words are often English stopwords) */
    dictionary words;
    int english; /* --lang is English */
    uint32_t opening_words, opening_stopwords;
    /* scratch, reused */
    names_chunk *chunks;
    size_t chunks_cap;
    pool key;
    uint32_t *order;
    size_t order_cap;
    int oom;
    int pruned; /* runs were dropped in this document (logged once) */
    pool spare; /* the document pool being made by prune_runs */
} entities;

/* ---- lexicon loading ------------------------------------------------------ */

typedef struct analysis {
    pool *out;
    size_t ntok;
} analysis;

static int
collect_norms(void *arg, const tp_sentence *s)
{
    analysis *a = arg;
    for (size_t i = 0; i < s->ntokens; i++) {
        const tp_token *t = &s->tokens[i];
        if (a->ntok > 0 && pool_reserve(a->out, 1) == 0)
            a->out->p[a->out->len++] = ' ';
        if (pool_reserve(a->out, t->norm_len) != 0)
            return TP_ERROR;
        memcpy(a->out->p + a->out->len, t->norm, t->norm_len);
        a->out->len += t->norm_len;
        a->ntok++;
    }
    return TP_OK;
}

/* Two or more capitals and no small letters ("WHO", "U.S."): such a name
 * of one token matches only when written so (C_CAPS_ONLY). */
static int
written_in_caps(const char *name, size_t len)
{
    size_t upper = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] >= 'a' && name[i] <= 'z')
            return 0;
        upper += name[i] >= 'A' && name[i] <= 'Z';
    }
    return upper >= 2;
}

static void
set_caps(lexent *le, int capsy)
{
    le->capsy = (uint8_t)capsy;
    le->cues &= ~(uint32_t)C_CAPS_ONLY;
    if (capsy && le->ntok == 1 && !le->pending)
        le->cues |= C_CAPS_ONLY;
}

/* At least as many tokens as the core will cut a name into: words (and
 * their camel-case parts), each Han character, each punctuation mark. */
static size_t
tokens_at_most(const char *name, size_t len)
{
    const unsigned char *u = (const unsigned char *)name;
    size_t n = 0;
    int in_word = 0, small = 0;
    for (size_t i = 0; i < len;) {
        unsigned c = u[i];
        size_t cl = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        uint32_t cp = c;
        if (cl == 3 && i + 2 < len)
            cp = ((c & 0x0fu) << 12) | ((u[i + 1] & 0x3fu) << 6) | (u[i + 2] & 0x3fu);
        int space = c == ' ' || c == '\t' || (c == 0xc2 && i + 1 < len && u[i + 1] == 0xa0);
        int alone =
            (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9')) ||
            (cl == 3 && ((cp >= 0x2000 && cp < 0x3040) || (cp >= 0x3100 && cp < 0xa000) ||
                         (cp >= 0xf900 && cp < 0xfb00)));
        if (space || alone) {
            n += alone;
            in_word = small = 0;
        } else {
            int upper = c >= 'A' && c <= 'Z';
            if (!in_word || (upper && small))
                n++;
            in_word = 1;
            small = c >= 'a' && c <= 'z';
        }
        i += cl;
    }
    return n;
}

/* File a pending entry under the fold hash of its name. */
static int
add_lazy(lexicon *lx, uint32_t hash, uint32_t ent, int how)
{
    if (grow((void **)&lx->lazy, &lx->lazy_cap, lx->nlazy + 1, sizeof *lx->lazy) != 0)
        return -1;
    lx->lazy[lx->nlazy++] = (lazyname){hash, ent, NONE, (uint32_t)how};
    if (how == LAZY_SKELETON)
        lx->unresolved_weak++;
    else
        lx->unresolved++;
    lx->later += how == LAZY_LATER;
    return 0;
}

/* The lexicon entry for a name as written, made if new.  Plain names are
 * keyed here (names_plain_key); the others, when `lazy_ok`, are keyed by
 * the core only when a lookup comes near them (lex_resolve), filed by
 * names_fold_hash() or else names_skeleton_hash(), so that start-up does
 * not run the core over thousands of names; the few neither hash can
 * vouch for are keyed by the core now. */
static uint32_t
lex_entry(entities *e, tp_ctx *ctx, const char *name, size_t len, int lazy_ok, int *made)
{
    lexicon *lx = &e->lex;
    size_t ntok = 0;
    uint32_t fold = 0;
    int pending = 0, how = LAZY_FOLD, safe = 0;
    *made = 0;
    /* room for the key; the name as written stays where the file has it */
    if (pool_reserve(&lx->text, len + 1) != 0 || lx->text.len + len + 1 > UINT32_MAX ||
        grow((void **)&lx->ents, &lx->cap, lx->n + 1, sizeof *lx->ents) != 0) {
        e->oom = 1;
        return NONE;
    }
    char *key = lx->text.p + lx->text.len;
    size_t klen = len;
    if (names_plain_key(name, len, key, &ntok)) {
        /* keyed in place */
    } else if (lazy_ok && names_keeps_letter(name, len)) {
        pending = 1;
        how = LAZY_LATER; /* filed when a key beyond ASCII first misses */
    } else if (lazy_ok && (fold = names_skeleton_hash(name, len, &safe), safe) &&
               fold != names_skeleton_hash("", 0, &safe)) {
        pending = 1;
        how = LAZY_SKELETON;
    } else {
        e->key.len = 0;
        analysis a = {&e->key, 0};
        /* Names are keyed on norms: a host that can skip stemming is asked to. */
        int rc = TP_HAS(e->host, analyze_flags)
                     ? e->host->analyze_flags(ctx, name, len, TP_ANALYZE_NO_STEM, collect_norms, &a)
                     : e->host->analyze(ctx, name, len, collect_norms, &a);
        if (rc != TP_OK || a.ntok == 0)
            return NONE;
        ntok = a.ntok;
        if (pool_reserve(&lx->text, e->key.len + 1) != 0 ||
            lx->text.len + e->key.len + 1 > UINT32_MAX) {
            e->oom = 1;
            return NONE;
        }
        key = lx->text.p + lx->text.len;
        klen = e->key.len;
        memcpy(key, e->key.p, klen);
    }
    uint32_t display = (uint32_t)(name - lx->raw.p);
    if (pending) {
        /* filed by the name as written until keyed */
        key = (char *)name;
        /* only a name longer than the longest so far can be longer */
        ntok = len > lx->max_tokens ? tokens_at_most(name, len) : len;
    }
    keyindex *ix = pending ? &lx->pending_ix : &lx->ix;
    const pool *keys = pending ? &lx->raw : &lx->text;
    if (index_room(ix) != 0) {
        e->oom = 1;
        return NONE;
    }
    uint32_t h = hash_bytes(key, klen);
    size_t at;
    uint32_t found = index_find(ix, keys, lx->ents, sizeof *lx->ents, key, klen, h, &at);
    if (found != NONE)
        return found;
    lexent *le = &lx->ents[lx->n];
    memset(le, 0, sizeof *le);
    le->key.len = (uint32_t)klen;
    le->display = display;
    if (pending) {
        le->key.off = display;
        if (add_lazy(lx, fold, (uint32_t)lx->n, how) != 0) {
            e->oom = 1;
            return NONE;
        }
    } else {
        le->key.off = (uint32_t)lx->text.len;
        key[klen] = '\0';
        lx->text.len += klen + 1;
    }
    le->canon = (uint32_t)lx->n;
    le->link = NONE;
    le->pending = (uint8_t)pending;
    le->ntok = ntok > 255 ? 255 : (uint8_t)ntok;
    /* a pending name's capitals are looked at when it is keyed */
    if (!pending)
        set_caps(le, written_in_caps(name, len));
    index_put(ix, at, (uint32_t)lx->n, h);
    *made = 1;
    return (uint32_t)lx->n++;
}

static int
parse_type(const char *s, size_t n)
{
    /* most rows: GPE */
    if (n == 3 && s[0] == 'G' && s[1] == 'P' && s[2] == 'E')
        return T_GPE;
    for (int t = 1; t < T_COUNT; t++)
        if (strlen(type_names[t]) == n && memcmp(type_names[t], s, n) == 0)
            return t;
    if (n == 3 && memcmp(s, "PER", 3) == 0)
        return T_PERSON;
    return T_NONE;
}

static uint32_t
parse_cue(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof cue_names / sizeof cue_names[0]; i++)
        if (strlen(cue_names[i].name) == n && memcmp(cue_names[i].name, s, n) == 0)
            return cue_names[i].cue;
    return 0;
}

/* What a file's lines are. */
enum { FILE_GAZETTEER, FILE_CUES, FILE_WORDS };

/* Append a file to `b` (NUL-ended); its offset, or NONE. */
static uint32_t
slurp(pool *b, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NONE;
    size_t start = b->len;
    /* room for the whole file at once: no copies as the buffer grows */
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size < UINT32_MAX &&
        pool_reserve(b, (size_t)st.st_size + 1) != 0) {
        fclose(f);
        return NONE;
    }
    for (;;) {
        if (b->cap - b->len <= 1) {
            /* full: read on only if there is more */
            int c = fgetc(f);
            if (c == EOF)
                break;
            if (pool_reserve(b, 65536) != 0) {
                fclose(f);
                return NONE;
            }
            b->p[b->len++] = (char)c;
        }
        size_t got = fread(b->p + b->len, 1, b->cap - b->len - 1, f);
        b->len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad || b->len + 1 > UINT32_MAX) {
        b->len = start;
        return NONE;
    }
    b->p[b->len++] = '\0';
    *len = b->len - start - 1;
    return (uint32_t)start;
}

/* Split a line at TABs into at most `max` fields. */
static size_t
split_tabs(const char *line, size_t len, const char **f, size_t *flen, size_t max)
{
    size_t n = 0;
    const char *p = line, *end = line + len;
    while (n < max) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        f[n] = p;
        flen[n] = (size_t)((tab ? tab : end) - p);
        n++;
        if (tab == NULL)
            break;
        p = tab + 1;
    }
    return n;
}

/* A canonical name a file named lately, and its entry. */
typedef struct seen_canon {
    uint32_t hash, off, len, ent;
} seen_canon;

enum { RECENT_CANON = 512 };

static int
load_file(entities *e, tp_ctx *ctx, const char *path, int kind, uint32_t word_cue, int lazy_ok)
{
    size_t len;
    lexicon *lx = &e->lex;
    uint32_t at = slurp(&lx->raw, path, &len);
    if (at == NONE)
        return e->host->fail(ctx, "cannot read %s", path);
    char *text = lx->raw.p + at;
    /* room for what the file may add, made once: a name a line of about
     * twenty bytes, keyed and as written */
    size_t names = len / 16 + 16;
    if (pool_reserve(&lx->text, len) != 0 ||
        grow((void **)&lx->ents, &lx->cap, lx->n + names, sizeof *lx->ents) != 0 ||
        index_reserve(&lx->ix, names) != 0 || index_reserve(&lx->pending_ix, names / 4) != 0)
        return e->host->fail(ctx, "out of memory");
    seen_canon recent[RECENT_CANON];
    memset(recent, 0, sizeof recent);
    size_t lineno = 0;
    for (size_t b = 0; b < len;) {
        const char *nl = memchr(text + b, '\n', len - b);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + b;
        size_t ll = end - b;
        b = end + 1;
        lineno++;
        if (ll > 0 && line[ll - 1] == '\r')
            ll--;
        if (ll == 0 || line[0] == '#')
            continue;
        const char *f[4];
        size_t fl[4];
        size_t nf = split_tabs(line, ll, f, fl, 4);
        if (fl[0] == 0)
            continue;
        /* names are used in place: end them (at a TAB, CR or LF) */
        text[f[0] - text + fl[0]] = '\0';
        if (nf > 2)
            text[f[2] - text + fl[2]] = '\0';
        int made;
        uint32_t le = lex_entry(e, ctx, f[0], fl[0], lazy_ok, &made);
        if (le == NONE) {
            if (e->oom)
                break;
            continue; /* a name of no tokens */
        }
        if (kind == FILE_WORDS) {
            lx->ents[le].cues |= word_cue;
        } else if (kind == FILE_CUES) {
            uint32_t cue = nf > 1 ? parse_cue(f[1], fl[1]) : 0;
            if (cue == 0) {
                return e->host->fail(ctx, "%s:%zu: unknown cue", path, lineno);
            }
            lx->ents[le].cues |= cue;
        } else {
            int type = nf > 1 ? parse_type(f[1], fl[1]) : T_NONE;
            if (type == T_NONE) {
                return e->host->fail(ctx,
                                     "%s:%zu: type must be one of PERSON ORG GPE "
                                     "LOC NORP MISC",
                                     path, lineno);
            }
            if (lx->ents[le].type == T_NONE && !made && !lx->ents[le].pending) {
                /* first named here: written as this row writes it (a
                 * name just made, or pending, is written so already) */
                lx->ents[le].display = (uint32_t)(f[0] - lx->raw.p);
                set_caps(&lx->ents[le], written_in_caps(f[0], fl[0]));
            }
            lx->ents[le].type = (uint8_t)type;
            lx->ents[le].cues |= word_cue;
            if (lx->ents[le].ntok > lx->max_tokens)
                lx->max_tokens = lx->ents[le].ntok;
            /* a later file's row wins: with no canonical, the name is one */
            if (type != T_NORP)
                lx->ents[le].canon = le;
            if (nf > 2 && fl[2] > 0) {
                /* the same few canonical names come back row after row (a
                 * country in twenty languages): remember where they went */
                uint32_t h = hash_bytes(f[2], fl[2]);
                seen_canon *sc = &recent[h & (RECENT_CANON - 1)];
                uint32_t other;
                if (sc->len == fl[2] && sc->hash == h &&
                    same_bytes(lx->raw.p + sc->off, f[2], fl[2])) {
                    other = sc->ent;
                } else {
                    other = lex_entry(e, ctx, f[2], fl[2], lazy_ok, &made);
                    if (other == NONE)
                        continue;
                    *sc = (seen_canon){h, (uint32_t)(f[2] - lx->raw.p), (uint32_t)fl[2], other};
                }
                if (type == T_NORP) {
                    lx->ents[le].link = other;
                } else {
                    lx->ents[le].canon = other;
                    if (lx->ents[other].type == T_NONE) {
                        lx->ents[other].type = (uint8_t)type;
                        if (lx->ents[other].ntok > lx->max_tokens)
                            lx->max_tokens = lx->ents[other].ntok;
                    }
                }
            }
        }
    }
    return TP_OK;
}

static int
load_data(entities *e, tp_ctx *ctx, const char *name, int kind, uint32_t cue)
{
    char path[4096];
    if (e->host->find_data(ctx, name, path, sizeof path) != TP_OK)
        return e->host->fail(ctx, "data file %s not found (is the plugin installed?)", name);
    return load_file(e, ctx, path, kind, cue, kind == FILE_GAZETTEER);
}

static int
open_words(entities *e, tp_ctx *ctx)
{
    char path[4096];
    if (e->host->find_data(ctx, "english-words.txt", path, sizeof path) != TP_OK)
        return e->host->fail(ctx,
                             "data file english-words.txt not found (is the plugin installed?)");
    if (dictionary_open(&e->words, path) != 0)
        return e->host->fail(ctx, "%s: %s", path, strerror(errno));
    return TP_OK;
}

/* ---- create / destroy ----------------------------------------------------- */

static void
destroy(void *instance)
{
    entities *e = instance;
    if (e == NULL)
        return;
    lexicon *lx = &e->lex;
    if (!lx->raw.borrowed)
        free(lx->raw.p);
    if (!lx->text.borrowed)
        free(lx->text.p);
    index_free(&lx->ix);
    if (lx->map == NULL) {
        free(lx->ents);
        free(lx->suffixes);
        free(lx->lazy);
        free(lx->lazy_head);
    } else {
        munmap(lx->map, lx->map_len);
    }
    free(lx->connectors);
    free(lx->connector_words.p);
    index_free(&lx->pending_ix);
    free(lx->scratch.p);
    free(lx->memo);
    free(e->doc.p);
    free(e->runs);
    index_free(&e->run_ix);
    free(e->toks);
    free(e->aliases);
    free(e->ents);
    index_free(&e->ent_ix);
    free(e->forms);
    free(e->surnames);
    index_free(&e->surname_ix);
    if (lx->map == NULL)
        free(e->lex_owner);
    free(e->chunks);
    free(e->key.p);
    free(e->order);
    free(e->spare.p);
    dictionary_close(&e->words);
    free(e);
}

static int
read_options(entities *e, tp_ctx *ctx)
{
    const tp_host *h = e->host;
    const char *mc = h->option(ctx, "min-count");
    e->min_count = 1;
    if (mc != NULL) {
        char *end;
        e->min_count = strtol(mc, &end, 10);
        if (*mc == '\0' || *end != '\0' || e->min_count < 1)
            return h->fail(ctx, "min-count must be a whole number of at least 1, not \"%s\"", mc);
    }
    const char *types = h->option(ctx, "types");
    for (int t = 0; t < T_COUNT; t++)
        e->want[t] = types == NULL;
    while (types != NULL && *types != '\0') {
        size_t n = strcspn(types, ",");
        int t = parse_type(types, n);
        if (t == T_NONE)
            return h->fail(ctx, "types: \"%.*s\" is not one of PERSON ORG GPE LOC NORP MISC",
                           (int)n, types);
        e->want[t] = 1;
        types += n + (types[n] == ',');
    }
    const char *link = h->option(ctx, "link");
    if (link != NULL && strcmp(link, "demonyms") != 0 && strcmp(link, "none") != 0)
        return h->fail(ctx, "link must be demonyms or none, not \"%s\"", link);
    e->link_demonyms = link != NULL && strcmp(link, "demonyms") == 0;
    const char *sn = h->option(ctx, "surnames");
    if (sn != NULL && strcmp(sn, "merge") != 0 && strcmp(sn, "apart") != 0)
        return h->fail(ctx, "surnames must be merge or apart, not \"%s\"", sn);
    e->surnames_apart = sn != NULL && strcmp(sn, "apart") == 0;
    return TP_OK;
}

/* The shipped data files, in the order they are read. */
static const struct {
    const char *file;
    int kind;
    uint32_t cue;
} data_files[] = {
    {"cues.tsv", FILE_CUES, 0},
    {"given-names.txt", FILE_WORDS, C_GIVEN},
    {"nonentities.txt", FILE_WORDS, C_NONENTITY},
    {"countries.tsv", FILE_GAZETTEER, C_COUNTRY},
    {"subdivisions.tsv", FILE_GAZETTEER, 0},
    {"places.tsv", FILE_GAZETTEER, 0},
    {"demonyms.tsv", FILE_GAZETTEER, 0},
    {"organisations.tsv", FILE_GAZETTEER, 0},
};

enum { NDATA_FILES = sizeof data_files / sizeof data_files[0] };

/* Point `connectors` at copies of the connector words: `text` moves when
 * pending names are keyed. */
static int
lexicon_connectors(lexicon *lx, const uint32_t *ids, size_t n)
{
    lx->connectors = calloc(n + 1, sizeof *lx->connectors);
    if (lx->connectors == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const keyref *k = &lx->ents[ids[i]].key;
        if (pool_add(&lx->connector_words, lx->text.p + k->off, k->len) == NONE)
            return -1;
    }
    for (size_t i = 0, off = 0; i < n; i++) {
        lx->connectors[i] = lx->connector_words.p + off;
        off += lx->ents[ids[i]].key.len + 1;
    }
    names_connectors_init(&lx->connector_set, lx->connectors);
    return 0;
}

/* Read the data files (and the user's gazetteer) into the lexicon: what
 * the lexicon index holds ready made. */
static int
lexicon_from_files(entities *e, tp_ctx *ctx, const char *user)
{
    for (size_t i = 0; i < NDATA_FILES; i++)
        if (load_data(e, ctx, data_files[i].file, data_files[i].kind, data_files[i].cue) != TP_OK)
            return TP_ERROR;
    if (user != NULL && load_file(e, ctx, user, FILE_GAZETTEER, 0, 0) != TP_OK)
        return TP_ERROR;
    if (e->oom)
        return e->host->fail(ctx, "out of memory");

    lexicon *lx = &e->lex;
    /* an alias of an alias names the last one ("Russian Federation" was
     * made an alias of "Russia" after others pointed at it) */
    for (size_t i = 0; i < lx->n; i++)
        for (int hops = 0; hops < 8 && lx->ents[lx->ents[i].canon].canon != lx->ents[i].canon;
             hops++)
            lx->ents[i].canon = lx->ents[lx->ents[i].canon].canon;
    for (size_t i = 0; i < lx->n; i++)
        if (lx->ents[i].cues & C_COUNTRY)
            lx->ents[lx->ents[i].canon].cues |= C_COUNTRY;
    index_free(&lx->pending_ix);
    memset(&lx->pending_ix, 0, sizeof lx->pending_ix);
    size_t heads = 64;
    while (heads < 2 * lx->nlazy)
        heads *= 2;
    lx->lazy_mask = (uint32_t)(heads - 1);
    lx->lazy_head = malloc(heads * sizeof *lx->lazy_head);
    if (lx->lazy_head == NULL)
        return e->host->fail(ctx, "out of memory");
    memset(lx->lazy_head, 0xff, heads * sizeof *lx->lazy_head);
    for (size_t i = lx->nlazy; i-- > 0;) {
        if (lx->lazy[i].how == LAZY_LATER)
            continue;
        uint32_t *head = &lx->lazy_head[lx->lazy[i].hash & lx->lazy_mask];
        lx->lazy[i].next = *head;
        *head = (uint32_t)i;
    }
    lx->suffixes = calloc(lx->n + 1, sizeof *lx->suffixes);
    uint32_t *conn = calloc(lx->n + 1, sizeof *conn);
    size_t nconn = 0;
    if (lx->suffixes == NULL || conn == NULL) {
        free(conn);
        return e->host->fail(ctx, "out of memory");
    }
    for (size_t i = 0; i < lx->n; i++) {
        if (lx->ents[i].cues & C_LINKS)
            conn[nconn++] = (uint32_t)i;
        if (lx->ents[i].cues & C_ORG_SUFFIX)
            lx->suffixes[lx->nsuffixes++] = (uint32_t)i;
    }
    int rc = lexicon_connectors(lx, conn, nconn);
    free(conn);
    return rc == 0 ? TP_OK : e->host->fail(ctx, "out of memory");
}

/* ---- the lexicon index: the lexicon as loading leaves it, made at build
 * time by mklexicon.c and mapped at start-up instead of reading the data
 * files, which cost ten million instructions and some 270 page faults,
 * where the index costs pages only as lookups touch them.  Native layout:
 * it is made and installed with the plugin. */

enum { LEXIDX_VERSION = 3, LEXIDX_ALIGN = 64 };

typedef struct lexidx_section {
    uint64_t off, len; /* bytes from the start of the file */
} lexidx_section;

typedef struct lexidx_header {
    char magic[8]; /* "tplexidx" */
    uint32_t version, header_size;
    uint32_t lexent_size, slot_size, lazyname_size, ndata;
    uint32_t layout, unused;         /* lexidx_layout() */
    uint64_t data_size[NDATA_FILES]; /* of the data files it was made from */
    uint64_t n, text_len, ix_cap, ix_used, max_tokens, nlazy;
    uint64_t unresolved, unresolved_weak, later, lazy_mask, nsuffixes, nconnectors;
    /* text reserves room for the keys of pending names after text_len */
    lexidx_section raw, text, ents, slots, lazy, heads, suffixes, connectors;
    /* lex_owner as documents start it, all NONE: mapped, its pages cost
     * nothing until a document writes them */
    lexidx_section owners;
} lexidx_header;

static const char lexidx_magic[8] = {'t', 'p', 'l', 'e', 'x', 'i', 'd', 'x'};

/* What the index's bits mean beyond its sizes: the cue and type names and
 * values, and the files it stands for.  An index from a build of the
 * plugin that differs there is not used. */
static uint32_t
lexidx_layout(void)
{
    uint32_t h = FNV_START;
    for (size_t i = 0; i < sizeof cue_names / sizeof cue_names[0]; i++) {
        h = fnv_add(h, cue_names[i].name, strlen(cue_names[i].name) + 1);
        h = fnv_add(h, (const char *)&cue_names[i].cue, sizeof cue_names[i].cue);
    }
    for (int t = 0; t < T_COUNT; t++)
        h = fnv_add(h, type_names[t], strlen(type_names[t]) + 1);
    for (size_t i = 0; i < NDATA_FILES; i++) {
        uint32_t how[2] = {(uint32_t)data_files[i].kind, data_files[i].cue};
        h = fnv_add(h, data_files[i].file, strlen(data_files[i].file) + 1);
        h = fnv_add(h, (const char *)how, sizeof how);
    }
    const uint32_t values[] = {C_COUNTRY,    C_CAPS_ONLY, C_GIVEN,       C_NONENTITY, C_LINKS,
                               C_ORG_SUFFIX, LAZY_FOLD,   LAZY_SKELETON, LAZY_LATER};
    return fnv_add(h, (const char *)values, sizeof values);
}

static int
lexidx_section_ok(const lexidx_section *s, size_t file_len, size_t count, size_t size)
{
    return s->off <= file_len && s->len <= file_len - s->off && s->len / size >= count &&
           s->off % LEXIDX_ALIGN == 0;
}

static int
newer(const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
           (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

/* Use the lexicon index if there is one, made from data files of the
 * sizes found now, none of them newer than it; TP_OK when it is in use. */
static int
lexicon_map(entities *e, tp_ctx *ctx)
{
    char path[4096];
    struct stat ist, st;
    if (e->host->find_data(ctx, "lexicon.idx", path, sizeof path) != TP_OK)
        return TP_ERROR;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return TP_ERROR;
    lexidx_header h;
    int fd = fileno(f);
    int ok = fstat(fd, &ist) == 0 && fread(&h, sizeof h, 1, f) == 1 &&
             memcmp(h.magic, lexidx_magic, sizeof h.magic) == 0 && h.version == LEXIDX_VERSION &&
             h.header_size == sizeof h && h.lexent_size == sizeof(lexent) &&
             h.slot_size == sizeof(slot) && h.lazyname_size == sizeof(lazyname) &&
             h.ndata == NDATA_FILES && h.layout == lexidx_layout();
    for (size_t i = 0; ok && i < NDATA_FILES; i++)
        ok = e->host->find_data(ctx, data_files[i].file, path, sizeof path) == TP_OK &&
             stat(path, &st) == 0 && (uint64_t)st.st_size == h.data_size[i] &&
             !newer(&st, &ist);
    size_t len = ok ? (size_t)ist.st_size : 0;
    ok = ok && h.text_len <= h.text.len && h.ix_cap > 0 && (h.ix_cap & (h.ix_cap - 1)) == 0 &&
         4 * (h.ix_used + h.nlazy) <= 3 * h.ix_cap && h.n < UINT32_MAX &&
         h.lazy_mask < UINT32_MAX && (h.lazy_mask & (h.lazy_mask + 1)) == 0 &&
         lexidx_section_ok(&h.raw, len, 0, 1) && lexidx_section_ok(&h.text, len, 0, 1) &&
         lexidx_section_ok(&h.ents, len, h.n, sizeof(lexent)) &&
         lexidx_section_ok(&h.slots, len, h.ix_cap, sizeof(slot)) &&
         lexidx_section_ok(&h.lazy, len, h.nlazy, sizeof(lazyname)) &&
         lexidx_section_ok(&h.heads, len, h.lazy_mask + 1, sizeof(uint32_t)) &&
         lexidx_section_ok(&h.suffixes, len, h.nsuffixes, sizeof(uint32_t)) &&
         lexidx_section_ok(&h.connectors, len, h.nconnectors, sizeof(uint32_t)) &&
         lexidx_section_ok(&h.owners, len, h.n ? h.n : 1, sizeof(uint32_t));
    /* private and writable: keying a pending name writes its entry */
    char *m = ok ? mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    fclose(f);
    if (m == MAP_FAILED)
        return TP_ERROR;
    lexicon *lx = &e->lex;
    lx->map = m;
    lx->map_len = len;
    lx->raw = (pool){m + h.raw.off, h.raw.len, h.raw.len, 1};
    lx->text = (pool){m + h.text.off, h.text_len, h.text.len, 1};
    lx->ents = (lexent *)(m + h.ents.off);
    lx->n = lx->cap = h.n;
    lx->ix = (keyindex){(slot *)(m + h.slots.off), h.ix_cap, h.ix_used, 1};
    lx->max_tokens = h.max_tokens;
    lx->lazy = (lazyname *)(m + h.lazy.off);
    lx->nlazy = lx->lazy_cap = h.nlazy;
    lx->unresolved = h.unresolved;
    lx->unresolved_weak = h.unresolved_weak;
    lx->later = h.later;
    lx->lazy_head = (uint32_t *)(m + h.heads.off);
    lx->lazy_mask = (uint32_t)h.lazy_mask;
    lx->suffixes = (uint32_t *)(m + h.suffixes.off);
    lx->nsuffixes = h.nsuffixes;
    e->lex_owner = (uint32_t *)(m + h.owners.off);
    const uint32_t *conn = (const uint32_t *)(m + h.connectors.off);
    for (size_t i = 0; i < h.nconnectors; i++)
        if (conn[i] >= h.n)
            return e->host->fail(ctx, "lexicon.idx: a connector out of range");
    if (lexicon_connectors(lx, conn, h.nconnectors) != 0)
        return e->host->fail(ctx, "out of memory");
    return TP_OK;
}

static int
create(const tp_host *host, tp_ctx *ctx, void **instance)
{
    entities *e = calloc(1, sizeof *e);
    if (e == NULL)
        return host->fail(ctx, "out of memory");
    e->host = host;
    e->lex.host = host;
    e->lex.ctx = ctx;
    if (read_options(e, ctx) != TP_OK)
        goto fail;
    /* the user's gazetteer goes on top of the data files: read them all */
    const char *user = host->option(ctx, "gazetteer");
    if (user != NULL || lexicon_map(e, ctx) != TP_OK) {
        if (e->lex.map != NULL)
            goto fail; /* an index found broken */
        if (lexicon_from_files(e, ctx, user) != TP_OK)
            goto fail;
    }
    if (open_words(e, ctx) != TP_OK)
        goto fail;
    lexicon *lx = &e->lex;
    lx->memo = calloc(MEMO_SIZE, sizeof *lx->memo);
    if (lx->memo == NULL)
        goto oom;
    if (lx->map == NULL) {
        e->lex_owner = malloc((lx->n ? lx->n : 1) * sizeof *e->lex_owner);
        if (e->lex_owner == NULL)
            goto oom;
        memset(e->lex_owner, 0xff, (lx->n ? lx->n : 1) * sizeof *e->lex_owner);
    }
    *instance = e;
    return TP_OK;
oom:
    host->fail(ctx, "out of memory");
fail:
    destroy(e);
    return TP_ERROR;
}

/* ---- lexicon lookups ------------------------------------------------------ */

/* Key a pending entry with the core and index it by that key. */
static void
key_pending(lexicon *lx, uint32_t id)
{
    lexent *le = &lx->ents[id];
    lx->scratch.len = 0;
    analysis a = {&lx->scratch, 0};
    const char *name = lx->raw.p + le->key.off; /* pending: the name as written */
    int rc = TP_HAS(lx->host, analyze_flags)
                 ? lx->host->analyze_flags(lx->ctx, name, le->key.len, TP_ANALYZE_NO_STEM,
                                           collect_norms, &a)
                 : lx->host->analyze(lx->ctx, name, le->key.len, collect_norms, &a);
    le->pending = 0;
    le->capsy = (uint8_t)written_in_caps(name, le->key.len);
    if (rc != TP_OK || a.ntok == 0)
        return; /* no key: never found, as a name of no tokens is dropped at loading */
    if (index_room(&lx->ix) != 0) {
        lx->oom = 1;
        return;
    }
    uint32_t h = hash_bytes(lx->scratch.p, lx->scratch.len);
    size_t at;
    /* another name with the same key was keyed first: it stays the one
     * found (the shipped gazetteers have no such pair: tests check) */
    if (index_find(&lx->ix, &lx->text, lx->ents, sizeof *lx->ents, lx->scratch.p, lx->scratch.len,
                   h, &at) != NONE)
        return;
    uint32_t off = pool_add(&lx->text, lx->scratch.p, lx->scratch.len);
    if (off == NONE) {
        lx->oom = 1;
        return;
    }
    le = &lx->ents[id];
    le->key.off = off;
    le->key.len = (uint32_t)lx->scratch.len;
    le->ntok = a.ntok > 255 ? 255 : (uint8_t)a.ntok;
    set_caps(le, le->capsy);
    index_put(&lx->ix, at, id, h);
    /* a miss remembered for this key would now be wrong */
    if (lx->memo != NULL)
        lx->memo[h & (MEMO_SIZE - 1)].len = 0;
}

static void
lazy_chain(lexicon *lx, uint32_t i)
{
    uint32_t *head = &lx->lazy_head[lx->lazy[i].hash & lx->lazy_mask];
    lx->lazy[i].next = *head;
    *head = i;
}

/* The first key beyond ASCII that misses: file the names only such keys
 * find, by their fold hash or else their skeleton hash; a name neither
 * hash can vouch for is keyed now. */
static void
file_later(lexicon *lx)
{
    for (uint32_t i = 0; i < lx->nlazy; i++) {
        lazyname *z = &lx->lazy[i];
        if (z->how != LAZY_LATER)
            continue;
        const lexent *le = &lx->ents[z->ent];
        const char *name = lx->raw.p + le->key.off;
        int safe;
        uint32_t empty = names_skeleton_hash("", 0, &safe);
        if (names_fold_hash(name, le->key.len, &z->hash) == NAMES_FOLD_LETTER) {
            z->how = LAZY_FOLD;
        } else if (z->hash = names_skeleton_hash(name, le->key.len, &safe),
                   safe && z->hash != empty) {
            z->how = LAZY_SKELETON;
            lx->unresolved--;
            lx->unresolved_weak++;
        } else {
            /* (no ASCII letter either: all such names would share one
             * chain, walked by every key beyond ASCII) */
            z->how = LAZY_FOLD;
            key_pending(lx, z->ent);
            lx->unresolved--;
            continue;
        }
        lazy_chain(lx, i);
    }
    lx->later = 0;
}

/* Key the pending names filed under `hash` by `how`.  Returns how many
 * were keyed. */
static size_t
resolve_chain(lexicon *lx, uint32_t hash, int how)
{
    size_t keyed = 0;
    uint32_t *link = &lx->lazy_head[hash & lx->lazy_mask];
    while (*link != NONE) {
        lazyname *z = &lx->lazy[*link];
        if (z->hash != hash || z->how != (uint32_t)how || !lx->ents[z->ent].pending) {
            link = &z->next;
            continue;
        }
        *link = z->next; /* keyed: off the chain */
        key_pending(lx, z->ent);
        if (how == LAZY_SKELETON)
            lx->unresolved_weak--;
        else
            lx->unresolved--;
        keyed++;
    }
    return keyed;
}

/* A lookup of `key` missed: key the pending names that may have it.
 * Names filed by their fold hash are beyond ASCII: so is a key that
 * finds one.  Returns how many were keyed. */
static size_t
lex_resolve(lexicon *lx, const char *key, size_t len)
{
    size_t keyed = 0;
    if (lx->unresolved > 0 && memchr_high(key, len)) {
        if (lx->later > 0)
            file_later(lx);
        uint32_t fh;
        names_fold_hash(key, len, &fh);
        keyed += resolve_chain(lx, fh, LAZY_FOLD);
    }
    if (lx->unresolved_weak > 0) {
        int safe;
        keyed += resolve_chain(lx, names_skeleton_hash(key, len, &safe), LAZY_SKELETON);
    }
    return keyed;
}

static uint32_t
lex_find(lexicon *lx, const char *key, size_t len)
{
    size_t at;
    uint32_t h = hash_bytes(key, len);
    memo *m = NULL;
    if (len <= MEMO_KEY && lx->memo != NULL) {
        m = &lx->memo[h & (MEMO_SIZE - 1)];
        if (m->len == len + 1 && m->hash == h && same_bytes(m->key, key, len))
            return m->found;
    }
    uint32_t le = index_find(&lx->ix, &lx->text, lx->ents, sizeof *lx->ents, key, len, h, &at);
    if (le == NONE && (lx->unresolved > 0 || lx->unresolved_weak > 0) && len > 0 &&
        lex_resolve(lx, key, len) > 0)
        le = index_find(&lx->ix, &lx->text, lx->ents, sizeof *lx->ents, key, len, h, &at);
    if (m != NULL) {
        m->hash = h;
        m->found = le;
        m->len = (uint8_t)(len + 1);
        memcpy(m->key, key, len);
    }
    return le;
}

static uint32_t
lex_cues(lexicon *lx, const char *key, size_t len)
{
    uint32_t le = lex_find(lx, key, len);
    return le == NONE ? 0 : lx->ents[le].cues;
}

/* A gazetteer name (not merely a cue word)? */
static uint32_t
lex_name(lexicon *lx, const char *key, size_t len)
{
    uint32_t le = lex_find(lx, key, len);
    return le != NONE && lx->ents[le].type != T_NONE ? le : NONE;
}

/* ---- collecting runs, sentence by sentence ------------------------------- */

/* How many of a document's first words tell whether it is English prose. */
enum { OPENING_WORDS = 400 };

/* Is the document English prose: English stopwords make a quarter of its
 * opening words (some 45% in prose, under 10% in French or in a table of
 * results)? */
static int
english_prose(const entities *e)
{
    return e->english && e->opening_words > 0 && 4 * e->opening_stopwords >= e->opening_words;
}

static int
begin_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)ctx;
    entities *e = instance;
    e->doc.len = 0;
    e->nruns = e->ntoks = e->naliases = e->nents = e->nforms = 0;
    index_reset(&e->run_ix);
    index_reset(&e->ent_ix);
    e->oom = e->lex.oom = 0;
    e->pruned = 0;
    e->opening_words = e->opening_stopwords = 0;
    e->english = doc->lang != NULL && strncmp(doc->lang, "en", 2) == 0;
    return TP_OK;
}

static int
is_word(const tp_token *t, const char *w)
{
    size_t n = strlen(w);
    return t->norm_len == n && memcmp(t->norm, w, n) == 0;
}

/* A score or a "v" between teams: "Chicago 5", "6-3", "Kent v Surrey";
 * not a year or a date ("LONDON 1996-08-30"). */
static inline int
is_score(const tp_token *t)
{
    if (!(t->flags & TP_TOK_NUMBER))
        return (t->norm_len == 1 && t->norm[0] == 'v') ||
               (t->norm_len == 2 && t->norm[0] == 'v' && t->norm[1] == 's');
    if (t->surface_len > 5)
        return 0;
    return !(t->surface_len == 4 &&
             (memcmp(t->surface, "19", 2) == 0 || memcmp(t->surface, "20", 2) == 0));
}

/* Context cues around a chunk: a title before, "said" or "is a ROLE"
 * after, ", PLACE" after. */
static uint32_t
context_cues(entities *e, const tp_sentence *s, const names_chunk *c)
{
    lexicon *lx = &e->lex;
    const tp_token *t = s->tokens;
    size_t n = s->ntokens, after = c->last + 1;
    uint32_t cues = 0;
    if (c->first > 0 && c->skip == 0) {
        const tp_token *p = &t[c->first - 1];
        uint32_t before = (p->flags & TP_TOK_WORD) && !(p->flags & TP_TOK_NUMBER)
                              ? lex_cues(lx, p->norm, p->norm_len)
                              : 0;
        if (before & C_TITLE)
            cues |= E_TITLE_BEFORE;
        if (is_score(p))
            cues |= E_SCORE;
        if (is_word(p, "the") && !(p->flags & TP_TOK_CAPITAL))
            cues |= E_THE_BEFORE;
        if ((before & C_PLACE_PREP) && !(p->flags & TP_TOK_CAPITAL))
            cues |= E_PLACE_BEFORE;
    }
    if (c->keep != t[c->last].surface_len || after >= n)
        return cues;
    if (t[after].flags & TP_TOK_POSSESSIVE)
        return cues;
    if (is_score(&t[after]))
        cues |= E_SCORE;
    const uint32_t lower_word = TP_TOK_WORD | TP_TOK_CAPITAL | TP_TOK_ALLCAPS;
    if ((t[after].flags & lower_word) != TP_TOK_WORD)
        goto comma;
    if (lex_cues(lx, t[after].norm, t[after].norm_len) & C_SPEECH)
        cues |= E_SPEECH_AFTER;
    if ((is_word(&t[after], "is") || is_word(&t[after], "was")) && after + 1 < n &&
        (is_word(&t[after + 1], "a") || is_word(&t[after + 1], "an"))) {
        for (size_t k = after + 2; k < n && k < after + 6; k++) {
            if (!(t[k].flags & TP_TOK_WORD))
                break;
            if (lex_cues(lx, t[k].norm, t[k].norm_len) & C_ROLE) {
                cues |= E_ROLE_AFTER;
                break;
            }
        }
    }
comma:
    if (t[after].surface_len == 1 && t[after].surface[0] == ',' && after + 1 < n &&
        (t[after + 1].flags & TP_TOK_CAPITAL)) {
        /* the longest gazetteer name right after the comma */
        const tp_token *u = &t[after + 1];
        uint32_t le = lex_name(lx, u->norm, u->norm_len);
        if (le != NONE && (lx->ents[le].type == T_GPE || lx->ents[le].type == T_LOC))
            cues |= E_PLACE_AFTER;
    }
    return cues;
}

/* Append a chunk's key (class byte, then normalised words) to e->key. */
static int
chunk_key(entities *e, const tp_sentence *s, const names_chunk *c, char cls)
{
    e->key.len = 0;
    if (pool_reserve(&e->key, 64) != 0)
        return -1;
    e->key.p[e->key.len++] = cls;
    for (uint32_t i = c->first; i <= c->last; i++) {
        const tp_token *t = &s->tokens[i];
        size_t b = i == c->first ? c->nskip : 0;
        size_t end = i == c->last ? c->nkeep : t->norm_len;
        if (pool_reserve(&e->key, end - b + 1) != 0)
            return -1;
        if (i > c->first)
            e->key.p[e->key.len++] = ' ';
        copy_bytes(e->key.p + e->key.len, t->norm + b, end - b);
        e->key.len += end - b;
    }
    return 0;
}

/* A document may hold at most this many distinct runs (and acronym
 * definitions): past it the rarest runs are dropped (prune_runs), so that
 * a document of ever new names does not grow the plugin without bound. */
enum { RUN_CAP = 8192, ALIAS_CAP = 1024 };

/* Keep the runs seen more often than the rarest, at most half the cap:
 * their strings move to a fresh pool, the rest is let go. */
static int
prune_runs(tp_ctx *ctx, entities *e)
{
    uint32_t floor = 1;
    for (;;) {
        size_t keep = 0;
        for (size_t r = 0; r < e->nruns; r++)
            keep += e->runs[r].count > floor;
        if (keep <= RUN_CAP / 2)
            break;
        floor++;
    }
    pool *np = &e->spare;
    np->len = 0;
    size_t w = 0, nt = 0;
    for (size_t r = 0; r < e->nruns; r++) {
        run v = e->runs[r];
        if (v.count <= floor)
            continue;
        uint32_t key = pool_add(np, e->doc.p + v.key.off, v.key.len);
        uint32_t text = pool_add(np, e->doc.p + v.text, strlen(e->doc.p + v.text));
        if (key == NONE || text == NONE)
            return -1;
        /* the words' norms point into the key */
        memmove(&e->toks[nt], &e->toks[v.toks], v.ntok * sizeof *e->toks);
        for (uint32_t k = 0; k < v.ntok; k++)
            e->toks[nt + k].norm = e->toks[nt + k].norm - v.key.off + key;
        v.key.off = key;
        v.text = text;
        v.toks = (uint32_t)nt;
        nt += v.ntok;
        e->runs[w++] = v;
    }
    for (size_t i = 0; i < e->naliases; i++) {
        uint32_t a = pool_add(np, e->doc.p + e->aliases[i].a, strlen(e->doc.p + e->aliases[i].a));
        uint32_t b = pool_add(np, e->doc.p + e->aliases[i].b, strlen(e->doc.p + e->aliases[i].b));
        if (a == NONE || b == NONE)
            return -1;
        e->aliases[i] = (alias){a, b};
    }
    free(e->doc.p);
    e->doc = *np;
    *np = (pool){0};
    e->nruns = w;
    e->ntoks = nt;
    index_clear(&e->run_ix);
    for (size_t r = 0; r < e->nruns; r++) {
        const run *v = &e->runs[r];
        const char *k = e->doc.p + v->key.off;
        uint32_t h = hash_bytes(k, v->key.len);
        size_t at;
        index_find(&e->run_ix, &e->doc, e->runs, sizeof *e->runs, k, v->key.len, h, &at);
        index_put(&e->run_ix, at, (uint32_t)r, h);
    }
    if (!e->pruned)
        e->host->log(ctx, TP_LOG_WARNING,
                     "more than %d distinct names: those seen %u time%s or fewer are "
                     "left out of this document's counts",
                     RUN_CAP, floor, floor == 1 ? "" : "s");
    e->pruned = 1;
    return 0;
}

/* Count one chunk as a run; returns the run, or NONE when out of memory. */
static uint32_t
add_run(tp_ctx *ctx, entities *e, const tp_sentence *s, const names_chunk *c, char cls,
        uint32_t cues)
{
    if (e->nruns >= RUN_CAP && prune_runs(ctx, e) != 0)
        return NONE;
    if (chunk_key(e, s, c, cls) != 0 || index_room(&e->run_ix) != 0)
        return NONE;
    uint32_t h = hash_bytes(e->key.p, e->key.len);
    size_t at;
    uint32_t r =
        index_find(&e->run_ix, &e->doc, e->runs, sizeof *e->runs, e->key.p, e->key.len, h, &at);
    const tp_token *t = s->tokens;
    if (r != NONE) {
        e->runs[r].count++;
        e->runs[r].scored += (cues & E_SCORE) != 0;
        e->runs[r].cues |= cues;
        return r;
    }
    uint32_t ntok = c->last - c->first + 1;
    if (grow((void **)&e->runs, &e->runs_cap, e->nruns + 1, sizeof *e->runs) != 0 ||
        grow((void **)&e->toks, &e->toks_cap, e->ntoks + ntok, sizeof *e->toks) != 0)
        return NONE;
    run *nr = &e->runs[e->nruns];
    nr->key.off = pool_add(&e->doc, e->key.p, e->key.len);
    nr->key.len = (uint32_t)e->key.len;
    uint64_t start = t[c->first].start + c->skip;
    uint64_t end = t[c->last].start + c->keep;
    nr->text = pool_add(&e->doc, s->text + (start - s->start), end - start);
    if (nr->key.off == NONE || nr->text == NONE)
        return NONE;
    nr->toks = (uint32_t)e->ntoks;
    nr->ntok = ntok;
    nr->count = 1;
    nr->scored = (cues & E_SCORE) != 0;
    nr->cues = cues;
    nr->flags = c->flags;
    nr->start = start;
    /* the words' norms are in the key: point into it */
    uint32_t koff = nr->key.off + 1;
    for (uint32_t i = c->first; i <= c->last; i++) {
        tokinfo *ti = &e->toks[e->ntoks++];
        size_t b = i == c->first ? c->skip : 0;
        size_t send = i == c->last ? c->keep : t[i].surface_len;
        size_t nb = i == c->first ? c->nskip : 0;
        size_t nend = i == c->last ? c->nkeep : t[i].norm_len;
        ti->rel = (uint32_t)(t[i].start + b - start);
        ti->slen = (uint32_t)(send - b);
        ti->norm = koff;
        ti->nlen = (uint32_t)(nend - nb);
        ti->flags = t[i].flags;
        if (i > c->first && (ti->flags & TP_TOK_NUMBER))
            ti->flags |= TP_TOK_WORD; /* "Euro 96" */
        if (b > 0) {
            /* the case of what is left of "l'UE", "pro-Moscow" */
            const char *w = t[i].surface + b;
            size_t upper = 0, lower = 0;
            for (size_t k = 0; k < send - b; k++) {
                upper += w[k] >= 'A' && w[k] <= 'Z';
                lower += w[k] >= 'a' && w[k] <= 'z';
            }
            ti->flags |= TP_TOK_CAPITAL;
            ti->flags &= ~(uint32_t)TP_TOK_ALLCAPS;
            if (upper >= 2 && lower == 0)
                ti->flags |= TP_TOK_ALLCAPS;
        }
        ti->cues = lex_cues(&e->lex, e->doc.p + koff, ti->nlen);
        koff += ti->nlen + 1;
    }
    /* "Barnett Banks Inc.": the tokeniser cut the abbreviation's full stop
     * off; it is part of the name as written */
    tokinfo *last = &e->toks[e->ntoks - 1];
    if ((last->cues & C_DOTTED) && c->keep == t[c->last].surface_len && c->last + 1 < s->ntokens &&
        t[c->last + 1].surface_len == 1 && t[c->last + 1].surface[0] == '.' &&
        !(t[c->last + 1].flags & TP_TOK_SPACE)) {
        nr->text = pool_add(&e->doc, s->text + (start - s->start), end + 1 - start);
        if (nr->text == NONE)
            return NONE;
        last->slen++;
    }
    index_put(&e->run_ix, at, (uint32_t)e->nruns, h);
    return (uint32_t)e->nruns++;
}

/* Could `acr` abbreviate `name`: same first letter, and its letters in
 * order inside the name? */
static int
acronym_fits(const char *acr, size_t alen, const char *name, size_t nlen)
{
    size_t a = 0, n = 0;
    while (a < alen && !(acr[a] >= 'a' && acr[a] <= 'z'))
        a++;
    if (a == alen || nlen == 0 || acr[a] != name[0])
        return 0;
    for (a++, n = 1; a < alen; a++) {
        if (!(acr[a] >= 'a' && acr[a] <= 'z'))
            continue;
        while (n < nlen && name[n] != acr[a])
            n++;
        if (n == nlen)
            return 0;
        n++;
    }
    return 1;
}

/* Does b stand in brackets right after a ("Long Name (LN)")? */
static int
bracketed_after(const tp_sentence *s, const names_chunk *a, const names_chunk *b)
{
    const tp_token *t = s->tokens;
    return a->keep == t[a->last].surface_len && b->first == a->last + 2 &&
           b->last + 1 < s->ntokens && t[a->last + 1].surface_len == 1 &&
           t[a->last + 1].surface[0] == '(' && t[b->last + 1].surface_len == 1 &&
           t[b->last + 1].surface[0] == ')';
}

/* Is the chunk one word in capitals, as an acronym is? */
static int
acronym_chunk(const tp_sentence *s, const names_chunk *c)
{
    return c->first == c->last && (s->tokens[c->first].flags & TP_TOK_ALLCAPS);
}

/* "Long Name (LN)" and "LN (Long Name)": remember the two keys. */
static void
note_acronym(entities *e, const tp_sentence *s, const names_chunk *a, const names_chunk *b)
{
    if (!bracketed_after(s, a, b))
        return;
    int a_acr = acronym_chunk(s, a), b_acr = acronym_chunk(s, b);
    if (a_acr == b_acr || e->naliases >= ALIAS_CAP)
        return;
    size_t mark = e->doc.len; /* what is not kept is taken back */
    uint32_t k[2];
    const names_chunk *c[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (chunk_key(e, s, c[i], CLS_MID) != 0) {
            e->oom = 1;
            return;
        }
        k[i] = pool_add(&e->doc, e->key.p + 1, e->key.len - 1);
        if (k[i] == NONE) {
            e->oom = 1;
            return;
        }
    }
    const char *ka = e->doc.p + k[0], *kb = e->doc.p + k[1];
    if (a_acr ? !acronym_fits(ka, strlen(ka), kb, strlen(kb))
              : !acronym_fits(kb, strlen(kb), ka, strlen(ka))) {
        e->doc.len = mark;
        return;
    }
    if (grow((void **)&e->aliases, &e->aliases_cap, e->naliases + 1, sizeof *e->aliases) !=
        0) {
        e->oom = 1;
        return;
    }
    for (size_t i = 0; i < e->naliases; i++) {
        if (strcmp(e->doc.p + e->aliases[i].a, e->doc.p + k[0]) == 0 &&
            strcmp(e->doc.p + e->aliases[i].b, e->doc.p + k[1]) == 0) {
            e->doc.len = mark;
            return;
        }
    }
    e->aliases[e->naliases++] = (alias){k[0], k[1]};
}

/* A run's flags, beside the NAMES_* flags of its chunk. */
enum {
    RUN_SPELLED = 1u << 30,  /* a name as it stands (an acronym spelled it, or a title) */
    RUN_WORK = 1u << 29,     /* a title in quotes */
    RUN_PARTICLE = 1u << 28, /* led by a particle ("de Silva") */
};

/* Does text[0, len) hold a '"' or a U+201C?  (memchr is fast; most
 * sentences have neither.) */
static int
has_opening_quote(const char *text, size_t len)
{
    if (memchr(text, '"', len) != NULL)
        return 1;
    for (const char *p = text, *end = text + len; (p = memchr(p, 0x9c, (size_t)(end - p))) != NULL;
         p++)
        if (p - text >= 2 && (unsigned char)p[-2] == 0xe2 && (unsigned char)p[-1] == 0x80)
            return 1;
    return 0;
}

/* '"On the Waterfront"', '"Schindler's List"': two or more words in
 * quotes, each capitalised but for short function words, are the title of
 * a work: one name as it stands, where the rules would cut it at "the" or
 * "in" and count "Waterfront" as a name.  The chunks inside become one;
 * returns the new number of chunks. */
static size_t
quoted_titles(entities *e, const tp_sentence *s, names_chunk *c, size_t n)
{
    const tp_token *t = s->tokens;
    size_t straight = 0; /* straight quotes so far: an even count opens */
    for (size_t q = 0; q + 3 < s->ntokens; q++) {
        if (!(t[q].flags & TP_TOK_QUOTE))
            continue;
        int is_straight = t[q].surface_len == 1 && t[q].surface[0] == '"';
        int opens = is_straight
                        ? straight % 2 == 0
                        : t[q].surface_len == 3 && memcmp(t[q].surface, "\xe2\x80\x9c", 3) == 0;
        straight += is_straight;
        if (!opens || !(t[q + 1].flags & TP_TOK_CAPITAL) || (t[q + 1].flags & TP_TOK_ALLCAPS))
            continue;
        size_t end = q + 1, words = 0;
        for (; end < s->ntokens && end <= q + 9; end++) {
            const tp_token *w = &t[end];
            if (w->flags & TP_TOK_QUOTE)
                break;
            if (w->flags & TP_TOK_POSSESSIVE)
                continue;
            if (!(w->flags & (TP_TOK_WORD | TP_TOK_NUMBER)) ||
                (!(w->flags & (TP_TOK_CAPITAL | TP_TOK_NUMBER)) &&
                 (!(w->flags & TP_TOK_STOPWORD) || w->norm_len > 4)))
                break;
            words++;
        }
        /* not '"The Fed"': a name after "The" */
        if ((t[q + 1].flags & TP_TOK_STOPWORD) && words < 3)
            continue;
        if (end >= s->ntokens || !(t[end].flags & TP_TOK_QUOTE) || words < 2 ||
            !(t[end - 1].flags & (TP_TOK_CAPITAL | TP_TOK_NUMBER)))
            continue;
        size_t a = 0;
        while (a < n && c[a].first <= q)
            a++;
        size_t b = a;
        while (b < n && c[b].last < end)
            b++;
        if (a == b)
            continue;
        /* "The" is the title's ("The Sunday Telegraph"), not an
         * organisation's ("The Kestrel Marsh Agency") */
        size_t first = q + 1;
        if ((t[first].flags & TP_TOK_STOPWORD) &&
            (lex_cues(&e->lex, t[end - 1].norm, t[end - 1].norm_len) &
             (C_ORG_HEAD | C_GPE_HEAD | C_LOC_HEAD)))
            first++;
        c[a] = (names_chunk){.first = (uint32_t)first,
                             .last = (uint32_t)end - 1,
                             .keep = t[end - 1].surface_len,
                             .nkeep = t[end - 1].norm_len,
                             .flags = NAMES_CONNECTED | RUN_SPELLED | RUN_WORK};
        memmove(&c[a + 1], &c[b], (n - b) * sizeof *c);
        n -= b - a - 1;
    }
    return n;
}

/* "Organisation for Security and Cooperation in Europe (OSCE)", "State
 * Law and Order Restoration Council (SLORC)": an acronym in brackets that
 * spells a name says where the name starts, where the cutting rules would
 * part it at "in", "on" or "and" (mostly between two names).  The chunk
 * before the brackets, with up to three chunks before it that follow one
 * or two lower-case words, becomes one name taken as it stands when the
 * acronym spells it; returns how many chunks were joined away. */
static size_t
join_for_acronym(entities *e, const tp_sentence *s, names_chunk *c, size_t i, size_t n)
{
    const tp_token *t = s->tokens;
    if (i + 1 >= n)
        return 0;
    const names_chunk *acr = &c[i + 1];
    if (!acronym_chunk(s, acr) || !bracketed_after(s, &c[i], acr))
        return 0;
    size_t mark = e->doc.len, joined = 0;
    if (chunk_key(e, s, acr, CLS_MID) != 0)
        goto oom;
    uint32_t ka = pool_add(&e->doc, e->key.p + 1, e->key.len - 1);
    if (ka == NONE)
        goto oom;
    size_t alen = e->key.len - 1;
    for (size_t m = i + 1; m-- > 0 && i - m <= 3;) {
        if (m < i) {
            size_t gap = c[m + 1].first - c[m].last - 1;
            if (gap < 1 || gap > 2 || c[m + 1].skip != 0 || c[m].keep != t[c[m].last].surface_len)
                break;
            for (size_t k = c[m].last + 1; k < c[m + 1].first; k++)
                if (!(t[k].flags & TP_TOK_WORD) || (t[k].flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)))
                    goto done;
        }
        names_chunk whole = c[m];
        whole.last = c[i].last;
        whole.keep = c[i].keep;
        whole.nkeep = c[i].nkeep;
        if (whole.first < whole.last && (t[whole.first].flags & TP_TOK_STOPWORD) &&
            whole.skip == 0) { /* "The" */
            whole.first++;
            whole.nskip = 0;
        }
        if (chunk_key(e, s, &whole, CLS_MID) != 0)
            goto oom;
        if (!acronym_fits(e->doc.p + ka, alen, e->key.p + 1, e->key.len - 1))
            continue;
        if (whole.first < whole.last) {
            whole.flags |= NAMES_CONNECTED | RUN_SPELLED;
            c[m] = whole;
            joined = i - m;
            memmove(&c[m + 1], &c[i + 1], (n - i - 1) * sizeof *c);
        }
        break;
    }
done:
    e->doc.len = mark;
    return joined;
oom:
    e->oom = 1;
    e->doc.len = mark;
    return 0;
}

/* Does the word start with a letter of a script without case (Arabic,
 * Hebrew, Devanagari, Thai, Han, Hangul, ...)? */
static int
caseless(const tp_token *t)
{
    const unsigned char *u = (const unsigned char *)t->surface;
    if (t->surface_len < 2 || u[0] < 0xd6)
        return 0;
    uint32_t cp;
    if (u[0] < 0xe0)
        cp = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
    else if (u[0] < 0xf0 && t->surface_len >= 3)
        cp = ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
    else if (t->surface_len >= 4)
        cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
             ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
    else
        return 0;
    /* blocks of cased scripts above U+0590: Georgian, Latin and Greek
     * extended, Glagolitic to Coptic, Cyrillic and Latin extensions,
     * full-width Latin */
    static const uint32_t cased[][2] = {
        {0x10a0, 0x10ff}, {0x1c80, 0x1cbf}, {0x1e00, 0x1fff}, {0x2c00, 0x2d2f},
        {0xa640, 0xa69f}, {0xa720, 0xa7ff}, {0xff00, 0xffef}, {0x10400, 0x1044f},
    };
    if (cp < 0x0590)
        return 0;
    for (size_t i = 0; i < sizeof cased / sizeof cased[0]; i++)
        if (cp >= cased[i][0] && cp <= cased[i][1])
            return 0;
    return 1;
}

/* Text without letter case shows no capitals: look its words up in the
 * gazetteers instead, longest name first. */
static int
caseless_names(tp_ctx *ctx, entities *e, const tp_sentence *s)
{
    const tp_token *t = s->tokens;
    size_t n = s->ntokens;
    for (size_t i = 0; i < n;) {
        if (!(t[i].flags & TP_TOK_WORD) || (unsigned char)t[i].surface[0] < 0xd6 ||
            !caseless(&t[i])) {
            i++;
            continue;
        }
        size_t span = 1;
        while (i + span < n && span < e->lex.max_tokens && (t[i + span].flags & TP_TOK_WORD) &&
               caseless(&t[i + span]))
            span++;
        size_t best = 0;
        for (size_t k = span; k > 0 && best == 0; k--) {
            e->key.len = 0;
            for (size_t w = i; w < i + k; w++) {
                if (pool_reserve(&e->key, t[w].norm_len + 1) != 0)
                    return -1;
                if (w > i)
                    e->key.p[e->key.len++] = ' ';
                memcpy(e->key.p + e->key.len, t[w].norm, t[w].norm_len);
                e->key.len += t[w].norm_len;
            }
            if (lex_name(&e->lex, e->key.p, e->key.len) != NONE)
                best = k;
        }
        if (best == 0) {
            i++;
            continue;
        }
        names_chunk c = {(uint32_t)i, (uint32_t)(i + best - 1), 0, t[i + best - 1].surface_len,
                         0,           t[i + best - 1].norm_len, 0};
        if (add_run(ctx, e, s, &c, CLS_MID, 0) == NONE)
            return -1;
        i += best;
    }
    return 0;
}

/* "Kim In-so", "Li Song-ho": the chunker cut a short lower-case part
 * after a hyphen as it cuts "-led" off "Moscow-led"; at the end of a name
 * of several words, such a part that is no English suffix is a syllable of
 * the name. */
static void
keep_syllable(entities *e, const tp_sentence *s, names_chunk *c)
{
    const tp_token *t = &s->tokens[c->last];
    if (t->surface[c->keep] != '-' || t->norm_len != t->surface_len)
        return;
    const char *w = t->surface + c->keep + 1;
    size_t n = t->surface_len - c->keep - 1;
    for (size_t b = 0; b < n; b++)
        if (w[b] < 'a' || w[b] > 'z')
            return;
    if (lex_cues(&e->lex, w, n) & C_ADJ_SUFFIX)
        return;
    c->keep = t->surface_len;
    c->nkeep = t->norm_len;
}

/* Does the quote at token q open a quotation: a left quote mark, or a
 * straight one that follows an even number of quotes in the sentence? */
static int
opening_quote(const tp_sentence *s, size_t q)
{
    const tp_token *t = &s->tokens[q];
    if (t->surface_len == 3 && memcmp(t->surface, "\xe2\x80\x9c", 3) == 0)
        return 1;
    if (!(t->surface_len == 1 && t->surface[0] == '"'))
        return 0;
    size_t before = 0;
    for (size_t k = 0; k < q; k++)
        before += (s->tokens[k].flags & TP_TOK_QUOTE) && s->tokens[k].surface_len == 1 &&
                  s->tokens[k].surface[0] == '"';
    return before % 2 == 0;
}

/* "FRANCE - Bond futures rose", "LONDON - Shares fell": does token k
 * follow a dash after a dateline, one to three words in capitals that
 * start the line? */
static int
after_dateline(const tp_sentence *s, size_t k)
{
    const tp_token *t = s->tokens;
    if (k < 2 || t[k - 1].norm_len != 1 || t[k - 1].norm[0] != '-' ||
        !(t[k - 1].flags & TP_TOK_PUNCT) || !(t[k - 1].flags & TP_TOK_SPACE) ||
        !(t[k].flags & TP_TOK_SPACE))
        return 0;
    size_t b = k - 1;
    while (b > 0 && k - 1 - b < 3 && !(t[b].flags & TP_TOK_NEWLINE)) {
        b--;
        if (!(t[b].flags & TP_TOK_ALLCAPS) || (t[b].flags & TP_TOK_NUMBER))
            return 0;
    }
    return b == 0 || (t[b].flags & TP_TOK_NEWLINE);
}

/* Does the line that token k ends (a line break before k) read as a line
 * of a list or a table rather than wrapped prose: no word in lower case
 * longer than three letters on it?  A line that began in an earlier
 * sentence may be prose ("... exist. The U.S. International Development
 * Finance" / "Corporation"): no. */
static int
list_line(const tp_sentence *s, size_t k)
{
    for (size_t b = k; b-- > 0;) {
        const tp_token *t = &s->tokens[b];
        if ((t->flags & (TP_TOK_WORD | TP_TOK_CAPITAL | TP_TOK_ALLCAPS | TP_TOK_NUMBER)) ==
                TP_TOK_WORD &&
            t->surface_len > 3)
            return 0;
        if (t->flags & TP_TOK_NEWLINE)
            return 1;
    }
    /* the line began before the sentence: only its start is known */
    return s->ntokens > 0 && s->tokens[0].start == 0;
}

/* Does token k start a line? */
static int
starts_line(const tp_sentence *s, size_t k)
{
    return (s->tokens[k].flags & TP_TOK_NEWLINE) || s->tokens[k].start == 0;
}

/* Count one chunk of a sentence as a run; `next` is the chunk after it. */
static int
one_chunk(tp_ctx *ctx, entities *e, const tp_sentence *s, names_chunk *c, const names_chunk *next)
{
    size_t after = c->last + 1;
    if (after < s->ntokens && (s->tokens[after].flags & TP_TOK_NUMBER) &&
        s->tokens[after].surface_len <= 4 && c->keep == s->tokens[c->last].surface_len &&
        (lex_cues(&e->lex, s->tokens[c->last].norm, s->tokens[c->last].norm_len) & C_NUMBERED)) {
        int digits = 1;
        for (size_t b = 0; b < s->tokens[after].surface_len; b++)
            digits &= s->tokens[after].surface[b] >= '0' && s->tokens[after].surface[b] <= '9';
        if (digits) {
            c->last = (uint32_t)after;
            c->keep = s->tokens[after].surface_len;
            c->nkeep = s->tokens[after].norm_len;
        }
    }
    /* "de Silva", "van Gogh": a particle before a name in English prose
     * (in French, "de Paris" is a preposition and a name) */
    if (c->first >= 1 && c->skip == 0 && e->opening_words >= 20 && english_prose(e)) {
        const tp_token *p = &s->tokens[c->first - 1];
        if (!(p->flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)) && (p->flags & TP_TOK_WORD) &&
            p->norm_len > 1 && p->norm_len <= 5 && !(p->flags & TP_TOK_STOPWORD) &&
            (lex_cues(&e->lex, p->norm, p->norm_len) & C_CONNECTOR) &&
            (c->first == 1 ||
             !(s->tokens[c->first - 2].flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)))) {
            c->first--;
            c->nskip = 0;
            c->flags |= RUN_PARTICLE;
        }
    }
    /* a capital after an opening quote starts a quoted sentence
     * ("called \" Troops out ! \""): only evidence makes it a name; so
     * does one after a dateline and a dash */
    if (c->first > 0 && c->skip == 0 && !(c->flags & NAMES_INITIAL) &&
        (((s->tokens[c->first - 1].flags & TP_TOK_QUOTE) && opening_quote(s, c->first - 1)) ||
         after_dateline(s, c->first)))
        c->flags |= NAMES_INITIAL;
    if (c->last > c->first && c->keep + 3 <= s->tokens[c->last].surface_len &&
        c->keep + 5 >= s->tokens[c->last].surface_len)
        keep_syllable(e, s, c);
    char cls = CLS_MID;
    if (c->flags & NAMES_CAPS_LINE)
        cls = CLS_CAPS;
    else if (c->flags & NAMES_HEADING)
        cls = CLS_HEAD;
    else if (c->flags & NAMES_INITIAL)
        cls = CLS_INITIAL;
    uint32_t cues = context_cues(e, s, c) | ((c->flags & RUN_WORK) ? E_WORK : 0);
    if (add_run(ctx, e, s, c, cls, cues) == NONE)
        return -1;
    if (next != NULL && cls != CLS_CAPS)
        note_acronym(e, s, c, next);
    return 0;
}

static int
sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    entities *e = instance;
    if (e->oom)
        return e->host->fail(ctx, "out of memory");
    if (grow((void **)&e->chunks, &e->chunks_cap, s->ntokens + 1, sizeof *e->chunks) != 0)
        return e->host->fail(ctx, "out of memory");
    for (size_t k = 0; k < s->ntokens && e->opening_words < OPENING_WORDS; k++)
        if (s->tokens[k].flags & TP_TOK_WORD) {
            e->opening_words++;
            e->opening_stopwords += (s->tokens[k].flags & TP_TOK_STOPWORD) != 0;
        }
    uint32_t seen;
    size_t n = names_find_set(s, &e->lex.connector_set, e->chunks, e->chunks_cap, &seen);
    if (has_opening_quote(s->text, (size_t)(s->end - s->start)))
        n = quoted_titles(e, s, e->chunks, n);
    for (size_t i = 0; i < n; i++) {
        size_t joined = join_for_acronym(e, s, e->chunks, i, n);
        n -= joined;
        i -= joined;
    }
    for (size_t i = 0; i < n; i++) {
        names_chunk *c = &e->chunks[i];
        const names_chunk *next = i + 1 < n ? &e->chunks[i + 1] : NULL;
        /* "St. Petersburg": the tokeniser cut the full stop between them */
        const tp_token *last = &s->tokens[c->last];
        if (next != NULL && next->first == c->last + 2 && next->skip == 0 &&
            c->keep == last->surface_len && last[1].surface_len == 1 && last[1].surface[0] == '.' &&
            !(last[1].flags & TP_TOK_SPACE) &&
            (lex_cues(&e->lex, last->norm, last->norm_len) & C_DOT_PREFIX)) {
            c->last = next->last;
            c->keep = next->keep;
            c->nkeep = next->nkeep;
            c->flags |= next->flags & NAMES_CONNECTED;
            i++;
            next = i + 1 < n ? &e->chunks[i + 1] : NULL;
        }
        /* a name that fills a line of a list or a table ends there:
         * "AMERICAN LEAGUE" / "EASTERN DIVISION" (not "Mayfair, Ken" /
         * "Green", an item wrapped at the line's end) */
        for (uint32_t k = c->first + 1; k <= c->last; k++) {
            if (!(s->tokens[k].flags & TP_TOK_NEWLINE) || !starts_line(s, c->first) ||
                !list_line(s, k))
                continue;
            names_chunk piece = *c;
            piece.last = k - 1;
            piece.keep = s->tokens[k - 1].surface_len;
            piece.nkeep = s->tokens[k - 1].norm_len;
            if (one_chunk(ctx, e, s, &piece, NULL) != 0)
                return e->host->fail(ctx, "out of memory");
            c->first = k;
            c->skip = c->nskip = 0;
            c->flags |= NAMES_INITIAL;
        }
        if (one_chunk(ctx, e, s, c, next) != 0)
            return e->host->fail(ctx, "out of memory");
    }
    if ((seen & NAMES_SEEN_CASELESS) && caseless_names(ctx, e, s) != 0)
        return e->host->fail(ctx, "out of memory");
    if (e->oom || e->lex.oom)
        return e->host->fail(ctx, "out of memory");
    return TP_OK;
}

/* ---- entities of the document -------------------------------------------- */

/* Key of words [i, j) of a run into e->key (without the class byte). */
static int
words_key(entities *e, const run *r, size_t i, size_t j)
{
    size_t room = 1;
    for (size_t k = i; k < j; k++)
        room += e->toks[r->toks + k].nlen + 1;
    e->key.len = 0;
    if (pool_reserve(&e->key, room) != 0)
        return -1;
    for (size_t k = i; k < j; k++) {
        const tokinfo *ti = &e->toks[r->toks + k];
        if (k > i)
            e->key.p[e->key.len++] = ' ';
        copy_bytes(e->key.p + e->key.len, e->doc.p + ti->norm, ti->nlen);
        e->key.len += ti->nlen;
    }
    return 0;
}

static uint32_t
ent_find(const entities *e, const char *key, size_t len)
{
    size_t at;
    return index_find(&e->ent_ix, &e->doc, e->ents, sizeof *e->ents, key, len, hash_bytes(key, len),
                      &at);
}

/* Is words [i, j) of the run a name already: in a gazetteer or found
 * elsewhere in the document? */
static int known(entities *e, const run *r, size_t i, size_t j);

/* The gazetteer entry words [i, j) of a run name, minding letter case: a
 * name the gazetteer writes in capitals ("WHO") matches only capitals, and
 * one word in capitals in running text ("IMO") matches only such a name,
 * not a word-like one ("Imo"). */
static uint32_t lex_shaped_key(entities *e, const run *r, size_t i, size_t j);

static uint32_t
lex_shaped(entities *e, const run *r, size_t i, size_t j)
{
    if (words_key(e, r, i, j) != 0)
        return NONE;
    return lex_shaped_key(e, r, i, j);
}

/* lex_shaped() with the words' key in e->key already. */
static uint32_t
lex_shaped_key(entities *e, const run *r, size_t i, size_t j)
{
    uint32_t le = lex_name(&e->lex, e->key.p, e->key.len);
    if (le == NONE || j - i != 1)
        return le;
    const tokinfo *ti = &e->toks[r->toks + i];
    int caps = (ti->flags & TP_TOK_ALLCAPS) != 0;
    if (!caps && (ti->flags & TP_TOK_ABBREV)) {
        /* "U.S.": capitals and dots */
        const char *w = e->doc.p + r->text + ti->rel;
        caps = 1;
        for (uint32_t k = 0; k < ti->slen; k++)
            caps &= !(w[k] >= 'a' && w[k] <= 'z');
    }
    int caps_only = (e->lex.ents[le].cues & C_CAPS_ONLY) != 0;
    if (caps_only && !caps)
        return NONE;
    if (caps && !caps_only && ti->nlen <= 5 && !(r->flags & (NAMES_CAPS_LINE | NAMES_HEADING)) &&
        !(ti->flags & TP_TOK_ABBREV))
        return NONE;
    return le;
}

static int
known(entities *e, const run *r, size_t i, size_t j)
{
    if (words_key(e, r, i, j) != 0)
        return 0;
    /* (the lookups leave e->key alone) */
    if (lex_shaped_key(e, r, i, j) != NONE)
        return 1;
    return ent_find(e, e->key.p, e->key.len) != NONE;
}

/* Add a form to an entity's list unless it is there. */
static int
add_form(entities *e, uint32_t id, const char *s, size_t n)
{
    /* white space inside a name (a line break) reads as one space */
    char buf[512];
    size_t m = 0;
    for (size_t i = 0; i < n && m < sizeof buf - 1; i++) {
        char ch = s[i];
        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
            if (m > 0 && buf[m - 1] == ' ')
                continue;
            ch = ' ';
        }
        buf[m++] = ch;
    }
    for (uint32_t f = e->ents[id].forms; f != NONE; f = e->forms[f].next) {
        const char *t = e->doc.p + e->forms[f].text;
        if (strlen(t) == m && memcmp(t, buf, m) == 0)
            return 0;
    }
    if (grow((void **)&e->forms, &e->forms_cap, e->nforms + 1, sizeof *e->forms) != 0)
        return -1;
    uint32_t text = pool_add(&e->doc, buf, m);
    if (text == NONE)
        return -1;
    /* appended at the end: forms stay in order of first mention per run */
    form *nf = &e->forms[e->nforms];
    nf->text = text;
    nf->next = NONE;
    uint32_t *link = &e->ents[id].forms;
    while (*link != NONE)
        link = &e->forms[*link].next;
    *link = (uint32_t)e->nforms++;
    return 0;
}

/* Count words [i, j) of run r as one mention of the entity they name. */
static int
add_mention(entities *e, const run *r, size_t i, size_t j, uint32_t cues)
{
    uint32_t lex = lex_shaped(e, r, i, j);
    if (words_key(e, r, i, j) != 0 || index_room(&e->ent_ix) != 0 ||
        grow((void **)&e->ents, &e->ents_cap, e->nents + 1, sizeof *e->ents) != 0)
        return -1;
    uint32_t h = hash_bytes(e->key.p, e->key.len);
    size_t at;
    uint32_t id =
        index_find(&e->ent_ix, &e->doc, e->ents, sizeof *e->ents, e->key.p, e->key.len, h, &at);
    const tokinfo *ti = &e->toks[r->toks];
    uint64_t first = r->start + ti[i].rel;
    if (id == NONE) {
        ent *ne = &e->ents[e->nents];
        memset(ne, 0, sizeof *ne);
        ne->key.off = pool_add(&e->doc, e->key.p, e->key.len);
        ne->key.len = (uint32_t)e->key.len;
        if (ne->key.off == NONE)
            return -1;
        ne->forms = NONE;
        ne->lex = lex;
        ne->parent = (uint32_t)e->nents;
        ne->ntok = (uint32_t)(j - i);
        ne->first = first;
        index_put(&e->ent_ix, at, (uint32_t)e->nents, h);
        id = (uint32_t)e->nents++;
    }
    ent *en = &e->ents[id];
    /* one word in capitals in running text: an acronym */
    if (j - i == 1 && (ti[i].flags & TP_TOK_ALLCAPS) && ti[i].nlen >= 2 && (cues & E_MID))
        cues |= E_ACRONYM;
    en->count += r->count;
    if (j == r->ntok || i == 0)
        en->scored += r->scored;
    en->cues |= cues;
    if (first < en->first)
        en->first = first;
    const char *text = e->doc.p + r->text;
    return add_form(e, id, text + ti[i].rel, ti[j - 1].rel + ti[j - 1].slen - ti[i].rel);
}

static int cut_heading(entities *e, const run *r, size_t i, size_t j, uint32_t cues, int caps);

static int
is_lower_link(const tokinfo *ti)
{
    return (ti->cues & C_LINKS) && !(ti->flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS));
}

/* Does the lower-case link at word k join the words of a name that starts
 * at word i?  "of", "for" join after a head word or a title only; "and"
 * only in names that start with an organisation's head word. */
static int
link_joins(const tokinfo *ti, size_t i, size_t k)
{
    /* a legal form ends a company's name: "Kia Motors Corp of South Korea" */
    return (ti[k].cues & C_CONNECTOR) ||
           ((ti[k].cues & C_LINKER) && (ti[k - 1].cues & (C_HEADS | C_TITLE)) &&
            !(ti[k - 1].cues & C_DOTTED)) ||
           ((ti[k].cues & C_JOINER) && (ti[i].cues & C_ORG_HEAD));
}

/* The gazetteer type of one word of a run, or T_NONE. */
static int
word_type(entities *e, const run *r, size_t k)
{
    if (words_key(e, r, k, k + 1) != 0)
        return T_NONE;
    uint32_t le = lex_name(&e->lex, e->key.p, e->key.len);
    return le == NONE ? T_NONE : e->lex.ents[e->lex.ents[le].canon].type;
}

/* "Ex-Yankee Randy Velarde", "the Ex-Beatle Paul Kestrel": a former
 * affiliation before a name is no part of it (as "ex-Chelsea" in lower
 * case is cut by the chunker). */
static int
former_affiliation(const entities *e, const tokinfo *ti, size_t i, size_t j)
{
    return j - i >= 2 && ti[i].nlen > 3 && memcmp(e->doc.p + ti[i].norm, "ex-", 3) == 0;
}

/* Words [i, j) of a run in running text: cut at titles ("Foreign Minister
 * Wang Yi"), at "of" not after a head word, at "and" outside organisation
 * names, after a demonym before a person ("Australian Tom Moody"), and
 * count the parts. */
static int
cut_prose(entities *e, const run *r, size_t i, size_t j, uint32_t cues)
{
    const tokinfo *ti = &e->toks[r->toks];
    const uint32_t left_cues = cues & ~(uint32_t)(E_SPEECH_AFTER | E_ROLE_AFTER | E_PLACE_AFTER);
    const uint32_t right_cues = cues & ~(uint32_t)E_BEFORE;
    while (i < j && (((is_lower_link(&ti[i]) || !(ti[i].flags & (TP_TOK_WORD | TP_TOK_ABBREV))) &&
                      !(i == 0 && (r->flags & RUN_PARTICLE))) ||
                     former_affiliation(e, ti, i, j)))
        i++;
    while (j > i &&
           (is_lower_link(&ti[j - 1]) || !(ti[j - 1].flags & (TP_TOK_WORD | TP_TOK_ABBREV))))
        j--;
    if (i >= j)
        return 0;
    if (j - i > 1 && known(e, r, i, j))
        return add_mention(e, r, i, j, cues);
    /* "of", "for" join after a head word or a title only; "and" only in
     * names that start with an organisation's head word */
    for (size_t k = i + 1; k + 1 < j; k++) {
        if (!is_lower_link(&ti[k]))
            continue;
        if (link_joins(ti, i, k))
            continue;
        if (cut_prose(e, r, i, k, left_cues) != 0)
            return -1;
        return cut_prose(e, r, k + 1, j, right_cues);
    }
    /* a title inside: the words after it are a person */
    if (!(ti[j - 1].cues & C_HEADS)) {
        for (size_t k = j; k-- > i;) {
            if (!(ti[k].cues & C_TITLE) || !(ti[k].flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)))
                continue;
            /* after a given name, a title is a surname: "John Major" */
            if (k > i && (ti[k - 1].cues & C_GIVEN) && !(ti[k - 1].cues & C_TITLE))
                continue;
            size_t b = k;
            while (b > i && (ti[b - 1].cues & (C_TITLE | C_TITLE_MOD)))
                b--;
            if (b > i && cut_prose(e, r, i, b, left_cues & ~(uint32_t)E_PLACE_AFTER) != 0)
                return -1;
            size_t a = k + 1;
            while (a < j && (is_lower_link(&ti[a]) || (ti[a].cues & C_TITLE_MOD)))
                a++;
            if (a < j)
                return cut_prose(e, r, a, j,
                                 (cues & ~(uint32_t)(E_PLACE_AFTER | E_BEFORE)) | E_TITLE_BEFORE);
            return 0;
        }
    }
    /* "Jewish West Bank settlements", "the Palestinian U.N. mission": a
     * demonym before a known name that is no demonym is its own */
    uint32_t rest = j - i >= 2 && word_type(e, r, i) == T_NORP && !(ti[i + 1].cues & C_LINKS) &&
                            !known(e, r, i, j)
                        ? lex_shaped(e, r, i + 1, j)
                        : NONE;
    if (rest != NONE && e->lex.ents[e->lex.ents[rest].canon].type != T_NORP) {
        if (add_mention(e, r, i, i + 1, left_cues) != 0)
            return -1;
        return add_mention(e, r, i + 1, j, right_cues);
    }
    /* "Australian Tom Moody", "Australia M. Waugh" */
    int linked = 0;
    for (size_t k = i; k < j; k++)
        linked |= is_lower_link(&ti[k]);
    if (j - i >= 2 && !(ti[j - 1].cues & C_HEADS) && !linked) {
        int t = word_type(e, r, i);
        int person_next = (ti[i + 1].cues & C_GIVEN) ||
                          ((ti[i + 1].flags & TP_TOK_ABBREV) && ti[i + 1].nlen <= 3);
        /* not "Mary Joe Fernandez": a given name that is also a place */
        if ((t == T_NORP && (person_next || j - i >= 3)) ||
            ((t == T_GPE || t == T_LOC) && person_next && !(ti[i].cues & C_GIVEN))) {
            if (add_mention(e, r, i, i + 1, left_cues) != 0)
                return -1;
            return cut_prose(e, r, i + 1, j, right_cues);
        }
    }
    size_t letters = 0;
    for (size_t k = i; k < j; k++)
        letters += ti[k].nlen > 1;
    if (letters == 0)
        return 0; /* "W L": column titles, initials alone */
    if (j - i == 1) {
        if (!known(e, r, i, j)) {
            /* a head word or a title alone ("Division", "Cup", "Mr") */
            if ((ti[i].cues & (C_NONENTITY | C_TITLE | C_TITLE_MOD | C_LINKS | C_HEADS)) &&
                !(ti[i].flags & TP_TOK_ALLCAPS))
                return 0;
            if (ti[i].nlen < 2 || (ti[i].nlen == 2 && ti[i].flags & TP_TOK_ABBREV))
                return 0; /* an initial alone */
        }
    }
    return add_mention(e, r, i, j, cues);
}

/* Is w[0, n), in lower-case letters a to z, an English word?  A plural
 * counts with its singular. */
static int
english_part(const entities *e, const char *w, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (w[k] < 'a' || w[k] > 'z')
            return 0;
    return dictionary_has(&e->words, w, n) ||
           (n > 3 && w[n - 1] == 's' && dictionary_has(&e->words, w, n - 1));
}

/* Is w[0, n) an English word, or two of four letters or more written as
 * one ("automakers")? */
static int
english_compound(const entities *e, const char *w, size_t n)
{
    if (english_part(e, w, n))
        return 1;
    for (size_t k = 4; k + 4 <= n; k++)
        if (dictionary_has(&e->words, w, k) && english_part(e, w + k, n - k))
            return 1;
    return 0;
}

/* Is the word English: each of its hyphened parts ("year-ago")? */
static int
english_word(const entities *e, const tokinfo *ti)
{
    const char *w = e->doc.p + ti->norm, *end = w + ti->nlen;
    for (;;) {
        const char *hy = memchr(w, '-', (size_t)(end - w));
        if (!english_compound(e, w, (size_t)((hy != NULL ? hy : end) - w)))
            return 0;
        if (hy == NULL)
            return 1;
        w = hy + 1;
    }
}

/* A word of lower-case letters that is no English word ("Constand",
 * "Wahono"): at a sentence start in English prose, a name. */
static int
no_english_word(const entities *e, const tokinfo *ti)
{
    if (ti->nlen < 3 || (ti->flags & (TP_TOK_ALLCAPS | TP_TOK_ABBREV)) || !english_prose(e))
        return 0;
    const char *w = e->doc.p + ti->norm;
    for (size_t k = 0; k < ti->nlen; k++)
        if (w[k] < 'a' || w[k] > 'z')
            return 0;
    return !english_word(e, ti);
}

/* A capitalised function word inside a run ("View All However" pasted
 * from a web page, "Will" starting a clause), or a long word in capitals
 * in running text (a table's column title): not part of a name. */
/* A king's or a pope's numeral after a given name ("Henry VIII",
 * "Elizabeth I", "John Paul II"): capitals I, V, X, at most four. */
static int
regnal_numeral(entities *e, const run *r, size_t k)
{
    const tokinfo *ti = &e->toks[r->toks];
    if (k == 0 || !(ti[k - 1].cues & C_GIVEN) || ti[k].slen > 4 ||
        !(ti[k - 1].flags & TP_TOK_CAPITAL) || (ti[k - 1].flags & TP_TOK_ALLCAPS))
        return 0;
    const char *w = e->doc.p + r->text + ti[k].rel;
    for (uint32_t b = 0; b < ti[k].slen; b++)
        if (w[b] != 'I' && w[b] != 'V' && w[b] != 'X')
            return 0;
    return 1;
}

static int
not_name_word(entities *e, const run *r, size_t k)
{
    const tokinfo *ti = &e->toks[r->toks + k];
    if ((ti->cues & C_GIVEN) || regnal_numeral(e, r, k))
        return 0;
    if ((ti->flags & TP_TOK_ALLCAPS) && !(ti->flags & TP_TOK_ABBREV)) {
        /* "AMERICAN LEAGUE": a head word after a known name in capitals */
        if ((ti->cues & C_HEADS) && k > 0 && (ti[-1].flags & TP_TOK_ALLCAPS) &&
            known(e, r, k - 1, k))
            return 0;
        return ti->nlen > 5 && !known(e, r, k, k + 1) &&
               (english_word(e, ti) || (ti->cues & C_NONENTITY));
    }
    /* "League of Women Voters": after a link that joins, before a name word */
    if (k > 0 && k + 1 < r->ntok && is_lower_link(&ti[-1]) && link_joins(ti - k, 0, k - 1) &&
        (ti[1].flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)) && !(ti[1].cues & C_NONENTITY) &&
        !(ti->flags & TP_TOK_STOPWORD))
        return 0;
    return (ti->cues & C_NONENTITY || ti->flags & TP_TOK_STOPWORD) && (ti->flags & TP_TOK_CAPITAL);
}

/* Words in capitals after words in title case ("American League
 * DETROIT", "Chicago NAPM") belong to different names. */
static int
case_break(entities *e, const run *r, size_t k)
{
    const tokinfo *a = &e->toks[r->toks + k - 1], *b = a + 1;
    int ac = (a->flags & TP_TOK_ALLCAPS) && !(a->flags & TP_TOK_ABBREV) && a->nlen >= 2;
    int bc = (b->flags & TP_TOK_ALLCAPS) && !(b->flags & TP_TOK_ABBREV) && b->nlen >= 2;
    int at = (a->flags & TP_TOK_CAPITAL) && !(a->flags & TP_TOK_ALLCAPS);
    int bt = (b->flags & TP_TOK_CAPITAL) && !(b->flags & TP_TOK_ALLCAPS);
    /* an acronym may lead a name ("PGA Tour", "UEFA Cup", "CITIC
     * Pacific"); a word in capitals that is English or a known name
     * does not ("WASHINGTON President ...") */
    if (ac && bt && a->nlen > 4)
        return english_word(e, a) || known(e, r, k - 1, k);
    return at && bc;
}

typedef int (*cut_fn)(entities *, const run *, size_t, size_t, uint32_t);

/* Words [i, j) once cut at words that are no part of a name: a run of
 * several words all in capitals reads like a heading. */
static int
cut_part(entities *e, const run *r, size_t i, size_t j, uint32_t cues, cut_fn fn)
{
    const tokinfo *ti = &e->toks[r->toks];
    size_t caps = 0, words = 0;
    for (size_t k = i; k < j; k++) {
        if (is_lower_link(&ti[k]))
            continue;
        words++;
        caps += (ti[k].flags & TP_TOK_ALLCAPS) && !(ti[k].flags & TP_TOK_ABBREV);
    }
    if (words >= 2 && caps == words && !known(e, r, i, j))
        return cut_heading(e, r, i, j, cues, 1);
    return fn(e, r, i, j, cues);
}

/* Cut a run at words that are no part of a name, then hand the parts on.
 * The first part keeps the run's place (a sentence start); the parts after
 * a dropped word stand mid-sentence. */
static int
cut_junk(entities *e, const run *r, size_t i, size_t j, uint32_t cues, cut_fn first)
{
    const tokinfo *ti = &e->toks[r->toks];
    if (known(e, r, i, j))
        return first(e, r, i, j, cues);
    cut_fn then = first;
    const uint32_t left_cues = cues & ~(uint32_t)(E_SPEECH_AFTER | E_ROLE_AFTER | E_PLACE_AFTER);
    /* a company's legal form at the end holds its name together: "Banc
     * One Corp.", "First Chicago NBD Corp." */
    int company = j - i >= 3 && (ti[j - 1].cues & C_DOTTED) && (ti[j - 1].cues & C_ORG_HEAD);
    for (size_t k = i; k < j; k++) {
        /* mid-sentence, a capitalised ordinal leads a name ("First Union
         * Corp.", "Third World"), also after a link ("of First Union") */
        int leads = (k == i ? (cues & E_MID) != 0 : is_lower_link(&ti[k - 1])) && k + 1 < j &&
                    (ti[k].cues & C_ORDINAL);
        int inside = company && k > i && k + 1 < j && !(ti[k].cues & C_LINKS);
        int drop = !((leads || inside) && (ti[k].flags & TP_TOK_CAPITAL) &&
                     !(ti[k].flags & TP_TOK_ALLCAPS)) &&
                   not_name_word(e, r, k);
        if (!drop && !(k > i && !company && case_break(e, r, k) && !regnal_numeral(e, r, k)))
            continue;
        if (k > i && cut_part(e, r, i, k, left_cues, then) != 0)
            return -1;
        i = drop ? k + 1 : k;
        cues &= ~(uint32_t)E_BEFORE;
        if (drop)
            then = cut_prose;
    }
    return i < j ? cut_part(e, r, i, j, cues, then) : 0;
}

static int
add_surname(entities *e, uint32_t off, uint32_t len, uint32_t id)
{
    if (index_room(&e->surname_ix) != 0 || grow((void **)&e->surnames, &e->surnames_cap,
                                                      e->nsurnames + 1, sizeof *e->surnames) != 0)
        return -1;
    uint32_t h = hash_bytes(e->doc.p + off, len);
    size_t at;
    uint32_t found = index_find(&e->surname_ix, &e->doc, e->surnames, sizeof *e->surnames,
                                e->doc.p + off, len, h, &at);
    if (found != NONE) {
        if (e->ents[id].count > e->ents[e->surnames[found].ent].count)
            e->surnames[found].ent = id;
        return 0;
    }
    e->surnames[e->nsurnames] = (surname){{off, len}, id};
    index_put(&e->surname_ix, at, (uint32_t)e->nsurnames++, h);
    return 0;
}

/* Index the last words of the names of several words (of persons only, or
 * of all), and of the hyphenated parts of those ("assad" of "al-assad"). */
static int
index_surnames(entities *e, int persons_only)
{
    index_reset(&e->surname_ix);
    e->nsurnames = 0;
    for (uint32_t x = 0; x < e->nents; x++) {
        const ent *en = &e->ents[x];
        if (en->ntok < 2 || (persons_only && en->type != T_PERSON))
            continue;
        const char *k = e->doc.p + en->key.off;
        uint32_t end = en->key.len, b = end;
        while (b > 0 && k[b - 1] != ' ') {
            b--;
            if (k[b] == '-' && b + 1 < end &&
                add_surname(e, en->key.off + b + 1, end - b - 1, x) != 0)
                return -1;
        }
        if (b < end && add_surname(e, en->key.off + b, end - b, x) != 0)
            return -1;
    }
    return 0;
}

static uint32_t
surname_of(const entities *e, const char *key, size_t len)
{
    size_t at;
    uint32_t s = index_find(&e->surname_ix, &e->doc, e->surnames, sizeof *e->surnames, key, len,
                            hash_bytes(key, len), &at);
    return s == NONE ? NONE : e->surnames[s].ent;
}

/* Evidence that a single capitalised word at a sentence start is a name. */
static int
evidenced_word(entities *e, const run *r, size_t i)
{
    const tokinfo *ti = &e->toks[r->toks + i];
    if (ti->cues & C_NONENTITY)
        return 0;
    if (known(e, r, i, i + 1) || (ti->cues & C_GIVEN))
        return 1;
    if ((ti->flags & TP_TOK_ALLCAPS) && ti->nlen >= 2 && !english_word(e, ti))
        return 1;
    /* the last word of a name seen in full */
    if (surname_of(e, e->doc.p + ti->norm, ti->nlen) != NONE)
        return 1;
    return no_english_word(e, ti);
}

/* A run at the start of a sentence. */
static int
cut_initial(entities *e, const run *r, size_t i, size_t j, uint32_t cues)
{
    const tokinfo *ti = &e->toks[r->toks];
    /* drop function words in front ("The Russian embassy", "Besides Russia") */
    while (i < j) {
        size_t longest = 0;
        for (size_t k = j; k > i + 1 && longest == 0; k--)
            if (words_key(e, r, i, k) == 0 && lex_name(&e->lex, e->key.p, e->key.len) != NONE)
                longest = k - i;
        if (longest)
            break;
        if (!((ti[i].cues & C_NONENTITY) || (ti[i].flags & TP_TOK_STOPWORD) ||
              former_affiliation(e, ti, i, j)) ||
            (ti[i].flags & TP_TOK_ALLCAPS) || known(e, r, i, i + 1))
            break;
        i++;
        cues &= ~(uint32_t)E_BEFORE;
        while (i < j && (ti[i].cues & C_LINKS) &&
               !(ti[i].flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)))
            i++;
    }
    if (i >= j)
        return 0;
    /* "Shares of Douglas Co", "Fall of wickets": a link that joins nothing
     * leaves the first word alone at the sentence start, where it needs
     * evidence like any word alone there */
    if (j - i > 2 && is_lower_link(&ti[i + 1]) && !link_joins(ti, i, i + 1) && !known(e, r, i, j)) {
        const uint32_t after = E_SPEECH_AFTER | E_ROLE_AFTER | E_PLACE_AFTER | E_SCORE;
        if (cut_initial(e, r, i, i + 1, cues & ~after) != 0)
            return -1;
        return cut_prose(e, r, i + 2, j, cues & ~(uint32_t)E_BEFORE);
    }
    if (j - i == 1) {
        /* "Tarango said" but not "Traders said" */
        const char *w = e->doc.p + ti[i].norm;
        int plural = ti[i].nlen > 3 && w[ti[i].nlen - 1] == 's';
        /* a head word or a title is no name alone: "Division one" */
        int common = (ti[i].cues & (C_HEADS | C_TITLE | C_TITLE_MOD)) != 0;
        if (evidenced_word(e, r, i) || (!common && ((cues & (E_ROLE_AFTER | E_SCORE)) ||
                                                    ((cues & E_SPEECH_AFTER) && !plural))))
            return add_mention(e, r, i, j, cues);
        return 0;
    }
    /* an unknown first word before a known name: "Unlike Japan",
     * "Thousands of Russians"; not "Bank of England" */
    int initial = (ti[i].flags & TP_TOK_ABBREV) && ti[i].nlen <= 3; /* "M. Bevan" */
    /* "Controversial Australian Anthony Hill": a word before a demonym */
    if (!initial && j - i >= 3 && !evidenced_word(e, r, i) && !(ti[i].cues & C_HEADS) &&
        !(ti[i + 1].cues & C_LINKS) && word_type(e, r, i + 1) == T_NORP && !known(e, r, i, j))
        return cut_prose(e, r, i + 1, j, cues & ~(uint32_t)E_BEFORE);
    if (!evidenced_word(e, r, i) && !initial &&
        !(ti[i].cues & (C_ORG_HEAD | C_GPE_HEAD | C_LOC_HEAD | C_TITLE))) {
        size_t k = i + 1;
        while (k < j && (ti[k].cues & C_LINKS) &&
               !(ti[k].flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)))
            k++;
        if (k < j && known(e, r, k, j) && !known(e, r, i, j))
            return cut_prose(e, r, k, j, cues);
    }
    return cut_prose(e, r, i, j, cues);
}

/* A run in a heading or a line in capitals: only names with evidence. */
static int
cut_heading(entities *e, const run *r, size_t i, size_t j, uint32_t cues, int caps)
{
    const tokinfo *ti = &e->toks[r->toks];
    size_t maxlen = e->lex.max_tokens > 8 ? e->lex.max_tokens : 8;
    /* a byline or a caption: "Larry Fine" */
    if (j - i >= 2 && j - i <= 3 && !caps && (ti[i].cues & C_GIVEN) && !known(e, r, i, j)) {
        int plain = 1;
        for (size_t k = i; k < j; k++)
            plain &= !(ti[k].cues & (C_LINKS | C_HEADS | C_NONENTITY)) &&
                     !(ti[k].flags & TP_TOK_ALLCAPS);
        if (plain)
            return add_mention(e, r, i, j, cues | E_PERSON_NAME);
    }
    /* a results line read as a heading: "Ssangbangwool 2 Hyundai 1" */
    if (!caps && j - i == 1 && (cues & E_SCORE) && ti[i].nlen > 2 && !known(e, r, i, j) &&
        !(ti[i].cues & (C_LINKS | C_HEADS | C_NONENTITY | C_TITLE | C_TITLE_MOD)) &&
        !(ti[i].flags & TP_TOK_STOPWORD))
        return add_mention(e, r, i, j, cues);
    /* "KHASAVYURT, Russia": a name before ", PLACE" is a place (a
     * dateline), whatever its case */
    if ((cues & E_PLACE_AFTER) && j - i <= 3 && !known(e, r, i, j)) {
        int plain = 1;
        for (size_t k = i; k < j; k++)
            plain &= !(ti[k].cues & (C_LINKS | C_HEADS | C_NONENTITY | C_TITLE));
        if (plain && ti[i].nlen > 1)
            return add_mention(e, r, i, j, cues);
    }
    /* "Bucharest Newsroom", "Greek Government": a known name and an
     * organisation's head word */
    if (j - i >= 2 && j - i <= 4 && (ti[j - 1].cues & (caps ? C_HEADS : C_ORG_HEAD)) &&
        known(e, r, i, i + 1) && !known(e, r, i, j) &&
        (!caps || j - i == 2 || known(e, r, i, j - 1))) { /* not "BENETTON BEAT DINAMO" */
        /* in capitals ("AMERICAN LEAGUE", "EASTERN DIVISION") the whole
         * line is in capitals, in a heading none of the words */
        int plain = 1;
        for (size_t k = i; k < j; k++)
            plain &= !(ti[k].cues & (C_LINKS | C_NONENTITY | C_TITLE)) &&
                     (ti[k].flags & TP_TOK_CAPITAL) &&
                     (caps ? (ti[k].flags & TP_TOK_ALLCAPS) != 0 : !(ti[k].flags & TP_TOK_ALLCAPS));
        if (plain)
            return add_mention(e, r, i, j, cues);
    }
    while (i < j) {
        size_t len = 0;
        for (size_t k = (j - i < maxlen ? j : i + maxlen); k > i; k--) {
            if (known(e, r, i, k)) {
                len = k - i;
                break;
            }
        }
        if (len == 0 && !caps && (ti[i].flags & TP_TOK_ALLCAPS) && ti[i].nlen >= 2 &&
            ti[i].nlen <= 6 && !(ti[i].cues & C_NONENTITY))
            len = 1;
        if (len == 0) {
            i++;
            continue;
        }
        if (add_mention(e, r, i, i + len, cues) != 0)
            return -1;
        i += len;
    }
    return 0;
}

static int
cut_runs(entities *e)
{
    /* running text first: it is the evidence for sentence starts and
     * headings */
    /* sentence starts twice: names of several words first, so that a
     * surname alone may lean on a full name seen only at a sentence start
     * ("Nolan Henke fired ...  Henke stood ...") */
    static const char passes[] = {CLS_MID, CLS_INITIAL, CLS_INITIAL, CLS_HEAD, CLS_CAPS};
    for (size_t p = 0; p < sizeof passes; p++) {
        int initial = passes[p] == CLS_INITIAL, several = initial && passes[p + 1] == CLS_INITIAL;
        if (initial && index_surnames(e, 0) != 0)
            return -1;
        for (size_t k = 0; k < e->nruns; k++) {
            const run *r = &e->runs[k];
            char cls = e->doc.p[r->key.off];
            if (cls != passes[p] || (initial && (r->ntok > 1) != several))
                continue;
            int rc;
            uint32_t cues = r->cues;
            if (r->flags & RUN_SPELLED)
                rc = add_mention(e, r, 0, r->ntok, cues);
            else if (cls == CLS_MID)
                rc = cut_junk(e, r, 0, r->ntok, cues | E_MID, cut_prose);
            else if (cls == CLS_INITIAL)
                rc = cut_junk(e, r, 0, r->ntok, cues, cut_initial);
            else
                rc = cut_heading(e, r, 0, r->ntok, cues, cls == CLS_CAPS);
            if (rc != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- merging aliases ------------------------------------------------------- */

static uint32_t
root(entities *e, uint32_t x)
{
    while (e->ents[x].parent != x) {
        e->ents[x].parent = e->ents[e->ents[x].parent].parent;
        x = e->ents[x].parent;
    }
    return x;
}

/* Merge b's group into a's. */
static void
unite(entities *e, uint32_t a, uint32_t b)
{
    a = root(e, a);
    b = root(e, b);
    if (a != b)
        e->ents[b].parent = a;
}

/* Initials of a multiword name's capitalised words and hyphen parts. */
static size_t
initials(entities *e, const ent *en, char *out, size_t cap)
{
    const char *k = e->doc.p + en->key.off;
    size_t n = 0;
    int at_start = 1;
    for (size_t i = 0; i < en->key.len; i++) {
        if (k[i] == ' ' || k[i] == '-') {
            at_start = 1;
            continue;
        }
        if (at_start && n < cap) {
            /* skip connectors ("of", "and"): their forms start lower-case */
            size_t w = i;
            while (w < en->key.len && k[w] != ' ' && k[w] != '-')
                w++;
            if (!(lex_cues(&e->lex, k + i, w - i) & C_LINKS))
                out[n++] = k[i];
        }
        at_start = 0;
    }
    return n;
}

static int
is_acronym(const entities *e, const ent *en)
{
    if (en->ntok != 1 || en->key.len < 2 || en->key.len > 8 || !(en->cues & E_ACRONYM))
        return 0;
    const char *k = e->doc.p + en->key.off;
    for (size_t i = 0; i < en->key.len; i++)
        if (!(k[i] >= 'a' && k[i] <= 'z'))
            return 0;
    return 1;
}

/* An acronym that spells the initials of a longer name of the document
 * joins it: the longer names are indexed by their initials first. */
static int
merge_acronyms(entities *e)
{
    char b[16];
    index_reset(&e->surname_ix);
    e->nsurnames = 0;
    for (uint32_t y = 0; y < e->nents; y++) {
        const ent *ay = &e->ents[y];
        if (ay->ntok < 2 && !memchr(e->doc.p + ay->key.off, '-', ay->key.len))
            continue;
        size_t bl = initials(e, ay, b, sizeof b);
        if (bl < 2 || bl >= sizeof b)
            continue;
        uint32_t off = pool_add(&e->doc, b, bl);
        if (off == NONE || add_surname(e, off, (uint32_t)bl, y) != 0)
            return -1;
    }
    for (uint32_t x = 0; x < e->nents; x++) {
        const ent *ax = &e->ents[x];
        if (!is_acronym(e, ax) || (ax->lex != NONE && e->lex.ents[ax->lex].canon != ax->lex))
            continue;
        uint32_t y = surname_of(e, e->doc.p + ax->key.off, ax->key.len);
        if (y != NONE)
            unite(e, y, x);
    }
    return 0;
}

static int
merge_aliases(entities *e)
{
    /* gazetteer aliases: one group per canonical entry */
    for (uint32_t x = 0; x < e->nents; x++) {
        ent *en = &e->ents[x];
        if (en->lex == NONE)
            continue;
        uint32_t c = e->lex.ents[en->lex].canon;
        if (e->lex_owner[c] == NONE)
            e->lex_owner[c] = x;
        else
            unite(e, e->lex_owner[c], x);
    }
    /* acronyms defined in parentheses */
    for (size_t i = 0; i < e->naliases; i++) {
        const char *a = e->doc.p + e->aliases[i].a, *b = e->doc.p + e->aliases[i].b;
        uint32_t x = ent_find(e, a, strlen(a)), y = ent_find(e, b, strlen(b));
        if (x != NONE && y != NONE)
            unite(e, x, y);
    }
    return merge_acronyms(e);
}

static void
clear_owners(entities *e)
{
    for (uint32_t x = 0; x < e->nents; x++) {
        uint32_t le = e->ents[x].lex;
        if (le == NONE)
            continue;
        e->lex_owner[e->lex.ents[le].canon] = NONE;
        e->lex_owner[le] = NONE;
        if (e->lex.ents[le].link != NONE)
            e->lex_owner[e->lex.ents[e->lex.ents[le].link].canon] = NONE;
    }
}

/* ---- types ------------------------------------------------------------------ */

/* The cues of a name's head word: the word before its first connector
 * ("Emirate" of Afghanistan), else its last word; *first_cues gets those
 * of its first word. */
static uint32_t
head_cues(entities *e, const ent *en, uint32_t *first_cues)
{
    const char *k = e->doc.p + en->key.off;
    size_t n = en->key.len, b = 0;
    uint32_t head = 0, prev = 0, before = 0;
    int have_head = 0;
    *first_cues = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && k[i] != ' ')
            continue;
        uint32_t c = lex_cues(&e->lex, k + b, i - b);
        if (b == 0)
            *first_cues = c;
        if ((c & C_LINKS) && b > 0 && !have_head) {
            head = prev;
            have_head = 1;
        }
        before = prev;
        prev = c;
        b = i + 1;
    }
    /* "Interstate 95" is a road, "Euro 96" an event, "Boeing 747" a thing */
    if (!have_head && (before & C_NUMBERED) && k[n - 1] >= '0' && k[n - 1] <= '9')
        return before & C_HEADS ? before : before | C_MISC_HEAD;
    return have_head ? head : prev;
}

/* Is the name a demonym-like derivation of a known name ("Talibani")? */
static int derived_word(entities *e, const char *k, size_t len);

/* Is every word of the name a demonym or derived from a known name
 * ("Talibani", "Iraqi Kurds", "Libyans")? */
static int
derived_norp(entities *e, const ent *en)
{
    const char *k = e->doc.p + en->key.off;
    size_t b = 0;
    for (size_t i = 0; i <= en->key.len; i++) {
        if (i < en->key.len && k[i] != ' ')
            continue;
        if (!derived_word(e, k + b, i - b)) {
            uint32_t le = lex_name(&e->lex, k + b, i - b);
            if (en->ntok == 1 || le == NONE || e->lex.ents[le].type != T_NORP)
                return 0;
        }
        b = i + 1;
    }
    return 1;
}

static int
derived_word(entities *e, const char *k, size_t len)
{
    static const char *const suffixes[] = {"i",   "is",  "ian", "ians", "an",
                                           "ans", "ese", "ish", "n",    "s"};
    for (size_t s = 0; s < sizeof suffixes / sizeof suffixes[0]; s++) {
        size_t sl = strlen(suffixes[s]);
        if (len <= sl + 2 || memcmp(k + len - sl, suffixes[s], sl) != 0)
            continue;
        size_t bl = len - sl;
        uint32_t le = lex_name(&e->lex, k, bl);
        uint32_t id = ent_find(e, k, bl);
        int t = le != NONE ? e->lex.ents[le].type : T_NONE;
        if (sl == 1 && k[len - 1] == 's') {
            /* a plural: of a demonym only ("Azeris", "Afrikaners") */
            if (t == T_NORP)
                return 1;
            continue;
        }
        if ((t != T_NONE && t != T_PERSON && t != T_NORP) ||
            (id != NONE && e->ents[id].ntok == 1 && e->ents[id].lex != NONE))
            return 1;
    }
    return 0;
}

static int
ends_with_org_suffix(const entities *e, const ent *en)
{
    const char *k = e->doc.p + en->key.off;
    for (size_t i = 0; i < e->lex.nsuffixes; i++) {
        const lexent *le = &e->lex.ents[e->lex.suffixes[i]];
        if (le->key.len >= en->key.len)
            continue;
        if (memcmp(k + en->key.len - le->key.len, e->lex.text.p + le->key.off, le->key.len) == 0)
            return 1;
    }
    return 0;
}

/* How sure a type is: a gazetteer's, a head word's, a cue's, a guess. */
enum { RANK_GUESS = 1, RANK_CUE, RANK_HEAD, RANK_GAZETTEER };

/* The type of one entity from its own words and context; sets en->rank. */
static int
type_of(entities *e, ent *en)
{
    int team = en->scored > 0 && 2 * en->scored >= en->count;
    if (en->lex != NONE) {
        const lexent *le = &e->lex.ents[en->lex];
        const lexent *canon = &e->lex.ents[le->canon];
        int type = canon->type ? canon->type : le->type;
        en->rank = RANK_GAZETTEER;
        /* a city or a county before a score is its team */
        if (team && (type == T_GPE || type == T_LOC) && !(canon->cues & C_COUNTRY))
            return T_ORG;
        return type;
    }
    uint32_t first;
    uint32_t head = head_cues(e, en, &first);
    en->rank = RANK_HEAD;
    if (en->ntok > 1 || (head & C_HEADS)) {
        if (head & C_ORG_HEAD)
            return T_ORG;
        if (head & C_GPE_HEAD)
            return T_GPE;
        if (head & C_LOC_HEAD)
            return T_LOC;
        if (head & C_MISC_HEAD)
            return T_MISC;
        if (first & C_ORG_HEAD)
            return T_ORG;
    }
    /* a title in quotes with no head word to say otherwise */
    if (en->cues & E_WORK)
        return T_MISC;
    en->rank = RANK_CUE;
    if (en->cues & E_ACRONYM)
        return T_ORG;
    if (en->cues & E_PERSON)
        return T_PERSON;
    if (first & C_GIVEN)
        return T_PERSON;
    /* "S. Waugh": an initial first */
    const char *k = e->doc.p + en->key.off;
    if (en->ntok > 1 && en->key.len > 3 && k[1] == '.' && k[2] == ' ')
        return T_PERSON;
    if (team && en->ntok == 1)
        return T_ORG;
    if ((en->cues & E_THE_BEFORE) && !(en->cues & E_PERSON))
        return T_ORG;
    if (en->cues & E_PLACE_AFTER)
        return T_GPE;
    if (en->ntok == 1 && (en->cues & E_PLACE_BEFORE))
        return T_GPE;
    if (derived_norp(e, en))
        return T_NORP;
    if (en->ntok == 1 && ends_with_org_suffix(e, en))
        return T_ORG;
    en->rank = RANK_GUESS;
    for (size_t i = 0; i < en->key.len; i++) {
        if (k[i] != ' ' || i + 1 >= en->key.len)
            continue;
        size_t w = i + 1;
        while (w < en->key.len && k[w] != ' ')
            w++;
        if (lex_cues(&e->lex, k + i + 1, w - i - 1) & C_JOINER)
            return T_ORG;
    }
    return T_PERSON;
}

/* "Assad" after "Bashar al-Assad": a one-word name that ends a person's
 * full name seen before it. */
static int
merge_short_names(entities *e)
{
    if (index_surnames(e, 1) != 0)
        return -1;
    for (uint32_t x = 0; x < e->nents; x++) {
        ent *s = &e->ents[x];
        if (s->ntok != 1 || (s->lex != NONE && e->lex.ents[s->lex].type != T_PERSON) ||
            (s->cues & E_ACRONYM) || root(e, x) != x)
            continue;
        uint32_t best = surname_of(e, e->doc.p + s->key.off, s->key.len);
        if (best != NONE && best != x && e->ents[best].first < s->first)
            unite(e, best, x);
    }
    return 0;
}

static void
link_demonyms(entities *e)
{
    for (uint32_t x = 0; x < e->nents; x++) {
        ent *en = &e->ents[x];
        if (en->lex == NONE || e->lex.ents[en->lex].type != T_NORP ||
            e->lex.ents[en->lex].link == NONE)
            continue;
        uint32_t c = e->lex.ents[e->lex.ents[en->lex].link].canon;
        if (e->lex_owner[c] != NONE)
            unite(e, e->lex_owner[c], x);
        else
            e->lex_owner[c] = x;
    }
}

/* ---- output ------------------------------------------------------------------ */

typedef struct group {
    uint32_t from, to; /* members: order[from, to) */
    uint32_t count;
    uint32_t best;     /* the most mentioned member */
    uint32_t lexcanon; /* gazetteer name of the group, or NONE */
    uint64_t first;
    uint8_t type;
} group;

static int
by_count(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return 0;
}

/* Members sorted by group, then by first mention. */
typedef struct member {
    uint32_t rootid, id;
    uint64_t first;
} member;

static int
by_group(const void *pa, const void *pb)
{
    const member *a = pa, *b = pb;
    if (a->rootid != b->rootid)
        return a->rootid < b->rootid ? -1 : 1;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return 0;
}

/* Name and type of a group: a gazetteer name wins over a demonym, which
 * wins over the most mentioned member's own type. */
static void
name_group(entities *e, group *gr, const member *m)
{
    gr->lexcanon = NONE;
    gr->type = e->ents[gr->best].type;
    uint8_t rank = e->ents[gr->best].rank;
    for (uint32_t i = gr->from; i < gr->to; i++) {
        const ent *en = &e->ents[m[i].id];
        if (en->rank > rank) {
            rank = en->rank;
            gr->type = en->type;
        }
    }
    int norp = 0;
    for (uint32_t i = gr->from; i < gr->to; i++) {
        const ent *en = &e->ents[m[i].id];
        if (en->lex == NONE)
            continue;
        uint32_t c = e->lex.ents[en->lex].canon;
        int is_norp = e->lex.ents[c].type == T_NORP;
        if (gr->lexcanon == NONE || (norp && !is_norp)) {
            gr->lexcanon = c;
            gr->type = en->type;
            norp = is_norp;
        }
    }
    if (norp && e->link_demonyms) {
        uint32_t link = e->lex.ents[gr->lexcanon].link;
        if (link != NONE) {
            gr->lexcanon = e->lex.ents[link].canon;
            gr->type = e->lex.ents[gr->lexcanon].type ? e->lex.ents[gr->lexcanon].type : T_GPE;
        }
    }
}

/* The group's distinct forms, '|'-joined, in order of first mention. */
static int
join_forms(entities *e, const group *gr, const member *m, pool *out)
{
    out->len = 0;
    for (uint32_t i = gr->from; i < gr->to; i++) {
        for (uint32_t f = e->ents[m[i].id].forms; f != NONE; f = e->forms[f].next) {
            const char *t = e->doc.p + e->forms[f].text;
            size_t tl = strlen(t);
            int dup = 0;
            for (size_t b = 0; b < out->len && !dup;) {
                size_t end = b;
                while (end < out->len && out->p[end] != '|')
                    end++;
                dup = end - b == tl && memcmp(out->p + b, t, tl) == 0;
                b = end + 1;
            }
            if (dup)
                continue;
            if (pool_reserve(out, tl + 2) != 0)
                return -1;
            if (out->len > 0)
                out->p[out->len++] = '|';
            memcpy(out->p + out->len, t, tl);
            out->len += tl;
        }
    }
    if (pool_reserve(out, 1) != 0)
        return -1;
    out->p[out->len] = '\0';
    return 0;
}

/* A number in decimal, without printf's machinery (two a record). */
static void
format_number(char *buf, size_t size, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < sizeof tmp);
    size_t i = 0;
    while (n > 0 && i + 1 < size)
        buf[i++] = tmp[--n];
    buf[i] = '\0';
}

static int
write_entities(tp_ctx *ctx, entities *e)
{
    member *m = NULL;
    group *g = NULL;
    size_t ng = 0, gcap = 0;
    pool forms = {0};
    int rc = TP_OK;
    m = malloc((e->nents ? e->nents : 1) * sizeof *m);
    if (m == NULL)
        goto oom;
    for (uint32_t x = 0; x < e->nents; x++)
        m[x] = (member){root(e, x), x, e->ents[x].first};
    qsort(m, e->nents, sizeof *m, by_group);
    for (uint32_t i = 0; i < e->nents; i++) {
        if (i == 0 || m[i].rootid != m[i - 1].rootid) {
            if (grow((void **)&g, &gcap, ng + 1, sizeof *g) != 0)
                goto oom;
            g[ng++] = (group){i, i, 0, m[i].id, NONE, m[i].first, T_NONE};
        }
        group *gr = &g[ng - 1];
        const ent *en = &e->ents[m[i].id], *best = &e->ents[gr->best];
        gr->to = i + 1;
        gr->count += en->count;
        if (en->count > best->count)
            gr->best = m[i].id;
    }
    for (size_t i = 0; i < ng; i++)
        name_group(e, &g[i], m);
    if (ng > 1) /* g is NULL for a document without names: qsort wants an array */
        qsort(g, ng, sizeof *g, by_count);

    char count[24], first[24];
    for (size_t i = 0; i < ng && rc == TP_OK; i++) {
        const group *gr = &g[i];
        if ((long)gr->count < e->min_count || !e->want[gr->type])
            continue;
        if (join_forms(e, gr, m, &forms) != 0)
            goto oom;
        const char *name;
        if (gr->lexcanon != NONE)
            name = e->lex.raw.p + e->lex.ents[gr->lexcanon].display;
        else
            name = e->doc.p + e->forms[e->ents[gr->best].forms].text;
        format_number(count, sizeof count, gr->count);
        format_number(first, sizeof first, gr->first);
        const char *fields[] = {name, type_names[gr->type], count, first, forms.p};
        rc = e->host->write(ctx, "entity", fields, 5);
    }
    free(m);
    free(g);
    free(forms.p);
    return rc;
oom:
    free(m);
    free(g);
    free(forms.p);
    return e->host->fail(ctx, "out of memory");
}

static int
end_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)doc;
    entities *e = instance;
    if (e->oom || cut_runs(e) != 0 || e->lex.oom)
        return e->host->fail(ctx, "out of memory");
    for (uint32_t x = 0; x < e->nents; x++) {
        ent *en = &e->ents[x];
        en->type = (uint8_t)type_of(e, en);
    }
    if (merge_aliases(e) != 0)
        return e->host->fail(ctx, "out of memory");
    if (!e->surnames_apart && merge_short_names(e) != 0)
        return e->host->fail(ctx, "out of memory");
    if (e->link_demonyms)
        link_demonyms(e);
    clear_owners(e);
    return write_entities(ctx, e);
}

/* ---- the descriptor -------------------------------------------------------- */

static const tp_column entity_columns[] = {
    {"entity", TP_ROLE_KEY}, {"type", TP_ROLE_KEY},   {"count", TP_ROLE_SUM},
    {"first", TP_ROLE_MIN},  {"forms", TP_ROLE_TEXT},
};

static const tp_record_type records[] = {
    {"entity", entity_columns, sizeof entity_columns / sizeof entity_columns[0]},
};

static const tp_option options[] = {
    {"min-count", "leave out entities mentioned fewer times than this", "1"},
    {"types", "only these types, comma-separated (PERSON,ORG,GPE,LOC,NORP,MISC)", NULL},
    {"gazetteer", "a TSV file of your own names: name, type, canonical name", NULL},
    {"link", "demonyms: count \"Russian\" toward Russia; none: keep them apart", "none"},
    {"surnames",
     "merge: \"Assad\" after \"Bashar al-Assad\" counts for him; apart: "
     "its own entity",
     "merge"},
};

static const tp_plugin descriptor = {
    .size = sizeof(tp_plugin),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .name = "entities",
    .version = "0.1.0",
    .summary = "named entities per document: canonical name, type, count, forms",
    .records = records,
    .nrecords = sizeof records / sizeof records[0],
    .options = options,
    .noptions = sizeof options / sizeof options[0],
    .create = create,
    .begin_document = begin_document,
    .sentence = sentence,
    .end_document = end_document,
    .destroy = destroy,
};

const tp_plugin *
textpipe_plugin_v1(void)
{
    return &descriptor;
}
