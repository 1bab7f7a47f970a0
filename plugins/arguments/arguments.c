/* arguments.c: the `arguments` plugin: finds an article's major claims,
 * claims and premises at clause level and links each to what it supports
 * or attacks.
 *
 * Roles depend on where a sentence stands in the whole text (the thesis
 * sits in the opening paragraph and again in the closing one), so the
 * plugin decides at the document's end.  It works by rules over cue
 * phrases and clause markers read from data files (data/cues.tsv,
 * data/markers.tsv), matched by stem through the shared lexicon:
 * headings, questions, and trailing bios and disclaimers yield nothing;
 * the opening paragraph yields only its thesis; body paragraphs open with
 * a claim (unless they build up to a "therefore" claim at their end) and
 * argue for it in premises; a one-paragraph conclusion restates claims.
 * Sentences split at one opening subordinate clause ("Given X, Y") and at
 * one marker inside ("X because Y"), and spans leave out the opening
 * connectives and stance phrases ("In conclusion, I believe that"), as
 * human annotators mark them.
 *
 * Everything a sentence says on its own (its cues, its clauses, their
 * spans and markers) is read while the host lends its tokens; what is
 * held until the end is a small summary per sentence and clause and the
 * text of the clauses' spans, not the tokens.
 *
 * Memory is bounded: the plugin holds at most a budget of a document
 * (1 MiB by default, -O arguments.budget=BYTES: held text and summaries
 * together).  A document within it is decided whole.  Past it, the plugin
 * decides and writes what it holds as one segment before it holds the
 * next sentence, and goes on with ids, sentence numbers and offsets
 * continuing.  Held back for the next segment, within half the budget:
 * the paragraph still open, the bios and headings that end what is held,
 * and the paragraph before them (the closing one, should only bios
 * follow), so that the opening and the closing paragraph keep their
 * roles.  What differs past the budget: only the last segment has a
 * closing region and drops trailing bios; claims link to the first major
 * claim already written, else to one later in their own segment, else to
 * none; an open paragraph that fills half the budget alone is cut at a
 * sentence, and its pieces are argued as body paragraphs (no heading; the
 * first piece alone has a first sentence, the last alone a last; premises
 * after the cut keep the claim before it; an opening paragraph cut so
 * names its thesis as a lone paragraph does).  Training holds an essay
 * under the same budget and learns from its segments.
 *
 * A supervised mode re-decides the roles: `textpipe train arguments` fits
 * a model (model.c) over the rules' candidates, their places, cues and
 * the rules' own verdicts, and -O arguments.model=FILE uses it.  The
 * rules stay the default: no model ships. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textpipe/plugin.h>

#include "lexicon.h"
#include "model.h"
#include "fnv.h"
#include "grow.h"

/* Cue kinds: column 2 of cues.tsv.  The order is the order of kind_names. */
enum {
    CUE_STANCE,
    CUE_ADVOCACY,
    CUE_OBLIGATION,
    CUE_EVALUATION,
    CUE_CONCLUSION,
    CUE_CONTRAST,
    CUE_EVIDENCE,
    CUE_HEDGE,
    CUE_BOILERPLATE,
    CUE_CONNECTIVE,
    NCUE
};
static const char *const cue_kind_names[NCUE] = {
    "stance",   "advocacy", "obligation", "evaluation",  "conclusion",
    "contrast", "evidence", "hedge",      "boilerplate", "connective",
};

/* Marker kinds: column 2 of markers.tsv. */
enum { MK_REASON, MK_RESULT, MK_CONCESSION, MK_BLOCK, NMK };
static const char *const marker_kind_names[NMK] = {
    "reason",
    "result",
    "concession",
    "block",
};

/* One lexicon holds both files, tagged: cue kinds as themselves, marker
 * kinds after them, so one lookup per token finds every list's phrases. */
#define MARKER_TAG(kind) ((unsigned)(NCUE + (kind)))

/* Lexicon weights carry the third column: where a cue or marker applies. */
#define CUE_LEAD 1.0        /* cut off the span when it opens a clause */
#define WHERE_INITIAL 1     /* may open the sentence */
#define WHERE_INNER 2       /* may split inside the sentence */
#define WHERE_AFTER_COMMA 4 /* inside, only after a comma or semicolon */

#define MASK(kind) (1u << (kind))

/* Passes over the training examples. */
#define TRAIN_EPOCHS 25
/* A first line of fewer words, alone in its paragraph, is a title. */
#define TITLE_WORDS 15
/* Fewer words than this make no clause of their own. */
#define MIN_CLAUSE_WORDS 3
/* The model tells clauses apart by their words up to this many. */
#define CLAUSE_WORDS_SEEN 40
/* Bytes of a document held before it is written in segments. */
#define DEFAULT_BUDGET ((size_t)1 << 20)

#define NONE ((size_t)-1)

/* Roles, in the order of role_names. */
enum { ROLE_NONE, ROLE_MAJOR, ROLE_CLAIM, ROLE_PREMISE };
static const char *const role_names[] = {"-", "major_claim", "claim", "premise"};

enum { REL_NONE, REL_SUPPORTS, REL_ATTACKS };
static const char *const relation_names[] = {"-", "supports", "attacks"};

/* The punctuation the rules name: a PUNCT token's normal form. */
enum {
    PK_NONE,
    PK_OTHER,
    PK_COMMA,
    PK_SEMICOLON,
    PK_COLON,
    PK_STOP,
    PK_BANG,
    PK_ELLIPSIS,
    PK_QUESTION,
    PK_OPEN,
    PK_CLOSE,
};

/* A token with a cue on it or a figure: what it adds to the cues of a
 * clause that holds every cue starting there (`full`), and where the
 * longest of those cues ends (a clause ending sooner is looked at anew). */
typedef struct cue_spot {
    uint32_t at, reach;
    unsigned full;
} cue_spot;

/* The sentence being read, while the host lends its tokens.  The phrases
 * at token i are hits[hit_first[i], hit_first[i + 1]). */
typedef struct reading {
    const tp_token *toks;
    size_t n;
    uint32_t *hashes;
    uint32_t *hit_first;
    size_t cap;        /* of the per-token arrays */
    lexicon_hit *hits; /* tag: cue kind, or MARKER_TAG(marker kind) */
    size_t nhits, hits_cap;
    cue_spot *spots;
    size_t nspots, spots_cap;
    uint32_t *markers; /* the tokens where a marker starts, in order */
    size_t nmarkers, markers_cap;
} reading;

/* A sentence held for the end of the document (or of its segment). */
typedef struct held_sentence {
    uint64_t index, paragraph, start, end;
    uint64_t text_start; /* the input offset of the first byte of text kept */
    size_t text;         /* where its bytes start in the arena */
    size_t first_comp, ncomps;
    size_t para;                 /* index into the paragraph list */
    uint32_t flags;              /* TP_SENT_* */
    uint32_t words;              /* up to TITLE_WORDS: enough for the rules */
    unsigned cues;               /* MASK(CUE_*) of every cue in the sentence */
    unsigned lead_cues;          /* MASK(CUE_*) of the cues opening it */
    unsigned char self_excluded; /* heading, question, boilerplate, short */
    unsigned char statement;     /* ends with a full stop */
    unsigned char excluded;      /* ... or so placed: no component */
    unsigned char role;          /* ROLE_* the sentence's main clause gets */
} held_sentence;

/* A clause of a held sentence: a candidate component. */
typedef struct component {
    size_t sentence; /* index into the held sentences */
    uint64_t start, end;
    size_t marker;                   /* its marker's text in the arena; NONE: none */
    size_t head;                     /* component index + 1 (record id once linked); 0: none */
    size_t kept_as;                  /* index + 1 after dropping; 0: dropped */
    uint32_t words;                  /* up to CLAUSE_WORDS_SEEN, when a model is in use */
    uint32_t marker_from, marker_to; /* tokens, while the sentence is read */
    unsigned own;                    /* MASK(CUE_*) of the cues inside the clause */
    int role, relation, hedge;
    int rule_role;           /* what the rules alone say (ROLE_NONE: no component) */
    int sub_kind;            /* MK_* of the marker opening a subordinate clause; -1 */
    unsigned char main;      /* gets its sentence's role, not premise */
    unsigned char at_lead;   /* starts where the sentence's lead cues end */
    unsigned char contrast;  /* the marker is a contrast cue, named only
                                when the clause is linked as attacking */
    unsigned char candidate; /* its sentence is not excluded */
} component;

typedef struct paragraph_info {
    size_t first, count; /* held sentences */
    size_t nargumentative;
    int boilerplate, heading;
    int cont_before, cont_after; /* a piece of a paragraph cut in two */
    int place;                   /* PLACE_* */
} paragraph_info;

