/* arguments.c: the `arguments` plugin: finds an article's major claims,
 * claims and premises at clause level and links each to what it supports
 * or attacks.
 *
 * Roles depend on where a sentence stands in the whole text (the thesis
 * sits in the opening paragraph and again in the closing one), so the
 * plugin keeps the document's sentences and decides at its end.  It works
 * by rules over cue phrases and clause markers read from data files
 * (data/cues.tsv, data/markers.tsv), matched by stem through the shared
 * lexicon: headings, questions, and trailing bios and disclaimers yield
 * nothing; the opening paragraph yields only its thesis; body paragraphs
 * open with a claim (unless they build up to a "therefore" claim at
 * their end) and argue for it in premises; a one-paragraph conclusion
 * restates claims.  Sentences split at one opening subordinate clause
 * ("Given X, Y") and at one marker inside ("X because Y"), and spans leave
 * out the opening connectives and stance phrases ("In conclusion, I
 * believe that"), as human annotators mark them.
 *
 * A supervised mode re-decides the roles: `textpipe train arguments` fits
 * a model (model.c) over the rules' candidates, their places, cues and
 * the rules' own verdicts, and -O arguments.model=FILE uses it.  The
 * rules stay the default: no model ships. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textpipe/plugin.h>

#include "lexicon.h"
#include "model.h"
#include "grow.h"
#include "token_run.h"

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

/* Roles, in the order of role_names. */
enum { ROLE_NONE, ROLE_MAJOR, ROLE_CLAIM, ROLE_PREMISE };
static const char *const role_names[] = {"-", "major_claim", "claim", "premise"};

enum { REL_NONE, REL_SUPPORTS, REL_ATTACKS };
static const char *const relation_names[] = {"-", "supports", "attacks"};

/* A sentence kept for the end of the document.  Token strings live in
 * the instance's text arena; tokens point into it once the document is
 * complete (the arena may move while it grows). */
typedef struct kept_sentence {
    uint64_t index, paragraph, start, end;
    uint32_t flags;
    size_t first_token, ntokens;
    size_t text;        /* offset of its verbatim text in the arena */
    unsigned cues;      /* MASK(CUE_*) of every cue in the sentence */
    unsigned lead_cues; /* MASK(CUE_*) of the cues opening it */
    size_t lead_end;    /* first token after the opening cues */
    int excluded;       /* heading, question, boilerplate: no component */
    int role;           /* ROLE_* the sentence's main clause gets */
    size_t para;        /* index into the paragraph list */
} kept_sentence;

typedef struct token_text {
    size_t surface, norm, stem; /* offsets into the text arena */
} token_text;

typedef struct component {
    size_t sentence; /* index into kept sentences */
    size_t from, to; /* token range within the sentence */
    int role, relation, hedge;
    int rule_role;                 /* what the rules alone say (ROLE_NONE: no component) */
    int sub_kind;                  /* MK_* of the marker opening a subordinate clause; -1 */
    size_t head;                   /* component index + 1; 0: none */
    size_t kept_as;                /* index + 1 after dropping; 0: dropped */
    size_t marker_from, marker_to; /* the marker's tokens; equal: none */
} component;

typedef struct paragraph_info {
    size_t first, count; /* kept sentences */
    size_t nargumentative;
    int boilerplate, heading;
    int place; /* PLACE_* */
} paragraph_info;

typedef struct arguments {
    const tp_host *host;
    tp_ctx *ctx;
    lexicon *phrases; /* cues.tsv and markers.tsv, tagged */

    char *text;
    size_t text_len, text_cap;
    kept_sentence *sents;
    size_t nsents, sents_cap;
    tp_token *toks;
    token_text *tok_text;
    size_t ntoks, toks_cap;
    /* Every phrase at every kept token, found once as the sentence is
     * kept: the rules ask about clauses of it many times over.  The hits
     * of token i are hits[hit_first[i], hit_first[i + 1]). */
    lexicon_hit *hits; /* tag: cue kind, or MARKER_TAG(marker kind) */
    size_t nhits, hits_cap;
    uint32_t *hit_first;
    size_t hit_first_cap;
    uint32_t *hashes; /* one sentence's stem hashes */
    size_t hashes_cap;
    component *comps;
    size_t ncomps, comps_cap;
    paragraph_info *paras;
    size_t nparas, paras_cap;
    char *field; /* scratch for the marker and text columns */
    size_t field_cap;

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
    FILE *f = fopen(path, "r");
    if (!f)
        return h->fail(a->ctx, "cannot open %s", path);
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
    free(line);
    fclose(f);
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
    free(a->text);
    free(a->sents);
    free(a->toks);
    free(a->tok_text);
    free(a->hits);
    free(a->hit_first);
    free(a->hashes);
    free(a->comps);
    free(a->paras);
    free(a->field);
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

/* ---- keeping the document ------------------------------------------------ */

static int
begin_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)ctx;
    (void)doc;
    arguments *a = instance;
    a->text_len = a->nsents = a->ntoks = a->ncomps = a->nparas = a->nhits = 0;
    return TP_OK;
}

