/* cues.c: lexicon-mode stance of one sentence toward a target (see cues.h). */
#include "config.h"

#include "cues.h"

#include "grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A negated cue flips and weakens ("not wise" is less than "unwise"). */
#define NEGATION_FACTOR (-0.75)
/* How many tokens before a cue a negator still reaches. */
#define NEGATION_REACH 4
/* Contrast: the clause before "but" counts half, the one after 1.5 times;
 * a concessive clause ("although ...") counts half. */
#define BEFORE_CONTRAST 0.5f
#define AFTER_CONTRAST 1.5f
#define CONCESSIVE 0.5f
/* An action's object starts within this many tokens after it; a passive
 * action's subject ends within this many before it. */
#define OBJECT_REACH 6
#define SUBJECT_REACH 8
/* An evaluative cue counts fully next to a mention, and less with each
 * token between them (halved at this distance). */
#define HALF_DISTANCE 5.0

/* The per-token lists go into one lexicon under their tags (a term in
 * two lists is two entries), the others into their own. */
static const struct {
    const char *file;
    size_t offset;
    int tag; /* CUE_LIST_* in per_token, or -1: a lexicon of its own */
    double fallback;
} lists[] = {
    {"stance-lexicon.tsv", offsetof(cue_lexicons, per_token), CUE_LIST_EVALUATIVE, 0},
    {"stance-actions.tsv", offsetof(cue_lexicons, per_token), CUE_LIST_ACTIONS, 0},
    {"stance-negators.txt", offsetof(cue_lexicons, negators), -1, 1},
    {"stance-degree.tsv", offsetof(cue_lexicons, degree), -1, 1},
    {"stance-contrast.tsv", offsetof(cue_lexicons, per_token), CUE_LIST_CONTRAST, 1},
    {"stance-prescriptive.tsv", offsetof(cue_lexicons, per_token), CUE_LIST_PRESCRIPTIVE, 1},
    {"stance-passive.txt", offsetof(cue_lexicons, passive), -1, 1},
};

static lexicon **
list_slot(cue_lexicons *cl, size_t i)
{
    return (lexicon **)((char *)cl + lists[i].offset);
}

int
cue_lexicons_load(cue_lexicons *cl, const tp_host *host, tp_ctx *ctx, const char *evaluative_path)
{
    memset(cl, 0, sizeof *cl);
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        lexicon **slot = list_slot(cl, i);
        char path[4096];
        const char *p = path;
        if (lists[i].tag == CUE_LIST_EVALUATIVE && evaluative_path)
            p = evaluative_path;
        else if (host->find_data(ctx, lists[i].file, path, sizeof path) != TP_OK)
            return host->fail(ctx, "data file %s not found (in %s)", lists[i].file,
                              host->data_dir(ctx));
        if (!*slot && !(*slot = lexicon_new()))
            return host->fail(ctx, "out of memory");
        if (lexicon_load_tagged(*slot, host, ctx, p, lists[i].tag < 0 ? 0 : (unsigned)lists[i].tag,
                                lists[i].fallback) != TP_OK)
            return TP_ERROR;
    }
    return TP_OK;
}

void
cue_lexicons_free(cue_lexicons *cl)
{
    lexicon_free(cl->per_token);
    lexicon_free(cl->negators);
    lexicon_free(cl->degree);
    lexicon_free(cl->passive);
    memset(cl, 0, sizeof *cl);
}

void
sentence_cues_free(sentence_cues *sc)
{
    free(sc->cues);
    free(sc->quoted);
    free(sc->factor);
    free(sc->hashes);
    free(sc->found);
    free(sc->hits);
    free(sc->hit_first);
    memset(sc, 0, sizeof *sc);
}

static int
is_punct(const tp_token *t, const char *set)
{
    return (t->flags & TP_TOK_PUNCT) && t->norm_len == 1 && strchr(set, t->norm[0]) != NULL;
}

/* Commas and stronger: where a clause (and a negation's reach) ends. */
static int
is_clause_break(const tp_token *t)
{
    return is_punct(t, ",;:.!?()");
}

/* A double quotation mark opens or closes a quotation; single ones are too
 * often apostrophes or scare quotes to tell a speaker. */
static int
is_double_quote(const tp_token *t)
{
    return (t->flags & TP_TOK_QUOTE) && t->norm_len >= 1 && t->norm[0] != '\'';
}