typedef struct arguments {
    const tp_host *host;
    tp_ctx *ctx;
    char *nul_text; /* a component's text with its NUL bytes shown */
    size_t nul_cap;
    lexicon *phrases; /* cues.tsv and markers.tsv, tagged */
    size_t budget;

    reading rd;
    char *text; /* the held sentences' clause text and markers */
    size_t text_len, text_cap;
    held_sentence *sents;
    size_t nsents, sents_cap;
    component *comps;
    size_t ncomps, comps_cap;
    paragraph_info *paras;
    size_t nparas, paras_cap;

    /* the document so far, across segments */
    uint64_t doc_sentences;  /* kept */
    uint64_t last_paragraph; /* of the last sentence kept */
    size_t segments;         /* written before the one held */
    size_t written;          /* records written */
    size_t major_id;         /* the first major claim's record id; 0: none */
    int opened;              /* the opening paragraph was written */
    int continued;           /* the first held paragraph was cut before */
    uint64_t continued_paragraph;
    size_t carried_claim; /* the record id of its last claim written; 0 */

    role_model *model; /* -O arguments.model: roles by the model */
    /* training: one essay is built up from its paragraph rows */
    role_model *learner;
    char *train_doc;     /* the essay id of the rows kept */
    uint64_t train_base; /* byte offset of the next row in the essay */
    struct gold_span {
        int role;
        uint64_t start, end;
    } * gold;
    size_t ngold, gold_cap;
} arguments;

/* ---- cue and marker files ---------------------------------------------- */

static int
kind_index(const char *const *names, size_t n, const char *s, size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (strlen(names[k]) == len && memcmp(names[k], s, len) == 0)
            return (int)k;
    return -1;
}

static double
marker_where(const char *s, size_t len)
{
    int comma = len > 0 && s[len - 1] == ',';
    if (comma)
        len--;
    int w = 0;
    if (len == 7 && memcmp(s, "initial", 7) == 0)
        w = WHERE_INITIAL;
    else if (len == 5 && memcmp(s, "inner", 5) == 0)
        w = WHERE_INNER;
    else if (len == 4 && memcmp(s, "both", 4) == 0)
        w = WHERE_INITIAL | WHERE_INNER;
    else
        return -1;
    return w | (comma ? WHERE_AFTER_COMMA : 0);
}

/* Load `phrase<TAB>kind<TAB>where` lines into one lexicon per kind. */
static int
load_table(arguments *a, const char *path, int is_markers)
{
    const tp_host *h = a->host;
    /* The whole file in one read, and the lexicon sized for it at once. */
    size_t size;
    char *data = lexicon_read_file(path, &size);
    if (!data)
        return h->fail(a->ctx, "cannot open %s", path);
    size_t nlines = 1;
    for (const char *nl = data; (nl = memchr(nl, '\n', size - (size_t)(nl - data))); nl++)
        nlines++;
    if (lexicon_reserve(a->phrases, nlines, size) < 0) {
        free(data);
        return h->fail(a->ctx, "out of memory");
    }
    size_t lineno = 0;
    int rc = TP_OK;
    char *stop = data + size, *next;
    for (char *line = data; rc == TP_OK && line < stop; line = next) {
        lineno++;
        char *nl = memchr(line, '\n', (size_t)(stop - line));
        next = nl ? nl + 1 : stop;
        size_t len = (size_t)((nl ? nl : stop) - line);
        while (len > 0 && line[len - 1] == '\r')
            len--;
        line[len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            rc = h->fail(a->ctx, "%s:%zu: want phrase, kind and scope", path, lineno);
            break;
        }
        char *scope = t2 + 1;
        size_t scope_len = strcspn(scope, "\t");
        int kind;
        double weight;
        if (is_markers) {
            kind = kind_index(marker_kind_names, NMK, t1 + 1, (size_t)(t2 - t1 - 1));
            weight = marker_where(scope, scope_len);
        } else {
            kind = kind_index(cue_kind_names, NCUE, t1 + 1, (size_t)(t2 - t1 - 1));
            weight = scope_len == 4 && memcmp(scope, "lead", 4) == 0  ? CUE_LEAD
                     : scope_len == 3 && memcmp(scope, "any", 3) == 0 ? 0.0
                                                                      : -1;
        }
        if (kind < 0 || weight < 0) {
            rc = h->fail(a->ctx, "%s:%zu: unknown kind or scope", path, lineno);
            break;
        }
        unsigned tag = is_markers ? MARKER_TAG(kind) : (unsigned)kind;
        rc = lexicon_add_tagged(a->phrases, h, a->ctx, line, (size_t)(t1 - line), tag, weight);
    }
    free(data);
    return rc;
}

static int
load_data(arguments *a, const char *option, const char *fallback, int is_markers)
{
    const char *path = a->host->option(a->ctx, option);
    char buf[4096];
    if (!path) {
        if (a->host->find_data(a->ctx, fallback, buf, sizeof buf) != TP_OK)
            return a->host->fail(a->ctx, "data file %s not found", fallback);
        path = buf;
    }
    return load_table(a, path, is_markers);
}

static void
destroy(void *instance)
{
    arguments *a = instance;
    if (!a)
        return;
    lexicon_free(a->phrases);
    free(a->rd.hashes);
    free(a->rd.hit_first);
    free(a->rd.hits);
    free(a->rd.spots);
    free(a->rd.markers);
    free(a->text);
    free(a->nul_text);
    free(a->sents);
    free(a->comps);
    free(a->paras);
    role_model_free(a->model);
    role_model_free(a->learner);
    free(a->train_doc);
    free(a->gold);
    free(a);
}

static int
create(const tp_host *host, tp_ctx *ctx, void **instance)
{
    arguments *a = calloc(1, sizeof *a);
    if (!a)
        return host->fail(ctx, "out of memory");
    a->host = host;
    a->ctx = ctx;
    a->budget = DEFAULT_BUDGET;
    const char *budget = host->option(ctx, "budget");
    if (budget) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(budget, &end, 10);
        if (end == budget || *end || errno || v == 0 || budget[0] == '-') {
            destroy(a);
            return host->fail(ctx, "budget: want a number of bytes, not \"%s\"", budget);
        }
        a->budget = v > (size_t)-1 / 4 ? (size_t)-1 / 4 : (size_t)v;
    }
    if (!(a->phrases = lexicon_new()))
        goto oom;
    if (load_data(a, "cues", "cues.tsv", 0) != TP_OK ||
        load_data(a, "markers", "markers.tsv", 1) != TP_OK) {
        destroy(a);
        return TP_ERROR;
    }
    const char *model = host->option(ctx, "model");
    if (model) {
        char err[512];
        if (!(a->model = role_model_load(model, err, sizeof err))) {
            destroy(a);
            return host->fail(ctx, "%s", err);
        }
    }
    *instance = a;
    return TP_OK;
oom:
    destroy(a);
    return host->fail(ctx, "out of memory");
}

/* ---- reading a sentence -------------------------------------------------- */

static int
punct_kind(const char *s, uint32_t len)
{
    if (len == 1)
        switch (s[0]) {
        case ',': return PK_COMMA;
        case ';': return PK_SEMICOLON;
        case ':': return PK_COLON;
        case '.': return PK_STOP;
        case '!': return PK_BANG;
        case '?': return PK_QUESTION;
        case '(': return PK_OPEN;
        case ')': return PK_CLOSE;
        default: return PK_OTHER;
        }
    if (len == 3 && memcmp(s, "...", 3) == 0)
        return PK_ELLIPSIS;
    return PK_OTHER;
}

/* The PK_* of token i. */
static int
punct_at(const reading *r, size_t i)
{
    const tp_token *t = &r->toks[i];
    return t->flags & TP_TOK_PUNCT ? punct_kind(t->norm, t->norm_len) : PK_NONE;
}

/* punct_at(r, i) == PK_COMMA, without its switch: asked of every token
 * near a sentence's start. */
static int
is_comma(const reading *r, size_t i)
{
    const tp_token *t = &r->toks[i];
    return t->flags & TP_TOK_PUNCT && t->norm_len == 1 && t->norm[0] == ',';
}

static int
is_clause_break(const reading *r, size_t i)
{
    int p = punct_at(r, i);
    return p >= PK_COMMA && p <= PK_COLON;
}

/* The words (and numbers) in toks[from, to), counted up to `enough`: the
 * rules ask whether a clause has a few, so most counts stop early. */