/* Copy a string into the text arena, which has room for it (a sentence's
 * room is made once, not per string). */
static size_t
keep_string(arguments *a, const char *s, size_t len)
{
    size_t off = a->text_len;
    memcpy(a->text + off, s, len);
    a->text[off + len] = '\0';
    a->text_len += len + 1;
    return off;
}

/* Record the phrases at each token of s, just kept as the last s->ntokens
 * kept tokens. */
static int
find_hits(arguments *a, const tp_sentence *s)
{
    size_t n = s->ntokens, first = a->ntoks - n;
    if (grow((void **)&a->hashes, &a->hashes_cap, n ? n : 1, sizeof *a->hashes) < 0 ||
        grow((void **)&a->hit_first, &a->hit_first_cap, a->ntoks + 1, sizeof *a->hit_first) < 0)
        return -1;
    lexicon_hash_tokens(s->tokens, n, a->hashes);
    return lexicon_match_tokens(a->phrases, s->tokens, a->hashes, n, a->hit_first + first, &a->hits,
                                &a->nhits, &a->hits_cap);
}

/* Keep a sentence; `shift` moves its offsets (training rows are pieces of
 * one essay), `paragraph` and `index` place it in the document. */
static int
keep_sentence(arguments *a, tp_ctx *ctx, const tp_sentence *s, uint64_t paragraph, uint64_t index,
              uint64_t shift)
{
    if (grow((void **)&a->sents, &a->sents_cap, a->nsents + 1, sizeof *a->sents) < 0)
        return a->host->fail(ctx, "out of memory");
    size_t need = a->ntoks + s->ntokens, old_cap = a->toks_cap;
    if (grow((void **)&a->toks, &a->toks_cap, need, sizeof *a->toks) < 0)
        return a->host->fail(ctx, "out of memory");
    if (a->toks_cap != old_cap) {
        token_text *tt = realloc(a->tok_text, a->toks_cap * sizeof *tt);
        if (!tt)
            return a->host->fail(ctx, "out of memory");
        a->tok_text = tt;
    }
    kept_sentence *k = &a->sents[a->nsents];
    memset(k, 0, sizeof *k);
    k->index = index;
    k->paragraph = paragraph;
    k->start = s->start + shift;
    k->end = s->end + shift;
    k->flags = s->flags;
    k->first_token = a->ntoks;
    k->ntokens = s->ntokens;
    size_t room = (size_t)(s->end - s->start) + 1;
    for (size_t i = 0; i < s->ntokens; i++)
        room +=
            (size_t)s->tokens[i].surface_len + s->tokens[i].norm_len + s->tokens[i].stem_len + 3;
    if (grow((void **)&a->text, &a->text_cap, a->text_len + room, 1) < 0)
        return a->host->fail(ctx, "out of memory");
    k->text = keep_string(a, s->text, (size_t)(s->end - s->start));
    size_t run = token_run(s), base = a->text_len;
    if (run) {
        memcpy(a->text + base, s->tokens[0].surface, run);
        a->text_len += run;
    }
    uintptr_t first = run ? (uintptr_t)s->tokens[0].surface : 0;
    for (size_t i = 0; i < s->ntokens; i++) {
        const tp_token *t = &s->tokens[i];
        tp_token *c = &a->toks[a->ntoks];
        token_text *tt = &a->tok_text[a->ntoks];
        *c = *t;
        c->size = sizeof *c;
        c->start += shift;
        c->end += shift;
        if (run) {
            tt->surface = base + ((uintptr_t)t->surface - first);
            tt->norm = base + ((uintptr_t)t->norm - first);
            tt->stem = base + ((uintptr_t)t->stem - first);
        } else {
            tt->surface = keep_string(a, t->surface, t->surface_len);
            tt->norm = keep_string(a, t->norm, t->norm_len);
            tt->stem = keep_string(a, t->stem, t->stem_len);
        }
        a->ntoks++;
    }
    if (find_hits(a, s) < 0)
        return a->host->fail(ctx, "out of memory");
    a->nsents++;
    return TP_OK;
}