int
cues_quote_mark(const tp_token *t)
{
    return is_double_quote(t);
}

static int
reserve(sentence_cues *sc, size_t n)
{
    if (grow((void **)&sc->quoted, &sc->quoted_cap, n, sizeof *sc->quoted) ||
        grow((void **)&sc->factor, &sc->factor_cap, n, sizeof *sc->factor) ||
        grow((void **)&sc->hashes, &sc->hashes_cap, n, sizeof *sc->hashes) ||
        grow((void **)&sc->found, &sc->found_cap, n, sizeof *sc->found))
        return -1;
    return 0;
}

static int
add_cue(sentence_cues *sc, const cue *c)
{
    if (grow((void **)&sc->cues, &sc->cues_cap, sc->ncues + 1, sizeof *sc->cues))
        return -1;
    sc->cues[sc->ncues++] = *c;
    return 0;
}

/* Does an entry of lx end exactly at token `end` (starting within `reach`
 * tokens before it)?  Returns its start plus 1, or 0. */
static size_t
entry_before(const lexicon *lx, const tp_token *toks, const uint32_t *hashes, size_t n, size_t end,
             size_t reach, double *weight)
{
    for (size_t k = 1; k <= reach && k <= end; k++) {
        size_t at = end - k;
        if (is_clause_break(&toks[at]))
            return 0;
        double w;
        size_t len = lexicon_match_hashed(lx, toks, hashes, n, at, &w);
        if (len && at + len <= end) {
            if (weight)
                *weight = w;
            return at + 1;
        }
    }
    return 0;
}

/* The per-token lists' longest entries at every token, in one lookup a
 * token. */
static int
find_token_cues(sentence_cues *sc, const cue_lexicons *cl, const tp_token *toks, size_t n)
{
    size_t nhits = 0;
    if (grow((void **)&sc->hit_first, &sc->hit_first_cap, n + 1, sizeof *sc->hit_first) ||
        lexicon_match_tokens(cl->per_token, toks, sc->hashes, n, sc->hit_first, &sc->hits, &nhits,
                             &sc->hits_cap) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        token_cues *tc = &sc->found[i];
        memset(tc->len, 0, sizeof tc->len);
        for (uint32_t j = sc->hit_first[i]; j < sc->hit_first[i + 1]; j++) {
            const lexicon_hit *h = &sc->hits[j];
            if (h->len > tc->len[h->tag]) {
                tc->len[h->tag] = h->len;
                tc->weight[h->tag] = h->weight;
            }
        }
    }
    return 0;
}

static void
mark_contrast(sentence_cues *sc, const tp_token *toks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sc->factor[i] = 1.0f;
    for (size_t i = 0; i < n; i++) {
        size_t len = sc->found[i].len[CUE_LIST_CONTRAST];
        double w = sc->found[i].weight[CUE_LIST_CONTRAST];
        if (!len)
            continue;
        if (w > 0) {
            for (size_t k = 0; k < i; k++)
                sc->factor[k] *= BEFORE_CONTRAST;
            for (size_t k = i + len; k < n; k++)
                sc->factor[k] *= AFTER_CONTRAST;
        } else {
            for (size_t k = i; k < n && !is_punct(&toks[k], ",;:"); k++)
                sc->factor[k] *= CONCESSIVE;
        }
        i += len - 1;
    }
}