static size_t
words_upto(const reading *r, size_t from, size_t to, size_t enough)
{
    size_t n = 0;
    for (size_t i = from; i < to && n < enough; i++)
        n += (r->toks[i].flags & (TP_TOK_WORD | TP_TOK_NUMBER)) != 0;
    return n;
}

/* The phrases found at token i, in *count. */
static const lexicon_hit *
hits_at(const reading *r, size_t i, size_t *count)
{
    *count = r->hit_first[i + 1] - r->hit_first[i];
    return r->hits + r->hit_first[i];
}

/* The longest phrase with a tag in [lo, hi) starting at i and ending
 * within n; on equal lengths the lower tag.  Its length, or 0; its tag
 * and weight in *tag and *weight. */
static size_t
longest_hit(const reading *r, size_t n, size_t i, unsigned lo, unsigned hi, unsigned *tag,
            double *weight)
{
    if (i >= n)
        return 0;
    size_t count, best = 0;
    const lexicon_hit *h = hits_at(r, i, &count);
    for (size_t j = 0; j < count; j++) {
        if (h[j].tag < lo || h[j].tag >= hi || i + h[j].len > n)
            continue;
        if (h[j].len > best || (h[j].len == best && h[j].tag < *tag)) {
            best = h[j].len;
            *tag = h[j].tag;
            *weight = h[j].weight;
        }
    }
    return best;
}

/* The longest cue of any kind starting at i; its kind in *kind and its
 * scope weight in *weight. */
static size_t
match_cue(const reading *r, size_t n, size_t i, int *kind, double *weight)
{
    unsigned tag = 0;
    size_t len = longest_hit(r, n, i, 0, NCUE, &tag, weight);
    if (len)
        *kind = (int)tag;
    return len;
}

/* The longest marker at i: its kind, or -1. */
static int
match_marker(const reading *r, size_t n, size_t i, size_t *len, int *where)
{
    unsigned tag = 0;
    double w = 0;
    *len = longest_hit(r, n, i, MARKER_TAG(0), MARKER_TAG(NMK), &tag, &w);
    if (!*len)
        return -1;
    *where = (int)w;
    return (int)(tag - MARKER_TAG(0));
}

/* Skip the cues that open a clause at `from` ("However, I believe that"),
 * and the commas after them; return where the clause proper starts.
 * *mask gets the kinds skipped, *m_from and *m_to the first cue's tokens. */
static size_t
skip_lead(const reading *r, size_t from, size_t to, unsigned *mask, size_t *m_from, size_t *m_to)
{
    size_t i = from;
    for (;;) {
        while (i < to && is_clause_break(r, i))
            i++;
        int kind = 0;
        double w = 0;
        size_t len = match_cue(r, to, i, &kind, &w);
        if (len == 0 || w != CUE_LEAD || i + len >= to)
            break;
        /* never swallow the whole clause */
        if (words_upto(r, i + len, to, 2) < 2)
            break;
        if (mask)
            *mask |= MASK(kind);
        if (m_from && *m_from == *m_to) {
            *m_from = i;
            *m_to = i + len;
        }
        i += len;
    }
    return i;
}

/* The kinds of the cues at token i that end within `to`: each kind's
 * longest cue decides for the kind.  Short lead cues count only where
 * they open the clause (skip_lead), as "but" or "so" inside a clause links
 * words, not claims; "some people believe that" is a cue wherever it
 * stands.  Figures and dates are evidence. */
static unsigned
cues_at(const reading *r, size_t i, size_t to)
{
    unsigned mask = 0;
    size_t count;
    const lexicon_hit *h = hits_at(r, i, &count);
    if (count) {
        uint32_t len[NCUE] = {0};
        double w[NCUE];
        for (size_t j = 0; j < count; j++)
            if (h[j].tag < NCUE && i + h[j].len <= to && h[j].len > len[h[j].tag]) {
                len[h[j].tag] = h[j].len;
                w[h[j].tag] = h[j].weight;
            }
        for (int k = 0; k < NCUE; k++)
            if (len[k] && (w[k] != CUE_LEAD || len[k] >= 3))
                mask |= MASK(k);
    }
    if (r->toks[i].flags & TP_TOK_NUMBER)
        mask |= MASK(CUE_EVIDENCE);
    return mask;
}

/* The kinds of the cues inside toks[from, to). */
static unsigned
cues_in(const reading *r, size_t from, size_t to)
{
    unsigned mask = 0;
    for (size_t k = 0; k < r->nspots; k++) {
        const cue_spot *sp = &r->spots[k];
        if (sp->at < from)
            continue;
        if (sp->at >= to)
            break;
        mask |= sp->reach <= to ? sp->full : cues_at(r, sp->at, to);
    }
    return mask;
}

/* The end of a clause without its closing punctuation; a closing quote or
 * bracket stays, as it belongs to what it closes. */
static size_t
trim_end(const reading *r, size_t from, size_t to)
{
    while (to > from && (r->toks[to - 1].flags & (TP_TOK_PUNCT | TP_TOK_QUOTE)) == TP_TOK_PUNCT &&
           punct_at(r, to - 1) != PK_CLOSE)
        to--;
    return to;
}

/* The last token that is no closing quote or bracket: its PK_*. */
static int
final_punct(const reading *r, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        int p = punct_at(r, i - 1);
        if (r->toks[i - 1].flags & TP_TOK_QUOTE || p == PK_CLOSE)
            continue;
        return p;
    }
    return PK_NONE;
}

/* Read what the rules ask of each token of s, and find every phrase at
 * every token: the rules ask about clauses of it many times over. */
static int
read_tokens(arguments *a, const tp_sentence *s)
{
    reading *r = &a->rd;
    size_t n = s->ntokens;
    if (n + 1 > r->cap) {
        size_t cap = r->cap;
        if (grow((void **)&r->hit_first, &cap, n + 1, sizeof *r->hit_first) < 0)
            return -1;
        uint32_t *hashes = realloc(r->hashes, cap * sizeof *hashes);
        if (!hashes)
            return -1;
        r->hashes = hashes;
        r->cap = cap;
    }
    r->toks = s->tokens;
    r->n = n;
    const uint32_t *hashes = lexicon_sentence_hashes(s, r->hashes);
    r->nhits = 0;
    if (lexicon_match_tokens(a->phrases, s->tokens, hashes, n, r->hit_first, &r->hits, &r->nhits,
                             &r->hits_cap) < 0)
        return -1;
    r->nspots = r->nmarkers = 0;
    const tp_token *toks = s->tokens;
    const uint32_t *hit_first = r->hit_first;
    for (size_t i = 0; i < n; i++) {
        uint32_t f = toks[i].flags;
        if (hit_first[i] == hit_first[i + 1] && !(f & TP_TOK_NUMBER))
            continue;
        size_t count;
        const lexicon_hit *h = hits_at(r, i, &count);
        uint32_t reach = 0;
        int marker = 0;
        for (size_t j = 0; j < count; j++) {
            if (h[j].tag >= NCUE)
                marker = 1;
            else if (i + h[j].len > reach)
                reach = (uint32_t)(i + h[j].len);
        }
        if (marker) {
            if (grow((void **)&r->markers, &r->markers_cap, r->nmarkers + 1, sizeof *r->markers) <
                0)
                return -1;
            r->markers[r->nmarkers++] = (uint32_t)i;
        }
        if (!reach && !(f & TP_TOK_NUMBER))
            continue;
        if (grow((void **)&r->spots, &r->spots_cap, r->nspots + 1, sizeof *r->spots) < 0)
            return -1;
        cue_spot *sp = &r->spots[r->nspots++];
        sp->at = (uint32_t)i;
        sp->reach = reach;
        sp->full = cues_at(r, i, n);
    }
    return 0;
}

/* Where the clause proper of the sentence read starts, past its opening
 * cues, and the kinds of those cues. */