static int
sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    return keep_sentence(instance, ctx, s, s->paragraph, s->index, 0);
}

/* ---- reading a sentence -------------------------------------------------- */

static int
is_punct(const tp_token *t, const char *p)
{
    return (t->flags & TP_TOK_PUNCT) && t->norm_len == strlen(p) &&
           memcmp(t->norm, p, t->norm_len) == 0;
}

static int
is_clause_break(const tp_token *t)
{
    return is_punct(t, ",") || is_punct(t, ";") || is_punct(t, ":");
}

static int
is_word(const tp_token *t)
{
    return (t->flags & (TP_TOK_WORD | TP_TOK_NUMBER)) != 0;
}

static size_t
count_words(const tp_token *toks, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += is_word(&toks[i]);
    return n;
}

/* The phrases found at toks[i] (toks: a kept sentence's tokens), in
 * *count. */
static const lexicon_hit *
hits_at(const arguments *a, const tp_token *toks, size_t i, size_t *count)
{
    size_t g = (size_t)(toks - a->toks) + i;
    *count = a->hit_first[g + 1] - a->hit_first[g];
    return a->hits + a->hit_first[g];
}

/* The longest phrase with a tag in [lo, hi) starting at i and ending
 * within n; on equal lengths the lower tag.  Its length, or 0; its tag
 * and weight in *tag and *weight. */