int
cues_scan(sentence_cues *sc, const cue_lexicons *cl, const tp_token *toks, size_t n, int *in_quote)
{
    sc->ncues = 0;
    sc->emphasis = 1.0;
    if (reserve(sc, n) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (is_double_quote(&toks[i]))
            *in_quote = !*in_quote;
        sc->quoted[i] = (uint8_t)*in_quote;
    }
    lexicon_hash_tokens(toks, n, sc->hashes);
    if (find_token_cues(sc, cl, toks, n) < 0)
        return -1;
    mark_contrast(sc, toks, n);
    for (size_t i = 0; i < n; i++) {
        double w, aw = 0, ew = 0;
        const token_cues *tc = &sc->found[i];
        size_t alen = tc->len[CUE_LIST_ACTIONS];
        size_t elen = tc->len[CUE_LIST_EVALUATIVE];
        size_t plen = tc->len[CUE_LIST_PRESCRIPTIVE];
        if (alen)
            aw = tc->weight[CUE_LIST_ACTIONS];
        if (elen)
            ew = tc->weight[CUE_LIST_EVALUATIVE];
        if (plen)
            w = tc->weight[CUE_LIST_PRESCRIPTIVE];
        if (plen && !sc->quoted[i] && w > sc->emphasis)
            sc->emphasis = w;
        if (!alen && !elen)
            continue;
        cue c = {0};
        c.action = alen >= elen;
        c.start = (uint32_t)i;
        c.end = (uint32_t)(i + (c.action ? alen : elen));
        c.weight = c.action ? aw : ew;
        if (c.weight == 0) {
            i = c.end - 1;
            continue;
        }
        /* Degree words stack ("very strongly"), nearest first. */
        size_t at = i, d;
        while ((d = entry_before(cl->degree, toks, sc->hashes, n, at, 1, &w)) != 0) {
            c.weight *= w;
            at = d - 1;
        }
        if (entry_before(cl->negators, toks, sc->hashes, n, at, NEGATION_REACH, NULL))
            c.weight *= NEGATION_FACTOR;
        c.weight *= sc->factor[i];
        c.quoted = sc->quoted[i];
        c.passive = c.action && entry_before(cl->passive, toks, sc->hashes, n, at, 2, NULL) != 0;
        if (add_cue(sc, &c) < 0)
            return -1;
        i = c.end - 1;
    }
    return 0;
}

/* Does the noun phrase right after an action (its object) reach token
 * `to`?  It ends at a clause break, or at a function word once a content
 * word has been seen: "avoid formal recognition of the cartel" is about
 * recognition, not the cartel; "support for the cartel" is about it. */
static int
object_reaches(const tp_token *toks, size_t from, size_t to)
{
    int content = 0;
    for (size_t k = from; k < to; k++) {
        if (is_clause_break(&toks[k]))
            return 0;
        if (toks[k].flags & TP_TOK_STOPWORD) {
            if (content)
                return 0;
        } else if (toks[k].flags & TP_TOK_WORD) {
            content = 1;
        }
    }
    return 1;
}

static int
break_between(const tp_token *toks, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (is_clause_break(&toks[k]))
            return 1;
    return 0;
}

/* What a cue of weight w says about the target through mention m. */
static double
through(const mention *m, double w)
{
    if (m->kind.concern)
        return m->kind.concern * fabs(w);
    return m->kind.sign * w;
}

/* The part of cue c that bears on the mentions. */
static double
cue_toward(const cue *c, const tp_token *toks, const mention *m, size_t nm)
{
    for (size_t k = 0; k < nm; k++)
        if (m[k].start < c->end && c->start < m[k].end)
            return 0; /* the target's own words judge nothing */
    if (c->action) {
        /* "avoid formal recognition": the action's object is the target;
         * "recognition should be avoided": the passive's subject is. */
        for (size_t k = 0; k < nm; k++) {
            if (m[k].start >= c->end && m[k].start < c->end + OBJECT_REACH &&
                object_reaches(toks, c->end, m[k].start))
                return through(&m[k], c->weight);
            if (c->passive && m[k].end <= c->start && m[k].end + SUBJECT_REACH > c->start &&
                !break_between(toks, m[k].end, c->start))
                return through(&m[k], c->weight);
        }
        return 0;
    }
    const mention *near = NULL;
    size_t best_gap = (size_t)-1;
    for (size_t k = 0; k < nm; k++) {
        size_t gap = c->end <= m[k].start ? m[k].start - c->end : c->start - m[k].end;
        if (gap < best_gap) {
            best_gap = gap;
            near = &m[k];
        }
    }
    if (!near)
        return 0;
    return through(near, c->weight) / (1.0 + (double)best_gap / HALF_DISTANCE);
}

double
cues_toward(sentence_cues *sc, const tp_token *toks, size_t n, const mention *m, size_t nm,
            int voice_all)
{
    (void)n;
    double sum = 0;
    for (size_t i = 0; i < sc->ncues; i++) {
        cue *c = &sc->cues[i];
        c->toward = cue_toward(c, toks, m, nm);
        if (!c->quoted || voice_all)
            sum += c->toward;
    }
    return sum * sc->emphasis;
}

void
cues_overall(const sentence_cues *sc, double *pos, double *neg)
{
    for (size_t i = 0; i < sc->ncues; i++) {
        const cue *c = &sc->cues[i];
        if (c->quoted)
            continue;
        if (c->weight > 0)
            *pos += c->weight;
        else
            *neg -= c->weight;
    }
}