static size_t
read_lead(const reading *r, unsigned *lead_cues)
{
    const tp_token *t = r->toks;
    size_t n = r->n;
    size_t mf = 0, mt = 0;
    size_t lead_end = skip_lead(r, 0, n, lead_cues, &mf, &mt);
    /* "Despite all this, I think that X": a short opening phrase before
     * the author's own stance is no part of the thesis. */
    if (!(*lead_cues & (MASK(CUE_STANCE) | MASK(CUE_CONCLUSION)))) {
        for (size_t j = lead_end; j < n && j < lead_end + 12; j++) {
            if (!is_comma(r, j))
                continue;
            int kind = 0;
            double w = 0;
            size_t len = match_cue(r, n, j + 1, &kind, &w);
            /* a one-word "so" after a comma links two clauses */
            if (len && w == CUE_LEAD &&
                (kind == CUE_STANCE || (kind == CUE_CONCLUSION && len >= 3))) {
                lead_end = skip_lead(r, j + 1, n, lead_cues, &mf, &mt);
                break;
            }
        }
    }
    /* "I agree with the second view that X": the author's verb of stance
     * and what it governs up to "that" are no part of X. */
    int kind = 0;
    double w = 0;
    size_t len = match_cue(r, n, lead_end, &kind, &w);
    if (len && kind == CUE_STANCE) {
        for (size_t j = lead_end + len;
             j < n && j < lead_end + len + 8 && !(t[j].flags & TP_TOK_PUNCT); j++)
            if (t[j].norm_len == 4 && memcmp(t[j].norm, "that", 4) == 0 &&
                words_upto(r, j + 1, n, MIN_CLAUSE_WORDS) >= MIN_CLAUSE_WORDS) {
                *lead_cues |= MASK(CUE_STANCE);
                lead_end = j + 1;
                break;
            }
    }
    return lead_end;
}

static component *
add_component(arguments *a, size_t from, size_t to, int main)
{
    if (grow((void **)&a->comps, &a->comps_cap, a->ncomps + 1, sizeof *a->comps) < 0)
        return NULL;
    component *c = &a->comps[a->ncomps++];
    memset(c, 0, sizeof *c);
    c->sentence = a->nsents - 1; /* the sentence being held */
    c->start = from;             /* tokens until the sentence is read */
    c->end = to;
    c->main = (unsigned char)main;
    c->sub_kind = -1;
    c->marker = NONE;
    return c;
}

/* Cut the sentence read into its clauses and add them as candidate
 * components: an opening subordinate clause ("Given X, Y"), then at most
 * one marker inside ("X because Y", "X, so Y").  Their spans are token
 * ranges until hold_sentence makes them byte offsets. */
static int
split_sentence(arguments *a, size_t lead_end)
{
    const reading *r = &a->rd;
    size_t from = lead_end;
    size_t to = trim_end(r, from, r->n);
    size_t first_comp = a->ncomps;
    size_t main_from = from;

    size_t mlen;
    int where = 0;
    int kind = match_marker(r, to, from, &mlen, &where);
    if (kind >= 0 && kind != MK_BLOCK && where & WHERE_INITIAL) {
        int depth = 0;
        size_t comma = 0;
        for (size_t i = from + mlen; i < to; i++) {
            int p = punct_at(r, i);
            if (p == PK_OPEN)
                depth++;
            else if (p == PK_CLOSE && depth > 0)
                depth--;
            else if (depth == 0 && is_clause_break(r, i)) {
                comma = i;
                break;
            }
        }
        if (comma && words_upto(r, from + mlen, comma, MIN_CLAUSE_WORDS) >= MIN_CLAUSE_WORDS &&
            words_upto(r, comma + 1, to, MIN_CLAUSE_WORDS) >= MIN_CLAUSE_WORDS) {
            component *c = add_component(a, from + mlen, comma, 0);
            if (!c)
                return -1;
            c->relation = kind == MK_CONCESSION ? REL_ATTACKS : REL_SUPPORTS;
            c->sub_kind = kind;
            c->marker_from = (uint32_t)from;
            c->marker_to = (uint32_t)(from + mlen);
            main_from = skip_lead(r, comma + 1, to, NULL, NULL, NULL);
        }
    }

    /* One marker inside the main clause. */
    size_t split = 0, split_len = 0;
    int split_kind = -1;
    size_t next = 0;
    while (next < r->nmarkers && r->markers[next] <= main_from)
        next++;
    for (; next < r->nmarkers && r->markers[next] < to; next++) {
        size_t i = r->markers[next];
        kind = match_marker(r, to, i, &mlen, &where);
        if (kind < 0)
            continue;
        if (kind == MK_BLOCK) {
            /* what it holds is no marker */
            while (next + 1 < r->nmarkers && r->markers[next + 1] < i + mlen)
                next++;
            continue;
        }
        if (!(where & WHERE_INNER))
            continue;
        if (where & WHERE_AFTER_COMMA && !is_clause_break(r, i - 1))
            continue;
        if (words_upto(r, main_from, i, MIN_CLAUSE_WORDS) < MIN_CLAUSE_WORDS ||
            words_upto(r, i + mlen, to, MIN_CLAUSE_WORDS) < MIN_CLAUSE_WORDS)
            continue;
        split = i;
        split_len = mlen;
        split_kind = kind;
        break;
    }
    size_t head_comp;
    if (split) {
        size_t left_to = split;
        while (left_to > main_from && is_clause_break(r, left_to - 1))
            left_to--;
        size_t right_from = skip_lead(r, split + split_len, to, NULL, NULL, NULL);
        int result = split_kind == MK_RESULT;
        if (!add_component(a, main_from, left_to, !result) ||
            !add_component(a, right_from, to, result))
            return -1;
        component *sub = &a->comps[a->ncomps - (result ? 2 : 1)];
        head_comp = a->ncomps - (result ? 1 : 2);
        sub->head = head_comp + 1;
        sub->relation = split_kind == MK_CONCESSION ? REL_ATTACKS : REL_SUPPORTS;
        sub->sub_kind = split_kind;
        sub->marker_from = (uint32_t)split;
        sub->marker_to = (uint32_t)(split + split_len);
    } else {
        if (!add_component(a, main_from, to, 1))
            return -1;
        head_comp = a->ncomps - 1;
    }
    /* The opening clause supports the main clause. */
    if (first_comp < a->ncomps && a->comps[first_comp].head == 0 && first_comp != head_comp &&
        a->comps[first_comp].marker_to)
        a->comps[first_comp].head = head_comp + 1;
    return 0;
}

/* What linking may ask of a clause, read now: its cues, its words, and,
 * for a clause without a marker that attacks, the contrast cue to name:
 * one that opened the sentence, or a reported view inside the clause
 * ("some scholars believe"). */
static void
read_clause(const arguments *a, component *c, size_t lead_end, unsigned lead_cues)
{
    const reading *r = &a->rd;
    size_t from = (size_t)c->start, to = (size_t)c->end;
    c->own = cues_in(r, from, to);
    c->at_lead = from == lead_end;
    /* the model's feature counts fours of words up to ten */
    if (a->model || a->learner)
        c->words = (uint32_t)words_upto(r, from, to, CLAUSE_WORDS_SEEN);
    unsigned mask = c->own | (c->at_lead ? lead_cues : 0);
    if (!(mask & MASK(CUE_CONTRAST)) || c->marker_from != c->marker_to)
        return;
    size_t j = c->at_lead ? 0 : from;
    while (j < to) {
        int kind = 0;
        double w = 0;
        size_t len = match_cue(r, r->n, j, &kind, &w);
        if (len && kind == CUE_CONTRAST && (j < lead_end || w != CUE_LEAD || len >= 3)) {
            c->marker_from = (uint32_t)j;
            c->marker_to = (uint32_t)(j + len);
            c->contrast = 1;
            break;
        }
        j += len ? len : 1;
    }
}

/* Hold a sentence: read it, and keep its summary, its clauses and their
 * text.  `shift` moves its offsets (training rows are pieces of one
 * essay), `paragraph` and `index` place it in the document. */