static size_t
longest_hit(const arguments *a, const tp_token *toks, size_t n, size_t i, unsigned lo, unsigned hi,
            unsigned *tag, double *weight)
{
    if (i >= n)
        return 0;
    size_t count, best = 0;
    const lexicon_hit *h = hits_at(a, toks, i, &count);
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
match_cue(const arguments *a, const tp_token *toks, size_t n, size_t i, int *kind, double *weight)
{
    unsigned tag = 0;
    size_t len = longest_hit(a, toks, n, i, 0, NCUE, &tag, weight);
    if (len)
        *kind = (int)tag;
    return len;
}

/* Skip the cues that open a clause at `from` ("However, I believe that"),
 * and the commas after them; return where the clause proper starts.
 * *mask gets the kinds skipped, *m_from and *m_to the first cue's tokens. */
static size_t
skip_lead(const arguments *a, const tp_token *toks, size_t from, size_t to, unsigned *mask,
          size_t *m_from, size_t *m_to)
{
    size_t i = from;
    for (;;) {
        while (i < to && is_clause_break(&toks[i]))
            i++;
        int kind = 0;
        double w = 0;
        size_t len = match_cue(a, toks, to, i, &kind, &w);
        if (len == 0 || w != CUE_LEAD || i + len >= to)
            break;
        /* never swallow the whole clause */
        if (count_words(toks, i + len, to) < 2)
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

/* The kinds of the cues inside toks[from, to): short lead cues count only
 * where they open the clause (skip_lead), as "but" or "so" inside a
 * clause links words, not claims; "some people believe that" is a cue
 * wherever it stands. */
static unsigned
cues_in(const arguments *a, const tp_token *toks, size_t from, size_t to)
{
    unsigned mask = 0;
    for (size_t i = from; i < to; i++) {
        size_t count;
        const lexicon_hit *h = hits_at(a, toks, i, &count);
        if (count) {
            /* each kind's longest cue that fits decides for the kind */
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
        /* figures and dates are evidence */
        if (toks[i].flags & TP_TOK_NUMBER)
            mask |= MASK(CUE_EVIDENCE);
    }
    return mask;
}

/* The end of a clause without its closing punctuation; a closing quote or
 * bracket stays, as it belongs to what it closes. */
static size_t
trim_end(const tp_token *toks, size_t from, size_t to)
{
    while (to > from && (toks[to - 1].flags & TP_TOK_PUNCT) &&
           !(toks[to - 1].flags & TP_TOK_QUOTE) && !is_punct(&toks[to - 1], ")"))
        to--;
    return to;
}

static int
ends_as_statement(const tp_token *toks, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        const tp_token *t = &toks[i - 1];
        if (t->flags & TP_TOK_QUOTE || is_punct(t, ")"))
            continue;
        return is_punct(t, ".") || is_punct(t, "!") || is_punct(t, "...");
    }
    return 0;
}

static int
is_question(const tp_token *toks, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        const tp_token *t = &toks[i - 1];
        if (t->flags & TP_TOK_QUOTE || is_punct(t, ")"))
            continue;
        return is_punct(t, "?");
    }
    return 0;
}

/* ---- the document -------------------------------------------------------- */

static void
fix_token_pointers(arguments *a)
{
    for (size_t i = 0; i < a->ntoks; i++) {
        a->toks[i].surface = a->text + a->tok_text[i].surface;
        a->toks[i].norm = a->text + a->tok_text[i].norm;
        a->toks[i].stem = a->text + a->tok_text[i].stem;
    }
}

static const tp_token *
tokens_of(const arguments *a, const kept_sentence *k)
{
    return a->toks + k->first_token;
}

static void
read_sentences(arguments *a)
{
    for (size_t s = 0; s < a->nsents; s++) {
        kept_sentence *k = &a->sents[s];
        const tp_token *t = tokens_of(a, k);
        size_t mf = 0, mt = 0;
        k->lead_end = skip_lead(a, t, 0, k->ntokens, &k->lead_cues, &mf, &mt);
        /* "Despite all this, I think that X": a short opening phrase
         * before the author's own stance is no part of the thesis. */
        if (!(k->lead_cues & (MASK(CUE_STANCE) | MASK(CUE_CONCLUSION)))) {
            for (size_t j = k->lead_end; j < k->ntokens && j < k->lead_end + 12; j++) {
                if (!is_punct(&t[j], ","))
                    continue;
                int kind = 0;
                double w = 0;
                size_t len = match_cue(a, t, k->ntokens, j + 1, &kind, &w);
                /* a one-word "so" after a comma links two clauses */
                if (len && w == CUE_LEAD &&
                    (kind == CUE_STANCE || (kind == CUE_CONCLUSION && len >= 3))) {
                    k->lead_end = skip_lead(a, t, j + 1, k->ntokens, &k->lead_cues, &mf, &mt);
                    break;
                }
            }
        }
        /* "I agree with the second view that X": the author's verb of
         * stance and what it governs up to "that" are no part of X. */
        {
            int kind = 0;
            double w = 0;
            size_t len = match_cue(a, t, k->ntokens, k->lead_end, &kind, &w);
            if (len && kind == CUE_STANCE) {
                for (size_t j = k->lead_end + len;
                     j < k->ntokens && j < k->lead_end + len + 8 && !(t[j].flags & TP_TOK_PUNCT);
                     j++)
                    if (t[j].norm_len == 4 && memcmp(t[j].norm, "that", 4) == 0 &&
                        count_words(t, j + 1, k->ntokens) >= MIN_CLAUSE_WORDS) {
                        k->lead_cues |= MASK(CUE_STANCE);
                        k->lead_end = j + 1;
                        break;
                    }
            }
        }
        k->cues = cues_in(a, t, 0, k->ntokens) | k->lead_cues;
        if (k->flags & TP_SENT_HEADING || is_question(t, k->ntokens) ||
            count_words(t, 0, k->ntokens) < 3 || k->cues & MASK(CUE_BOILERPLATE))
            k->excluded = 1;
    }
}

static int
group_paragraphs(arguments *a)
{
    for (size_t s = 0; s < a->nsents; s++) {
        kept_sentence *k = &a->sents[s];
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
    for (size_t i = 0; i < a->nparas; i++) {
        paragraph_info *p = &a->paras[i];
        kept_sentence *k = &a->sents[p->first];
        /* A lone line that does not end as a statement is a title or a
         * heading, whatever the core made of it. */
        if (p->count == 1 &&
            (k->flags & TP_SENT_HEADING || !ends_as_statement(tokens_of(a, k), k->ntokens)))
            p->heading = 1;
        /* so is a short first line over a longer text, full stop or not */
        if (i == 0 && p->count == 1 && a->nparas > 1 &&
            count_words(tokens_of(a, k), 0, k->ntokens) < TITLE_WORDS)
            p->heading = 1;
        if (p->heading)
            k->excluded = 1;
    }
    /* Bios and disclaimers trail the article: drop the whole paragraphs. */
    for (size_t i = a->nparas; i > 0; i--) {
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
thesis_strength(const kept_sentence *k, int closing)
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
choose_major_claims(arguments *a, size_t opening, size_t closing_first)
{
    /* Opening paragraph: its last, strongest thesis sentence. */
    paragraph_info *p = &a->paras[opening];
    size_t best = (size_t)-1;
    int best_strength = 0;
    for (size_t s = p->first; s < p->first + p->count; s++) {
        int st = thesis_strength(&a->sents[s], 0);
        if (st > 0 && st >= best_strength) {
            best = s;
            best_strength = st;
        }
    }
    if (best != (size_t)-1)
        a->sents[best].role = ROLE_MAJOR;

    if (closing_first == (size_t)-1)
        return;
    /* Closing region: its first, strongest thesis sentence. */
    size_t first = a->paras[closing_first].first;
    size_t last = a->nsents;
    best = (size_t)-1;
    best_strength = 0;
    for (size_t s = first; s < last; s++) {
        int st = thesis_strength(&a->sents[s], 1);
        if (st > best_strength) {
            best = s;
            best_strength = st;
        }
    }
    if (best == (size_t)-1)
        for (size_t s = first; s < last; s++)
            if (!a->sents[s].excluded) {
                best = s;
                break;
            }
    if (best != (size_t)-1)
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
        for (size_t s = p->first + p->count; s > p->first; s--) {
            kept_sentence *k = &a->sents[s - 1];
            if (k->excluded)
                continue;
            concludes = s - 1 > p->first && (k->lead_cues & MASK(CUE_CONCLUSION)) != 0;
            break;
        }
        size_t seen = 0;
        for (size_t s = p->first; s < p->first + p->count; s++) {
            kept_sentence *k = &a->sents[s];
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
            int first = seen == 1;
            int last = seen == p->nargumentative && seen > 1;
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

static int
add_component(arguments *a, size_t sent, size_t from, size_t to, int role)
{
    if (grow((void **)&a->comps, &a->comps_cap, a->ncomps + 1, sizeof *a->comps) < 0)
        return -1;
    component *c = &a->comps[a->ncomps++];
    memset(c, 0, sizeof *c);
    c->sentence = sent;
    c->from = from;
    c->to = to;
    c->role = role;
    c->sub_kind = -1;
    return 0;
}

/* The longest marker at i: its kind, or -1. */
static int
match_marker(const arguments *a, const tp_token *toks, size_t n, size_t i, size_t *len, int *where)
{
    unsigned tag = 0;
    double w = 0;
    *len = longest_hit(a, toks, n, i, MARKER_TAG(0), MARKER_TAG(NMK), &tag, &w);
    if (!*len)
        return -1;
    *where = (int)w;
    return (int)(tag - MARKER_TAG(0));
}

/* Cut one sentence into its clauses and add them as components: an
 * opening subordinate clause ("Given X, Y"), then at most one marker
 * inside ("X because Y", "X, so Y"). */
static int
split_sentence(arguments *a, size_t s)
{
    kept_sentence *k = &a->sents[s];
    const tp_token *t = tokens_of(a, k);
    size_t n = k->ntokens;
    size_t from = k->lead_end;
    size_t to = trim_end(t, from, n);
    size_t first_comp = a->ncomps;
    size_t main_from = from;

    size_t mlen;
    int where = 0;
    int kind = match_marker(a, t, to, from, &mlen, &where);
    if (kind >= 0 && kind != MK_BLOCK && where & WHERE_INITIAL) {
        int depth = 0;
        size_t comma = 0;
        for (size_t i = from + mlen; i < to; i++) {
            if (is_punct(&t[i], "("))
                depth++;
            else if (is_punct(&t[i], ")") && depth > 0)
                depth--;
            else if (depth == 0 && is_clause_break(&t[i])) {
                comma = i;
                break;
            }
        }
        if (comma && count_words(t, from + mlen, comma) >= MIN_CLAUSE_WORDS &&
            count_words(t, comma + 1, to) >= MIN_CLAUSE_WORDS) {
            if (add_component(a, s, from + mlen, comma, ROLE_PREMISE) < 0)
                return -1;
            component *c = &a->comps[a->ncomps - 1];
            c->relation = kind == MK_CONCESSION ? REL_ATTACKS : REL_SUPPORTS;
            c->sub_kind = kind;
            c->marker_from = from;
            c->marker_to = from + mlen;
            main_from = skip_lead(a, t, comma + 1, to, NULL, NULL, NULL);
        }
    }

    /* One marker inside the main clause. */
    size_t split = 0, split_len = 0;
    int split_kind = -1;
    for (size_t i = main_from + 1; i < to; i++) {
        kind = match_marker(a, t, to, i, &mlen, &where);
        if (kind < 0)
            continue;
        if (kind == MK_BLOCK) {
            i += mlen - 1;
            continue;
        }
        if (!(where & WHERE_INNER))
            continue;
        if (where & WHERE_AFTER_COMMA && !is_clause_break(&t[i - 1]))
            continue;
        if (count_words(t, main_from, i) < MIN_CLAUSE_WORDS ||
            count_words(t, i + mlen, to) < MIN_CLAUSE_WORDS)
            continue;
        split = i;
        split_len = mlen;
        split_kind = kind;
        break;
    }
    size_t head_comp;
    if (split) {
        size_t left_to = split;
        while (left_to > main_from && is_clause_break(&t[left_to - 1]))
            left_to--;
        size_t right_from = skip_lead(a, t, split + split_len, to, NULL, NULL, NULL);
        int result = split_kind == MK_RESULT;
        if (add_component(a, s, main_from, left_to, result ? ROLE_PREMISE : k->role) < 0 ||
            add_component(a, s, right_from, to, result ? k->role : ROLE_PREMISE) < 0)
            return -1;
        component *sub = &a->comps[a->ncomps - (result ? 2 : 1)];
        head_comp = a->ncomps - (result ? 1 : 2);
        sub->head = head_comp + 1;
        sub->relation = split_kind == MK_CONCESSION ? REL_ATTACKS : REL_SUPPORTS;
        sub->sub_kind = split_kind;
        sub->marker_from = split;
        sub->marker_to = split + split_len;
    } else {
        if (add_component(a, s, main_from, to, k->role) < 0)
            return -1;
        head_comp = a->ncomps - 1;
    }
    /* The opening clause supports the main clause. */
    if (first_comp < a->ncomps && a->comps[first_comp].head == 0 && first_comp != head_comp &&
        a->comps[first_comp].marker_to)
        a->comps[first_comp].head = head_comp + 1;
    return 0;
}

/* Link what the clause markers left open: claims to the major claim,
 * premises to the claim of their paragraph. */
static void
link_components(arguments *a)
{
    size_t major = 0;
    for (size_t i = 0; i < a->ncomps; i++)
        if (a->comps[i].role == ROLE_MAJOR) {
            major = i + 1;
            break;
        }
    for (size_t i = 0; i < a->ncomps; i++) {
        component *c = &a->comps[i];
        kept_sentence *k = &a->sents[c->sentence];
        const tp_token *t = tokens_of(a, k);
        unsigned mask = cues_in(a, t, c->from, c->to);
        if (c->from == k->lead_end)
            mask |= k->lead_cues;
        c->hedge = (mask & MASK(CUE_HEDGE)) != 0;
        if (c->role == ROLE_MAJOR || c->head)
            continue;
        int attacks = (mask & MASK(CUE_CONTRAST)) != 0;
        if (attacks && c->marker_from == c->marker_to) {
            /* name the contrast cue: one that opened the sentence, or a
             * reported view inside the clause ("some scholars believe") */
            size_t j = c->from == k->lead_end ? 0 : c->from;
            while (j < c->to) {
                int kind = 0;
                double w = 0;
                size_t len = match_cue(a, t, k->ntokens, j, &kind, &w);
                if (len && kind == CUE_CONTRAST && (j < k->lead_end || w != CUE_LEAD || len >= 3)) {
                    c->marker_from = j;
                    c->marker_to = j + len;
                    break;
                }
                j += len ? len : 1;
            }
        }
        c->relation = attacks ? REL_ATTACKS : REL_SUPPORTS;
        if (c->role == ROLE_CLAIM) {
            c->head = major;
        } else {
            /* the claim of the paragraph: a concluding one after it, else
             * the nearest before it, else the nearest after it */
            uint64_t para = k->paragraph;
            size_t before = 0, after = 0;
            for (size_t j = i; j > 0; j--) {
                component *o = &a->comps[j - 1];
                if (a->sents[o->sentence].paragraph != para)
                    break;
                if (o->role == ROLE_CLAIM || o->role == ROLE_MAJOR) {
                    before = j;
                    break;
                }
            }
            for (size_t j = i + 1; j < a->ncomps; j++) {
                component *o = &a->comps[j];
                if (a->sents[o->sentence].paragraph != para)
                    break;
                if (o->role == ROLE_CLAIM || o->role == ROLE_MAJOR) {
                    after = j + 1;
                    break;
                }
            }
            if (after && a->sents[a->comps[after - 1].sentence].lead_cues & MASK(CUE_CONCLUSION))
                c->head = after;
            else if (before)
                c->head = before;
            else if (after)
                c->head = after;
            else
                c->head = major;
        }
        if (!c->head)
            c->relation = REL_NONE;
    }
}

/* The decimal digits of v, NUL-terminated, into buf (21 bytes at least):
 * what "%llu" writes, without snprintf's cost on every record. */
static void
format_number(char *buf, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t j = 0; j < n; j++)
        buf[j] = tmp[n - 1 - j];
    buf[n] = '\0';
}

static int
write_components(arguments *a, tp_ctx *ctx)
{
    for (size_t i = 0; i < a->ncomps; i++) {
        component *c = &a->comps[i];
        kept_sentence *k = &a->sents[c->sentence];
        const tp_token *t = tokens_of(a, k);
        uint64_t start = t[c->from].start, end = t[c->to - 1].end;
        char id[32], head[32], s_start[32], s_end[32], s_sent[32];
        id[0] = 'A';
        format_number(id + 1, i + 1);
        if (c->head) {
            head[0] = 'A';
            format_number(head + 1, c->head);
        } else {
            strcpy(head, "-");
        }
        format_number(s_start, start);
        format_number(s_end, end);
        format_number(s_sent, k->index);

        /* the marker as its tokens read; the text verbatim from input */
        size_t need = (size_t)(end - start) + 2;
        for (size_t j = c->marker_from; j < c->marker_to; j++)
            need += t[j].surface_len + 1;
        if (grow((void **)&a->field, &a->field_cap, need + 2, 1) < 0)
            return a->host->fail(ctx, "out of memory");
        char *marker = a->field;
        size_t m = 0;
        size_t marker_to = trim_end(t, c->marker_from, c->marker_to);
        for (size_t j = c->marker_from; j < marker_to; j++) {
            if (j > c->marker_from)
                marker[m++] = ' ';
            memcpy(marker + m, t[j].surface, t[j].surface_len);
            m += t[j].surface_len;
        }
        if (m == 0)
            marker[m++] = '-';
        marker[m++] = '\0';
        char *text = marker + m;
        memcpy(text, a->text + k->text + (start - k->start), (size_t)(end - start));
        text[end - start] = '\0';
        const char *fields[] = {
            id,
            role_names[c->role],
            s_start,
            s_end,
            s_sent,
            relation_names[c->relation],
            c->head ? head : "-",
            marker,
            c->hedge ? "1" : "0",
            text,
        };
        if (a->host->write(ctx, "argument", fields, sizeof fields / sizeof *fields) != TP_OK)
            return TP_ERROR;
    }
    return TP_OK;
}

/* Where a paragraph stands, for the roles and the model's features. */
enum { PLACE_BODY, PLACE_OPENING, PLACE_CONCLUSION, PLACE_CLOSING_SECTION, PLACE_LONE };

/* Read the kept document and build every candidate component: each clause
 * of each sentence that is no heading, bio or question, with the role the
 * rules give it (ROLE_NONE when the rules leave it out); each paragraph
 * gets its PLACE_*. */
static int
build_candidates(arguments *a)
{
    fix_token_pointers(a);
    read_sentences(a);
    if (group_paragraphs(a) < 0)
        return -1;
    size_t opening = (size_t)-1, last = (size_t)-1, last_heading = (size_t)-1;
    for (size_t i = 0; i < a->nparas; i++) {
        if (a->paras[i].nargumentative) {
            if (opening == (size_t)-1)
                opening = i;
            last = i;
        } else if (a->paras[i].heading && opening != (size_t)-1) {
            last_heading = i;
        }
    }
    if (opening == (size_t)-1)
        return 0;
    /* The closing region: the last section when headings cut the article
     * into sections, else the last paragraph. */
    size_t closing = last;
    if (last_heading != (size_t)-1 && last_heading < last)
        closing = last_heading + 1;
    while (closing < last && !a->paras[closing].nargumentative)
        closing++;
    if (closing <= opening)
        closing = (size_t)-1;
    for (size_t i = 0; i < a->nparas; i++)
        a->paras[i].place = i == opening && opening == last         ? PLACE_LONE
                            : i == opening                          ? PLACE_OPENING
                            : closing == last && i == last          ? PLACE_CONCLUSION
                            : closing != (size_t)-1 && i >= closing ? PLACE_CLOSING_SECTION
                                                                    : PLACE_BODY;
    choose_major_claims(a, opening, closing);
    /* An opening paragraph sets the scene around its thesis, unless it is
     * all there is; a closing region of one paragraph is a conclusion,
     * a closing section of several still argues. */
    assign_roles(a, opening == last ? (size_t)-1 : opening, closing == last ? last : (size_t)-1);

    for (size_t s = 0; s < a->nsents; s++) {
        kept_sentence *k = &a->sents[s];
        if (k->excluded)
            continue;
        size_t first = a->ncomps;
        if (split_sentence(a, s) < 0)
            return -1;
        for (size_t c = first; c < a->ncomps; c++)
            a->comps[c].rule_role = k->role == ROLE_NONE ? ROLE_NONE : a->comps[c].role;
    }
    return 0;
}

/* ---- the supervised mode: features of a candidate ---------------------- */

#define MAX_FEATURES 256

static uint32_t
feature_slot(const char *a, const char *b, const char *c)
{
    uint32_t h = 2166136261u;
    const char *parts[] = {a, "\x1f", b, "\x1f", c};
    for (size_t p = 0; p < 5; p++)
        for (const char *q = parts[p]; q && *q; q++) {
            h ^= (unsigned char)*q;
            h *= 16777619u;
        }
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
    const kept_sentence *k = &a->sents[c->sentence];
    const paragraph_info *p = &a->paras[k->para];
    const tp_token *t = tokens_of(a, k);
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
    size_t words = count_words(t, c->from, c->to);
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
    unsigned own = cues_in(a, t, c->from, c->to);
    for (int kind = 0; kind < NCUE; kind++) {
        if (k->lead_cues & MASK(kind)) {
            feature(f, "lead", cue_kind_names[kind], NULL);
            feature(f, "lead", cue_kind_names[kind], place);
            feature(f, "lead", cue_kind_names[kind], pos);
        }
        if (k->cues & MASK(kind))
            feature(f, "cue", cue_kind_names[kind], place);
        if (own & MASK(kind))
            feature(f, "own", cue_kind_names[kind], sub);
    }
}

/* The roles the model gives the candidates. */
static void
model_roles(arguments *a)
{
    feature_list f;
    for (size_t i = 0; i < a->ncomps; i++) {
        candidate_features(a, &a->comps[i], &f);
        a->comps[i].role = role_model_predict(a->model, f.slots, f.n);
    }
}

/* Drop the candidates without a role; heads follow the survivors. */
static void
drop_unroled(arguments *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->ncomps; i++)
        a->comps[i].kept_as = a->comps[i].role == ROLE_NONE ? 0 : ++n;
    for (size_t i = 0; i < a->ncomps; i++) {
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
    a->ncomps = n;
}

static int
end_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)doc;
    arguments *a = instance;
    if (a->nsents == 0)
        return TP_OK;
    if (build_candidates(a) < 0)
        return a->host->fail(ctx, "out of memory");
    if (a->model)
        model_roles(a);
    else
        for (size_t i = 0; i < a->ncomps; i++)
            a->comps[i].role = a->comps[i].rule_role;
    drop_unroled(a);
    link_components(a);
    return write_components(a, ctx);
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

/* Learn from the essay kept so far: label each candidate by the gold
 * component it matches at half overlap, as the scorer does. */
static int
learn_document(arguments *a, tp_ctx *ctx)
{
    if (a->nsents == 0) {
        a->ngold = 0;
        a->train_base = 0;
        return TP_OK;
    }
    if (build_candidates(a) < 0)
        return a->host->fail(ctx, "out of memory");
    feature_list f;
    for (size_t i = 0; i < a->ncomps; i++) {
        component *c = &a->comps[i];
        const kept_sentence *k = &a->sents[c->sentence];
        const tp_token *t = tokens_of(a, k);
        uint64_t s = t[c->from].start, e = t[c->to - 1].end;
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
    a->text_len = a->nsents = a->ntoks = a->ncomps = a->nparas = a->nhits = 0;
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
        a->nparas = 0;
    }
    /* the row's paragraph number: one more than the last kept */
    uint64_t paragraph = a->nsents ? a->sents[a->nsents - 1].paragraph + 1 : 0;
    for (size_t i = 0; i < ex->nsentences; i++)
        if (keep_sentence(a, ctx, &ex->sentences[i], paragraph, a->nsents, a->train_base) != TP_OK)
            return TP_ERROR;
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