static int
hold_sentence(arguments *a, tp_ctx *ctx, const tp_sentence *s, uint64_t paragraph, uint64_t index,
              uint64_t shift)
{
    if (grow((void **)&a->sents, &a->sents_cap, a->nsents + 1, sizeof *a->sents) < 0 ||
        read_tokens(a, s) < 0)
        return a->host->fail(ctx, "out of memory");
    const reading *r = &a->rd;
    const tp_token *t = s->tokens;
    size_t n = s->ntokens;
    held_sentence *k = &a->sents[a->nsents];
    memset(k, 0, sizeof *k);
    k->index = index;
    k->paragraph = paragraph;
    k->start = s->start + shift;
    k->end = s->end + shift;
    k->flags = s->flags;
    k->words = (uint32_t)words_upto(r, 0, n, TITLE_WORDS);
    k->first_comp = a->ncomps;
    k->text = a->text_len;
    int last = final_punct(r, n);
    k->statement = last == PK_STOP || last == PK_BANG || last == PK_ELLIPSIS;
    size_t lead_end = read_lead(r, &k->lead_cues);
    k->cues = cues_in(r, 0, n) | k->lead_cues;
    k->self_excluded = (k->flags & TP_SENT_HEADING || last == PK_QUESTION || k->words < 3 ||
                        k->cues & MASK(CUE_BOILERPLATE)) != 0;
    a->last_paragraph = paragraph;
    a->doc_sentences++;
    a->nsents++;
    if (k->self_excluded)
        return TP_OK;

    if (split_sentence(a, lead_end) < 0)
        return a->host->fail(ctx, "out of memory");
    k = &a->sents[a->nsents - 1];
    k->ncomps = a->ncomps - k->first_comp;
    /* the text of the clauses' span, verbatim, then their markers as
     * their tokens read */
    component *c = &a->comps[k->first_comp], *end = c + k->ncomps;
    size_t from = (size_t)c->start, to = (size_t)end[-1].end;
    size_t room = (size_t)(t[to - 1].end - t[from].start) + 1;
    for (component *o = c; o < end; o++) {
        read_clause(a, o, lead_end, k->lead_cues);
        for (size_t j = o->marker_from; j < o->marker_to; j++)
            room += t[j].surface_len + 1;
    }
    if (grow((void **)&a->text, &a->text_cap, a->text_len + room, 1) < 0)
        return a->host->fail(ctx, "out of memory");
    k->text_start = t[from].start + shift;
    size_t len = (size_t)(t[to - 1].end - t[from].start);
    memcpy(a->text + a->text_len, s->text + (t[from].start - s->start), len);
    a->text[a->text_len + len] = '\0';
    a->text_len += len + 1;
    for (component *o = c; o < end; o++) {
        size_t mto = trim_end(r, o->marker_from, o->marker_to);
        if (mto > o->marker_from) {
            char *m = a->text + a->text_len;
            size_t ml = 0;
            for (size_t j = o->marker_from; j < mto; j++) {
                if (j > o->marker_from)
                    m[ml++] = ' ';
                memcpy(m + ml, t[j].surface, t[j].surface_len);
                ml += t[j].surface_len;
            }
            m[ml] = '\0';
            o->marker = a->text_len;
            a->text_len += ml + 1;
        }
        size_t ft = (size_t)o->start, tt = (size_t)o->end;
        o->start = t[ft].start + shift;
        o->end = t[tt - 1].end + shift;
    }
    return TP_OK;
}

/* ---- the document (or a segment of it) ---------------------------------- */

/* Where a paragraph stands, for the roles and the model's features. */
enum { PLACE_BODY, PLACE_OPENING, PLACE_CONCLUSION, PLACE_CLOSING_SECTION, PLACE_LONE };

/* Group the first m held sentences into paragraphs and exclude what their
 * place rules out.  `final`: the document ends with them; `cut`: their
 * last paragraph goes on in the next segment. */
static int
group_paragraphs(arguments *a, size_t m, int final, int cut)
{
    a->nparas = 0;
    for (size_t s = 0; s < m; s++) {
        held_sentence *k = &a->sents[s];
        k->excluded = k->self_excluded;
        k->role = ROLE_NONE;
        if (a->nparas == 0 || k->paragraph != a->sents[a->paras[a->nparas - 1].first].paragraph) {
            if (grow((void **)&a->paras, &a->paras_cap, a->nparas + 1, sizeof *a->paras) < 0)
                return -1;
            paragraph_info *p = &a->paras[a->nparas++];
            memset(p, 0, sizeof *p);
            p->first = s;
        }
        paragraph_info *p = &a->paras[a->nparas - 1];
        k->para = a->nparas - 1;
        p->count++;
        p->boilerplate |= (k->cues & MASK(CUE_BOILERPLATE)) != 0;
    }
    if (a->nparas == 0)
        return 0;
    a->paras[0].cont_before =
        a->continued && a->sents[a->paras[0].first].paragraph == a->continued_paragraph;
    a->paras[a->nparas - 1].cont_after = cut;
    for (size_t i = 0; i < a->nparas; i++) {
        paragraph_info *p = &a->paras[i];
        held_sentence *k = &a->sents[p->first];
        int whole = !p->cont_before && !p->cont_after;
        /* A lone line that does not end as a statement is a title or a
         * heading, whatever the core made of it. */
        if (whole && p->count == 1 && (k->flags & TP_SENT_HEADING || !k->statement))
            p->heading = 1;
        /* so is a short first line over a longer text, full stop or not */
        if (whole && i == 0 && a->segments == 0 && p->count == 1 && (a->nparas > 1 || !final) &&
            k->words < TITLE_WORDS)
            p->heading = 1;
        if (p->heading)
            k->excluded = 1;
    }
    /* Bios and disclaimers trail the article: drop the whole paragraphs. */
    for (size_t i = final ? a->nparas : 0; i > 0; i--) {
        paragraph_info *p = &a->paras[i - 1];
        if (!p->boilerplate && !p->heading)
            break;
        for (size_t s = p->first; s < p->first + p->count; s++)
            a->sents[s].excluded = 1;
    }
    for (size_t i = 0; i < a->nparas; i++) {
        paragraph_info *p = &a->paras[i];
        for (size_t s = p->first; s < p->first + p->count; s++)
            p->nargumentative += !a->sents[s].excluded;
    }
    return 0;
}

/* A sentence that states the author's thesis: own stance or advocacy,
 * not a view the author reports to knock down. */
static int
thesis_strength(const held_sentence *k, int closing)
{
    if (k->excluded)
        return 0;
    unsigned c = k->cues;
    if (closing && k->lead_cues & MASK(CUE_CONCLUSION))
        return 3;
    if (c & MASK(CUE_STANCE))
        return 3;
    if (c & MASK(CUE_CONTRAST) && !(k->lead_cues & MASK(CUE_CONTRAST)))
        return 0;
    if (c & (MASK(CUE_ADVOCACY) | MASK(CUE_EVALUATION) | MASK(CUE_OBLIGATION)))
        return 2;
    return 0;
}

static void
choose_major_claims(arguments *a, size_t opening, size_t closing_first, size_t m)
{
    size_t best = NONE;
    int best_strength = 0;
    if (opening != NONE) {
        /* Opening paragraph: its last, strongest thesis sentence. */
        paragraph_info *p = &a->paras[opening];
        for (size_t s = p->first; s < p->first + p->count; s++) {
            int st = thesis_strength(&a->sents[s], 0);
            if (st > 0 && st >= best_strength) {
                best = s;
                best_strength = st;
            }
        }
        if (best != NONE)
            a->sents[best].role = ROLE_MAJOR;
    }

    if (closing_first == NONE)
        return;
    /* Closing region: its first, strongest thesis sentence. */
    size_t first = a->paras[closing_first].first;
    best = NONE;
    best_strength = 0;
    for (size_t s = first; s < m; s++) {
        int st = thesis_strength(&a->sents[s], 1);
        if (st > best_strength) {
            best = s;
            best_strength = st;
        }
    }
    if (best == NONE)
        for (size_t s = first; s < m; s++)
            if (!a->sents[s].excluded) {
                best = s;
                break;
            }
    if (best != NONE)
        a->sents[best].role = ROLE_MAJOR;
}

/* Claims open body paragraphs, carry advocacy, or conclude; the rest of
 * a paragraph argues for them. */
static void
assign_roles(arguments *a, size_t scene_setting, size_t conclusion)
{
    for (size_t i = 0; i < a->nparas; i++) {
        paragraph_info *p = &a->paras[i];
        /* A paragraph that ends on "Therefore, ..." builds up to its
         * claim: its opening sentence is then a premise. */
        int concludes = 0;
        for (size_t s = p->first + p->count; s > p->first && !p->cont_after; s--) {
            held_sentence *k = &a->sents[s - 1];
            if (k->excluded)
                continue;
            concludes = s - 1 > p->first && (k->lead_cues & MASK(CUE_CONCLUSION)) != 0;
            break;
        }
        size_t seen = 0;
        for (size_t s = p->first; s < p->first + p->count; s++) {
            held_sentence *k = &a->sents[s];
            if (k->excluded)
                continue;
            seen++;
            if (k->role != ROLE_NONE)
                continue;
            if (i == scene_setting)
                continue;
            /* A concluding paragraph restates claims; it argues no more. */
            if (i == conclusion) {
                k->role = ROLE_CLAIM;
                continue;
            }
            unsigned c = k->cues;
            int first = seen == 1 && !p->cont_before;
            int last = seen == p->nargumentative && (seen > 1 || p->cont_before) && !p->cont_after;
            if (c & (MASK(CUE_ADVOCACY) | MASK(CUE_EVALUATION)))
                k->role = ROLE_CLAIM;
            else if (first && !concludes && !(k->lead_cues & MASK(CUE_EVIDENCE)))
                k->role = ROLE_CLAIM;
            else if (last && k->lead_cues & MASK(CUE_CONCLUSION))
                k->role = ROLE_CLAIM;
            else if (last && c & MASK(CUE_OBLIGATION) && !(c & MASK(CUE_EVIDENCE)))
                k->role = ROLE_CLAIM;
            else
                k->role = ROLE_PREMISE;
        }
    }
}

/* Decide the first m held sentences as the rules see them: each clause of
 * each sentence that is no heading, bio or question is a candidate, with
 * the role the rules give it (ROLE_NONE when they leave it out); each
 * paragraph gets its PLACE_*.  The candidates are comps[0, *nc). */
static int
build_candidates(arguments *a, size_t m, int final, int cut, size_t *nc)
{
    *nc = m < a->nsents ? a->sents[m].first_comp : a->ncomps;
    for (size_t i = 0; i < *nc; i++) {
        a->comps[i].candidate = 0;
        a->comps[i].role = a->comps[i].rule_role = ROLE_NONE;
    }
    if (group_paragraphs(a, m, final, cut) < 0)
        return -1;
    size_t opening = NONE, last = NONE, last_heading = NONE;
    for (size_t i = 0; i < a->nparas; i++) {
        if (a->paras[i].nargumentative) {
            if (opening == NONE && !a->opened)
                opening = i;
            last = i;
        } else if (a->paras[i].heading && (opening != NONE || a->opened)) {
            last_heading = i;
        }
    }
    if (last == NONE)
        return 0;
    /* An opening paragraph alone, or cut (no opening paragraph is that
     * long), is argued as a lone one. */
    int lone = opening != NONE && opening == last &&
               (final || a->paras[opening].cont_before || a->paras[opening].cont_after);
    /* The closing region: the last section when headings cut the article
     * into sections, else the last paragraph; only the document's last
     * segment has one. */
    size_t closing = NONE;
    if (final) {
        closing = last;
        if (last_heading != NONE && last_heading < last)
            closing = last_heading + 1;
        while (closing < last && !a->paras[closing].nargumentative)
            closing++;
        if ((opening != NONE && closing <= opening) || a->paras[closing].cont_before)
            closing = NONE;
    }
    for (size_t i = 0; i < a->nparas; i++)
        a->paras[i].place = i == opening && lone              ? PLACE_LONE
                            : i == opening                    ? PLACE_OPENING
                            : closing == last && i == last    ? PLACE_CONCLUSION
                            : closing != NONE && i >= closing ? PLACE_CLOSING_SECTION
                                                              : PLACE_BODY;
    choose_major_claims(a, opening, closing, m);
    /* An opening paragraph sets the scene around its thesis, unless it is
     * all there is; a closing region of one paragraph is a conclusion,
     * a closing section of several still argues. */
    assign_roles(a, lone ? NONE : opening, closing == last ? last : NONE);
    if (opening != NONE)
        a->opened = 1;

    for (size_t s = 0; s < m; s++) {
        held_sentence *k = &a->sents[s];
        if (k->excluded)
            continue;
        for (size_t i = k->first_comp; i < k->first_comp + k->ncomps; i++) {
            component *c = &a->comps[i];
            c->candidate = 1;
            c->role = c->main ? k->role : ROLE_PREMISE;
            c->rule_role = k->role == ROLE_NONE ? ROLE_NONE : c->role;
        }
    }
    return 0;
}

/* Link what the clause markers left open: claims to the major claim,
 * premises to the claim of their paragraph.  Heads become record ids. */
static void
link_components(arguments *a, size_t nc)
{
    size_t base = a->written;
    for (size_t i = 0; i < nc; i++)
        if (a->comps[i].head)
            a->comps[i].head += base;
    size_t major = a->major_id;
    for (size_t i = 0; i < nc && !major; i++)
        if (a->comps[i].role == ROLE_MAJOR)
            major = base + i + 1;
    /* the claims nearest before each component in its paragraph (kept_as
     * serves: dropping is done) */
    for (size_t i = 0; i < nc; i++) {
        component *c = &a->comps[i];
        size_t before = 0;
        if (i > 0 &&
            a->sents[a->comps[i - 1].sentence].paragraph == a->sents[c->sentence].paragraph) {
            const component *o = &a->comps[i - 1];
            before = o->role == ROLE_CLAIM || o->role == ROLE_MAJOR ? i : o->kept_as;
        }
        c->kept_as = before;
    }
    size_t after = 0;
    for (size_t i = nc; i > 0; i--) {
        component *c = &a->comps[i - 1];
        const held_sentence *k = &a->sents[c->sentence];
        size_t before = c->kept_as ? base + c->kept_as : 0;
        if (!before && a->continued && k->paragraph == a->continued_paragraph)
            before = a->carried_claim;
        size_t here_after = after;
        if (i < nc && a->sents[a->comps[i].sentence].paragraph != k->paragraph)
            here_after = 0;
        after = c->role == ROLE_CLAIM || c->role == ROLE_MAJOR ? i : here_after;
        unsigned mask = c->own | (c->at_lead ? k->lead_cues : 0);
        c->hedge = (mask & MASK(CUE_HEDGE)) != 0;
        if (c->role == ROLE_MAJOR || c->head) {
            if (c->contrast)
                c->marker = NONE;
            continue;
        }
        int attacks = (mask & MASK(CUE_CONTRAST)) != 0;
        if (!attacks && c->contrast)
            c->marker = NONE;
        c->relation = attacks ? REL_ATTACKS : REL_SUPPORTS;
        if (c->role == ROLE_CLAIM) {
            c->head = major;
        } else {
            /* the claim of the paragraph: a concluding one after it, else
             * the nearest before it, else the nearest after it */
            if (here_after &&
                a->sents[a->comps[here_after - 1].sentence].lead_cues & MASK(CUE_CONCLUSION))
                c->head = base + here_after;
            else if (before)
                c->head = before;
            else if (here_after)
                c->head = base + here_after;
            else
                c->head = major;
        }
        if (!c->head)
            c->relation = REL_NONE;
    }
    if (!a->major_id && major && major > base)
        a->major_id = major;
}

/* The decimal digits of v, written two at a time to end before `end`,
 * where a NUL goes: what "%llu" writes, without snprintf's cost on every
 * record.  Returns the first digit (at most 20 before end). */
static char *
format_number(char *end, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char *p = end;
    *p = '\0';
    /* 64-bit division only above 2^32: 32-bit is the cheaper */
    for (; v > UINT32_MAX; v /= 100) {
        unsigned d = (unsigned)(v % 100);
        *--p = pairs[2 * d + 1];
        *--p = pairs[2 * d];
    }
    uint32_t w = (uint32_t)v;
    for (; w >= 100; w /= 100) {
        unsigned d = w % 100;
        *--p = pairs[2 * d + 1];
        *--p = pairs[2 * d];
    }
    if (w >= 10) {
        *--p = pairs[2 * w + 1];
        *--p = pairs[2 * w];
    } else {
        *--p = (char)('0' + w);
    }
    return p;
}

/* Write comps[0, nc) as records.  The text field is the clause's text in
 * the arena, ended in place for the call (the host copies it). */
static int
write_components(arguments *a, tp_ctx *ctx, size_t nc)
{
    char id_buf[24], head_buf[24], start_buf[24], end_buf[24], sent_buf[24];
    for (size_t i = 0; i < nc; i++) {
        component *c = &a->comps[i];
        held_sentence *k = &a->sents[c->sentence];
        char *id = format_number(id_buf + 23, a->written + i + 1);
        *--id = 'A';
        const char *head = "-";
        if (c->head) {
            char *h = format_number(head_buf + 23, c->head);
            *--h = 'A';
            head = h;
        }
        char *text = a->text + k->text + (c->start - k->text_start);
        size_t len = (size_t)(c->end - c->start);
        char saved = text[len];
        text[len] = '\0';
        const char *shown = text;
        if (memchr(text, '\0', len) != NULL) {
            /* A field is a C string: a NUL of the input would end it
             * early, so it shows as U+FFFD (the offsets stay exact). */
            if (grow((void **)&a->nul_text, &a->nul_cap, 3 * len + 1, 1) < 0) {
                text[len] = saved;
                return a->host->fail(ctx, "out of memory");
            }
            size_t n = 0;
            for (size_t j = 0; j < len; j++) {
                if (text[j] != '\0') {
                    a->nul_text[n++] = text[j];
                } else {
                    memcpy(a->nul_text + n, "\xEF\xBF\xBD", 3);
                    n += 3;
                }
            }
            a->nul_text[n] = '\0';
            shown = a->nul_text;
        }
        const char *fields[] = {
            id,
            role_names[c->role],
            format_number(start_buf + 23, c->start),
            format_number(end_buf + 23, c->end),
            format_number(sent_buf + 23, k->index),
            relation_names[c->relation],
            head,
            c->marker != NONE ? a->text + c->marker : "-",
            c->hedge ? "1" : "0",
            shown,
        };
        int rc = a->host->write(ctx, "argument", fields, sizeof fields / sizeof *fields);
        text[len] = saved;
        if (rc != TP_OK)
            return TP_ERROR;
    }
    return TP_OK;
}

/* ---- the supervised mode: features of a candidate ---------------------- */

#define MAX_FEATURES 256

static uint32_t
feature_slot(const char *a, const char *b, const char *c)
{
    uint32_t h = FNV_START;
    const char *parts[] = {a, "\x1f", b, "\x1f", c};
    for (size_t p = 0; p < 5; p++)
        if (parts[p])
            h = fnv_add(h, parts[p], strlen(parts[p]));
    return h % ROLE_MODEL_SLOTS;
}

typedef struct feature_list {
    uint32_t slots[MAX_FEATURES];
    size_t n;
} feature_list;

static void
feature(feature_list *f, const char *a, const char *b, const char *c)
{
    if (f->n < MAX_FEATURES)
        f->slots[f->n++] = feature_slot(a, b, c);
}

static void
candidate_features(const arguments *a, const component *c, feature_list *f)
{
    static const char *const places[] = {"body", "opening", "conclusion", "section", "lone"};
    static const char *const sub_kinds[] = {"main", "reason", "result", "concession", "block"};
    const held_sentence *k = &a->sents[c->sentence];
    const paragraph_info *p = &a->paras[k->para];
    size_t seen = 0, at = 0;
    for (size_t s = p->first; s < p->first + p->count; s++)
        if (!a->sents[s].excluded) {
            seen++;
            if (s == c->sentence)
                at = seen;
        }
    const char *pos = seen == 1 ? "only" : at == 1 ? "first" : at == seen ? "last" : "mid";
    const char *place = places[p->place];
    const char *rule = role_names[c->rule_role];
    const char *sub = sub_kinds[c->sub_kind + 1];
    char num[16];

    f->n = 0;
    feature(f, "bias", NULL, NULL);
    feature(f, "rule", rule, NULL);
    feature(f, "rule", rule, sub);
    feature(f, "rule", rule, place);
    feature(f, "place", place, pos);
    feature(f, "place", place, sub);
    feature(f, "sub", sub, pos);
    snprintf(num, sizeof num, "%zu", seen < 8 ? seen : 8);
    feature(f, "sentences", num, place);
    size_t words = c->words;
    snprintf(num, sizeof num, "%zu", words / 4 < 10 ? words / 4 : 10);
    feature(f, "words", num, NULL);
    /* the neighbours' roles by the rules: claims and premises come in
     * patterns */
    const char *prev = "edge", *next = "edge";
    if (c->sentence > p->first && !a->sents[c->sentence - 1].excluded)
        prev = role_names[a->sents[c->sentence - 1].role];
    if (c->sentence + 1 < p->first + p->count && !a->sents[c->sentence + 1].excluded)
        next = role_names[a->sents[c->sentence + 1].role];
    feature(f, "prev", prev, rule);
    feature(f, "next", next, rule);
    for (int kind = 0; kind < NCUE; kind++) {
        if (k->lead_cues & MASK(kind)) {
            feature(f, "lead", cue_kind_names[kind], NULL);
            feature(f, "lead", cue_kind_names[kind], place);
            feature(f, "lead", cue_kind_names[kind], pos);
        }
        if (k->cues & MASK(kind))
            feature(f, "cue", cue_kind_names[kind], place);
        if (c->own & MASK(kind))
            feature(f, "own", cue_kind_names[kind], sub);
    }
}

/* Drop comps[0, nc) that have no role; heads follow the survivors.  The
 * number kept. */
static size_t
drop_unroled(arguments *a, size_t nc)
{
    size_t n = 0;
    for (size_t i = 0; i < nc; i++)
        a->comps[i].kept_as = a->comps[i].role == ROLE_NONE ? 0 : ++n;
    for (size_t i = 0; i < nc; i++) {
        component *c = &a->comps[i];
        if (!c->kept_as)
            continue;
        if (c->head) {
            c->head = a->comps[c->head - 1].kept_as;
            if (!c->head)
                c->relation = REL_NONE;
        }
        a->comps[c->kept_as - 1] = *c;
    }
    return n;
}

/* Write the candidates comps[0, nc) of the first held sentences; `cut`:
 * their last paragraph goes on, and its last claim is carried over to
 * the premises that follow. */
static int
write_segment(arguments *a, tp_ctx *ctx, size_t nc, int cut)
{
    feature_list f;
    for (size_t i = 0; i < nc; i++) {
        component *c = &a->comps[i];
        if (!c->candidate)
            continue;
        if (a->model) {
            candidate_features(a, c, &f);
            c->role = role_model_predict(a->model, f.slots, f.n);
        } else {
            c->role = c->rule_role;
        }
    }
    size_t kept = drop_unroled(a, nc);
    link_components(a, kept);
    if (write_components(a, ctx, kept) != TP_OK)
        return TP_ERROR;
    if (cut) {
        const paragraph_info *p = &a->paras[a->nparas - 1];
        size_t claim = p->cont_before ? a->carried_claim : 0;
        for (size_t i = kept; i > 0 && a->comps[i - 1].sentence >= p->first; i--)
            if (a->comps[i - 1].role == ROLE_CLAIM || a->comps[i - 1].role == ROLE_MAJOR) {
                claim = a->written + i;
                break;
            }
        a->carried_claim = claim;
    }
    a->written += kept;
    return TP_OK;
}

/* Learn from the candidates comps[0, nc): label each by the gold
 * component it matches at half overlap, as the scorer does. */
static int
learn_segment(arguments *a, tp_ctx *ctx, size_t nc)
{
    feature_list f;
    for (size_t i = 0; i < nc; i++) {
        component *c = &a->comps[i];
        if (!c->candidate)
            continue;
        uint64_t s = c->start, e = c->end;
        int label = ROLE_NONE;
        for (size_t g = 0; g < a->ngold; g++) {
            uint64_t lo = s > a->gold[g].start ? s : a->gold[g].start;
            uint64_t hi = e < a->gold[g].end ? e : a->gold[g].end;
            uint64_t longer = e - s > a->gold[g].end - a->gold[g].start
                                  ? e - s
                                  : a->gold[g].end - a->gold[g].start;
            if (hi > lo && (hi - lo) * 2 >= longer) {
                label = a->gold[g].role;
                break;
            }
        }
        candidate_features(a, c, &f);
        if (role_model_add(a->learner, f.slots, f.n, label) < 0)
            return a->host->fail(ctx, "out of memory");
    }
    return TP_OK;
}

/* Decide, write (or learn from) and let go of the first m held sentences:
 * the whole document when `final`; `cut`: their last paragraph goes on. */
static int
finish_segment(arguments *a, tp_ctx *ctx, size_t m, int final, int cut)
{
    size_t nc;
    if (build_candidates(a, m, final, cut, &nc) < 0)
        return a->host->fail(ctx, "out of memory");
    if ((a->learner ? learn_segment(a, ctx, nc) : write_segment(a, ctx, nc, cut)) != TP_OK)
        return TP_ERROR;
    if (final) {
        a->nsents = a->ncomps = a->text_len = 0;
        return TP_OK;
    }
    uint64_t next_start = m < a->nsents ? a->sents[m].start : a->sents[m - 1].end;
    if (a->learner) {
        /* gold spans that end before what is held are of no more use */
        size_t g = 0;
        for (size_t i = 0; i < a->ngold; i++)
            if (a->gold[i].end > next_start)
                a->gold[g++] = a->gold[i];
        a->ngold = g;
    }
    a->continued = cut;
    a->continued_paragraph = a->sents[m - 1].paragraph;
    a->segments++;
    /* what is held back moves to the front */
    size_t text = m < a->nsents ? a->sents[m].text : a->text_len;
    size_t comps = m < a->nsents ? a->sents[m].first_comp : a->ncomps;
    if (a->text_len > text) /* (a->text may still be NULL) */
        memmove(a->text, a->text + text, a->text_len - text);
    a->text_len -= text;
    if (a->ncomps > comps)
        memmove(a->comps, a->comps + comps, (a->ncomps - comps) * sizeof *a->comps);
    a->ncomps -= comps;
    for (size_t i = 0; i < a->ncomps; i++) {
        component *c = &a->comps[i];
        c->sentence -= m;
        if (c->head)
            c->head -= comps;
        if (c->marker != NONE)
            c->marker -= text;
    }
    if (a->nsents > m)
        memmove(a->sents, a->sents + m, (a->nsents - m) * sizeof *a->sents);
    a->nsents -= m;
    for (size_t s = 0; s < a->nsents; s++) {
        a->sents[s].text -= text;
        a->sents[s].first_comp -= comps;
    }
    return TP_OK;
}

/* The bytes held for held sentences [s, nsents). */
static size_t
held_bytes(const arguments *a, size_t s)
{
    if (s >= a->nsents)
        return 0;
    return a->text_len - a->sents[s].text + (a->nsents - s) * sizeof *a->sents +
           (a->ncomps - a->sents[s].first_comp) * sizeof *a->comps;
}

/* The held sentences fill the budget: write a segment before holding a
 * sentence of paragraph `next`.  Held back for the next segment, within
 * half the budget: the paragraph still open, the bios and headings that
 * end what is held, and the last paragraph before them (the closing one,
 * should only bios follow).  An open paragraph that fills half the budget
 * alone is cut. */
static int
write_early(arguments *a, tp_ctx *ctx, uint64_t next)
{
    size_t n = a->nsents, m = n, half = a->budget / 2;
    if (a->sents[n - 1].paragraph == next) {
        m = n - 1;
        while (m > 0 && a->sents[m - 1].paragraph == next)
            m--;
        if (m == 0 || held_bytes(a, m) > half)
            return finish_segment(a, ctx, n, 0, 1);
    }
    int argued = 0;
    while (m > 0) {
        size_t f = m - 1;
        while (f > 0 && a->sents[f - 1].paragraph == a->sents[m - 1].paragraph)
            f--;
        if (f == 0 || held_bytes(a, f) > half)
            break;
        int bio = 0;
        for (size_t s = f; s < m; s++)
            bio |= (a->sents[s].cues & MASK(CUE_BOILERPLATE)) != 0;
        const held_sentence *k = &a->sents[f];
        int heading = m - f == 1 && (k->flags & TP_SENT_HEADING || !k->statement);
        if (!bio && !heading && argued++)
            break;
        m = f;
    }
    return finish_segment(a, ctx, m, 0, 0);
}

/* ---- the stream ---------------------------------------------------------- */

static void
start_document(arguments *a)
{
    a->nsents = a->ncomps = a->text_len = a->nparas = 0;
    a->doc_sentences = a->last_paragraph = 0;
    a->segments = a->written = a->major_id = 0;
    a->opened = a->continued = 0;
    a->carried_claim = 0;
}

static int
begin_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)ctx;
    (void)doc;
    start_document(instance);
    return TP_OK;
}

/* Hold a sentence, writing a segment first when the budget is full. */
static int
take_sentence(arguments *a, tp_ctx *ctx, const tp_sentence *s, uint64_t paragraph, uint64_t index,
              uint64_t shift)
{
    if (a->nsents && held_bytes(a, 0) >= a->budget && write_early(a, ctx, paragraph) != TP_OK)
        return TP_ERROR;
    return hold_sentence(a, ctx, s, paragraph, index, shift);
}

static int
sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    return take_sentence(instance, ctx, s, s->paragraph, s->index, 0);
}

static int
end_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)doc;
    arguments *a = instance;
    if (a->nsents == 0)
        return TP_OK;
    return finish_segment(a, ctx, a->nsents, 1, 0);
}

/* ---- training ---------------------------------------------------------- */

/* Rows of the training file are paragraphs: columns essay (an id shared by
 * the rows of one text, in order), text, and components: `role start end`
 * triples joined by `;`, byte offsets into the row's text.  Paragraphs,
 * not whole essays, because a field holds no line break. */

static const char *
column(const tp_example *ex, const char *name)
{
    for (size_t i = 0; i < ex->nfields; i++)
        if (strcmp(ex->names[i], name) == 0)
            return ex->values[i];
    return NULL;
}

static int
role_index(const char *s, size_t len)
{
    for (int r = ROLE_MAJOR; r <= ROLE_PREMISE; r++)
        if (strlen(role_names[r]) == len && memcmp(role_names[r], s, len) == 0)
            return r;
    return -1;
}

/* Learn from what is held of the essay, and start the next. */
static int
learn_document(arguments *a, tp_ctx *ctx)
{
    if (a->nsents && finish_segment(a, ctx, a->nsents, 1, 0) != TP_OK)
        return TP_ERROR;
    start_document(a);
    a->ngold = 0;
    a->train_base = 0;
    return TP_OK;
}

static int
train_example(tp_ctx *ctx, void *instance, const tp_example *ex)
{
    arguments *a = instance;
    const char *essay = column(ex, "essay"), *comps = column(ex, "components");
    if (!essay || !comps)
        return a->host->fail(ctx, "training rows need the columns essay, text and components");
    if (!a->learner && !(a->learner = role_model_new()))
        return a->host->fail(ctx, "out of memory");
    if (!a->train_doc || strcmp(a->train_doc, essay) != 0) {
        if (learn_document(a, ctx) != TP_OK)
            return TP_ERROR;
        free(a->train_doc);
        if (!(a->train_doc = strdup(essay)))
            return a->host->fail(ctx, "out of memory");
    }
    for (const char *p = comps; *p;) {
        size_t len = strcspn(p, ";");
        const char *sp = memchr(p, ' ', len);
        unsigned long long start, end;
        int role = sp ? role_index(p, (size_t)(sp - p)) : -1;
        if (role < 0 || sscanf(sp, " %llu %llu", &start, &end) != 2 || start >= end)
            return a->host->fail(ctx, "components: want `role start end` triples joined by ';'");
        if (grow((void **)&a->gold, &a->gold_cap, a->ngold + 1, sizeof *a->gold) < 0)
            return a->host->fail(ctx, "out of memory");
        a->gold[a->ngold].role = role;
        a->gold[a->ngold].start = start + a->train_base;
        a->gold[a->ngold].end = end + a->train_base;
        a->ngold++;
        p += len;
        if (*p == ';')
            p++;
    }
    /* the row's paragraph number: one more than the last kept */
    uint64_t paragraph = a->doc_sentences ? a->last_paragraph + 1 : 0;
    for (size_t i = 0; i < ex->nsentences; i++)
        if (take_sentence(a, ctx, &ex->sentences[i], paragraph, a->doc_sentences, a->train_base) !=
            TP_OK)
            return TP_ERROR;
    a->train_base += strlen(ex->text) + 1;
    return TP_OK;
}

static int
train_finish(tp_ctx *ctx, void *instance, const char *model_path)
{
    arguments *a = instance;
    if (learn_document(a, ctx) != TP_OK)
        return TP_ERROR;
    if (!a->learner || role_model_examples(a->learner) == 0)
        return a->host->fail(ctx, "no training examples");
    role_model_fit(a->learner, TRAIN_EPOCHS);
    char err[512];
    if (role_model_save(a->learner, model_path, err, sizeof err) < 0)
        return a->host->fail(ctx, "%s", err);
    return TP_OK;
}

/* ---- the descriptor ------------------------------------------------------ */

static const tp_column argument_columns[] = {
    {"id", TP_ROLE_KEY},    {"role", TP_ROLE_KEY},     {"start", TP_ROLE_MIN},
    {"end", TP_ROLE_MAX},   {"sentence", TP_ROLE_MIN}, {"relation", TP_ROLE_TEXT},
    {"head", TP_ROLE_TEXT}, {"marker", TP_ROLE_TEXT},  {"hedge", TP_ROLE_MAX},
    {"text", TP_ROLE_TEXT},
};

static const tp_record_type records[] = {
    {"argument", argument_columns, sizeof argument_columns / sizeof *argument_columns},
};

static const tp_option options[] = {
    {"cues", "cue phrases: phrase<TAB>kind<TAB>lead|any", "cues.tsv"},
    {"markers", "clause markers: marker<TAB>kind<TAB>where", "markers.tsv"},
    {"model", "roles by a model of `textpipe train arguments` instead of the rules", NULL},
    {"budget", "bytes of a document held before it is written in segments", "1048576"},
};

static const tp_plugin descriptor = {
    .size = sizeof(tp_plugin),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .name = "arguments",
    .version = "0.1.0",
    .summary = "major claims, claims and premises at clause level, linked",
    .records = records,
    .nrecords = sizeof records / sizeof *records,
    .options = options,
    .noptions = sizeof options / sizeof *options,
    .create = create,
    .begin_document = begin_document,
    .sentence = sentence,
    .end_document = end_document,
    .destroy = destroy,
    .train_text_column = "text",
    .train_example = train_example,
    .train_finish = train_finish,
};

const tp_plugin *
textpipe_plugin_v1(void)
{
    return &descriptor;
}
