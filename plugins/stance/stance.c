/* stance.c: the stance plugin: for each document and target, FAVOR,
 * AGAINST or NONE, from cue lexicons (the default) or a trained model, with
 * the sentences that say so.
 *
 * With targets given, sentences are judged as they come.  Without, the
 * targets are the document's most mentioned names, known only at its end,
 * so the document is kept until then, compactly (stored_token: a token's
 * lengths, flags and screen slot, its strings copied as the host lends
 * them, about 30 bytes a token; no cues), and judged at its end in two
 * passes that find cues only in the sentences that name a target and,
 * when a target's own sentences say nothing, in the ones next to them.
 *
 * Memory is bounded by -O stance.budget (KB, default DEFAULT_BUDGET_KB):
 * when what is kept of a document (its tokens and the names counted)
 * passes it, the top names so far become the document's targets, what was
 * kept is judged against them, and the rest of the document is judged as
 * it comes, as with given targets, its names no longer counted.  Below the
 * budget (documents up to about 350 KB of English text with the default)
 * the result is the same as keeping everything; above it, a name that
 * only becomes one of the most mentioned after the budget is not a
 * target, and the counts of the chosen ones cover the whole document. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <textpipe/plugin.h>

#include "cues.h"
#include "fnv.h"
#include "grow.h"
#include "model.h"
#include "names.h"
#include "targets.h"

/* Lexicon mode: score = total / sqrt(total^2 + SCORE_SPREAD), a number in
 * (-1, 1) that grows with the evidence but never reaches its ends. */
#define SCORE_SPREAD 4.0
/* |score| below this is NONE. */
#define SCORE_THRESHOLD 0.1
/* A sentence whose polarity is smaller than this is neither for nor
 * against. */
#define SENTENCE_EPSILON 0.05
/* Model mode: NONE wins only when its probability, times this, is still
 * the highest. */
#define NONE_DISCOUNT 0.8
/* A sentence next to one that names a target, in the same paragraph,
 * counts this much of its own evaluative cues toward it (tweets and short
 * paragraphs name a target once and judge it in the next breath), but
 * only when the sentences that name the target say nothing themselves. */
#define CONTEXT_WEIGHT 0.5
/* With no targets given: the document's most mentioned names. */
#define NAMED_TARGETS 5
#define NAMED_MIN_MENTIONS 2
/* ... found in the first this many KB kept of it (see the top). */
#define DEFAULT_BUDGET_KB 1536

static const tp_column stance_columns[] = {
    {"target", TP_ROLE_KEY},
    {"label", TP_ROLE_TEXT},
    /* There is no mean role; the strongest score survives a merge. */
    {"score", TP_ROLE_MAX},
    {"mentions", TP_ROLE_SUM},
    {"favor", TP_ROLE_SUM},
    {"against", TP_ROLE_SUM},
};

static const tp_column evidence_columns[] = {
    {"target", TP_ROLE_KEY}, {"sentence", TP_ROLE_KEY}, {"start", TP_ROLE_MIN},
    {"end", TP_ROLE_MAX},    {"polarity", TP_ROLE_SUM}, {"voice", TP_ROLE_TEXT},
    {"cues", TP_ROLE_TEXT},
};

static const tp_record_type records[] = {
    {"stance", stance_columns, sizeof stance_columns / sizeof stance_columns[0]},
    {"stance_evidence", evidence_columns, sizeof evidence_columns / sizeof evidence_columns[0]},
};

static const tp_option options[] = {
    {"targets",
     "targets: A,B,C, or @FILE (one a line; after a TAB, |-separated "
     "aliases: !alias an opponent, alias=for|against a concern, "
     "alias=N a loaded word); default: the document's top names",
     NULL},
    {"aliases",
     "file of more aliases, in the @FILE layout, for the targets "
     "given (lines for other targets are ignored)",
     NULL},
    {"lexicon",
     "evaluative lexicon, term<TAB>weight (VADER and AFINN "
     "files work as they are)",
     "stance-lexicon.tsv"},
    {"model", "a model from `textpipe train stance`: use it, not the lexicon", NULL},
    {"voice", "author: cues inside quotation marks do not count; all: they do", "author"},
    {"evidence",
     "1: also write a stance_evidence record per sentence that "
     "mentions a target",
     "0"},
    {"budget",
     "no targets: KB of a document kept while its names are counted; past "
     "it the names so far are chosen and the rest is judged as it comes",
     "1536"},
    {"epochs", "train: passes over the training data", "30"},
    {"l2", "train: L2 penalty", "0.0001"},
    {"min_count", "train: drop features seen in fewer examples", "2"},
};

/* A target's counts over one document. */
typedef struct tally {
    uint64_t mentions, favor, against;
    double total;       /* summed sentence polarity */
    double context;     /* the same of neighbouring sentences */
    long last_mention;  /* ordinal of the last sentence naming it, or -1 */
    long context_upto;  /* last sentence counted as context */
    uint64_t last_para; /* its paragraph */
    double last_sign;   /* -1 when it named an opponent */
} tally;

/* Words run into a #tag with a target's name: "stop-" before it
 * (#stophillary), "-forprison" after it. */
typedef struct tag_cue {
    uint32_t text; /* offset into the tag cue text */
    uint32_t len;
    int suffix;
    double weight;
} tag_cue;

/* A name seen in the document (no-targets mode). */
typedef struct name_count {
    uint32_t key, surface; /* offsets into the names text */
    uint32_t count;
} name_count;

/* No targets: a document's sentences are kept, compactly, until its names
 * are known.  A token keeps its lengths and the flags that judging reads;
 * its strings lie in the store's text as the host lends them: surface,
 * norm and, unless it is the norm, stem, each NUL-terminated. */
typedef struct stored_token {
    uint16_t flags; /* the TP_TOK_* flags below TP_TOK_NEWLINE */
    uint16_t surface_len, norm_len;
    uint16_t stem_len; /* STEM_IS_NORM: no stem stored */
} stored_token;

#define STEM_IS_NORM UINT16_MAX
/* The longest string a stored token holds: a sentence with a longer one is
 * not kept (an OR of lengths below a power of two stays below it). */
#define STORED_LEN_MAX 0x7fff

typedef struct stored_sentence {
    uint64_t index, paragraph, start, end;
    size_t first;   /* its tokens, from the store's tokens[first] */
    size_t text_at; /* its strings, from the store's text[text_at] */
    uint32_t ntokens, flags;
    uint8_t in_quote; /* a quotation open where it starts */
    uint8_t named;    /* the targets it names (bit t), once judged */
} stored_sentence;

typedef struct stance {
    const tp_host *host;
    tp_ctx *ctx;
    int voice_all, evidence;
    cue_lexicons cues;
    tag_cue *tag_cues;
    size_t ntag_cues;
    char *tag_text;
    size_t tag_len, tag_cap;
    target_list *targets;
    int named_targets; /* targets are found per document */
    stance_model *model;
    stance_trainer *trainer;
    train_params params;
    target_list *train_targets; /* the current training row's target; made
                                   by the first row (its table is 32 KB of
                                   pages a run that does not train never
                                   needs) */
    feature_bag *bag;

    /* per document */
    tally *tallies;
    size_t tallies_cap;
    sentence_cues sc;
    mention *mentions;
    size_t mentions_cap;
    mention *found; /* a kept sentence's mentions: target t's from
                       found[t * found_stride] */
    size_t found_cap, found_stride;
    uint64_t *screen; /* targets_screen's masks for one sentence */
    size_t screen_cap;
    int in_quote;
    double lex_pos, lex_neg;
    long sent_no;        /* ordinal of the sentence being judged */
    double prev_overall; /* the previous sentence's evaluative sum */
    uint64_t prev_para;
    char *cue_text; /* an evidence record's cue list */
    size_t cue_len, cue_cap;
    name_count *names;
    size_t nnames, names_cap;
    names_chunk *chunks;
    size_t chunks_cap;
    /* no targets: the document kept until its names are chosen */
    char *text; /* the stored tokens' strings */
    size_t text_len, text_cap;
    stored_token *toks;
    size_t ntoks, toks_cap;
    uint16_t *slots; /* the stored tokens' targets_slot(): the screen reads
                        no strings */
    size_t slots_cap;
    stored_sentence *sents;
    size_t nsents, sents_cap;
    tp_token *rebuilt[2]; /* stored sentences' tokens as the host lent them */
    size_t rebuilt_cap[2];
    size_t budget;  /* bytes kept, at most about */
    int chosen;     /* the names are chosen: judge sentences as they come */
    int prev_known; /* prev_overall is the previous sentence's */
    char *names_text;
    size_t names_len, names_cap_text;
    /* names by key: open addressing, index + 1 (0: empty); a long
     * document has thousands of names, too many to compare one by one */
    uint32_t *name_slots;
    size_t name_nslots; /* a power of two, or 0 */
} stance;

static int
oom(stance *st)
{
    return st->host->fail(st->ctx, "out of memory");
}

/* Append to a text arena (NUL-terminated after the data); the offset of
 * what was added, or -1. */
static long
arena_add(char **text, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (grow((void **)text, cap, *len + n + 1, 1))
        return -1;
    size_t at = *len;
    memcpy(*text + at, s, n);
    *len += n;
    (*text)[*len] = '\0';
    return (long)at;
}

static long
cue_add(stance *st, const char *s, size_t n)
{
    return arena_add(&st->cue_text, &st->cue_len, &st->cue_cap, s, n);
}

static void
destroy(void *instance)
{
    stance *st = instance;
    if (!st)
        return;
    cue_lexicons_free(&st->cues);
    targets_free(st->targets);
    targets_free(st->train_targets);
    model_free(st->model);
    trainer_free(st->trainer);
    bag_free(st->bag);
    free(st->tallies);
    sentence_cues_free(&st->sc);
    free(st->mentions);
    free(st->screen);
    free(st->found);
    free(st->text);
    free(st->cue_text);
    free(st->names);
    free(st->chunks);
    free(st->toks);
    free(st->slots);
    free(st->sents);
    free(st->rebuilt[0]);
    free(st->rebuilt[1]);
    free(st->names_text);
    free(st->name_slots);
    free(st->tag_cues);
    free(st->tag_text);
    free(st);
}

static int
parse_number(stance *st, const char *key, double lo, double hi, double *out)
{
    const char *v = st->host->option(st->ctx, key);
    if (!v)
        return TP_OK;
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !(d >= lo && d <= hi))
        return st->host->fail(st->ctx, "%s=%s: want a number from %.10g to %.10g", key, v, lo, hi);
    *out = d;
    return TP_OK;
}

static int
read_options(stance *st)
{
    const tp_host *h = st->host;
    const char *v = h->option(st->ctx, "voice");
    if (v && strcmp(v, "all") == 0)
        st->voice_all = 1;
    else if (v && strcmp(v, "author") != 0)
        return h->fail(st->ctx, "voice=%s: want author or all", v);
    v = h->option(st->ctx, "evidence");
    if (v && (strcmp(v, "0") && strcmp(v, "1")))
        return h->fail(st->ctx, "evidence=%s: want 0 or 1", v);
    st->evidence = v && strcmp(v, "1") == 0;
    double epochs = 30, min_count = 2, budget = DEFAULT_BUDGET_KB;
    st->params.l2 = 1e-4;
    if (parse_number(st, "budget", 1, 1 << 20, &budget) ||
        parse_number(st, "epochs", 1, 1000, &epochs) ||
        parse_number(st, "l2", 0, 1, &st->params.l2) ||
        parse_number(st, "min_count", 1, 1e6, &min_count))
        return TP_ERROR;
    st->budget = (size_t)budget * 1024;
    st->params.epochs = (int)epochs;
    st->params.min_count = (int)min_count;
    return TP_OK;
}

static int
load_tag_cues(stance *st)
{
    char path[4096];
    if (st->host->find_data(st->ctx, "stance-tags.tsv", path, sizeof path))
        return st->host->fail(st->ctx,
                              "data file stance-tags.tsv not found "
                              "(in %s)",
                              st->host->data_dir(st->ctx));
    FILE *f = fopen(path, "r");
    if (!f)
        return st->host->fail(st->ctx, "cannot open %s", path);
    char line[256];
    size_t cap = 0;
    int rc = TP_OK;
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        char *term = line, *end;
        double w = strtod(tab + 1, &end);
        size_t len = strlen(term);
        int suffix = term[0] == '-';
        if (suffix)
            term++, len--;
        else if (len && term[len - 1] == '-')
            len--;
        else {
            rc = st->host->fail(st->ctx, "%s: '%s': want prefix- or -suffix", path, line);
            break;
        }
        long at = arena_add(&st->tag_text, &st->tag_len, &st->tag_cap, term, len);
        if (at < 0 || grow((void **)&st->tag_cues, &cap, st->ntag_cues + 1, sizeof *st->tag_cues)) {
            rc = oom(st);
            break;
        }
        tag_cue *tc = &st->tag_cues[st->ntag_cues++];
        tc->text = (uint32_t)at;
        tc->len = (uint32_t)len;
        tc->suffix = suffix;
        tc->weight = w;
    }
    fclose(f);
    return rc;
}

/* The polarity a #tag's other words give the name inside it. */
static double
tag_polarity(const stance *st, const tp_token *t, const mention *m)
{
    if (!m->tag_len)
        return 0;
    const char *before = t->norm + 1, *after = t->norm + m->tag_at + m->tag_len;
    size_t blen = m->tag_at ? m->tag_at - 1 : 0;
    size_t alen = t->norm_len - m->tag_at - m->tag_len;
    double w = 0;
    size_t best = 0;
    for (size_t i = 0; i < st->ntag_cues; i++) {
        const tag_cue *tc = &st->tag_cues[i];
        const char *cs = st->tag_text + tc->text;
        if (tc->len <= best)
            continue;
        if (tc->suffix ? alen >= tc->len && memcmp(after, cs, tc->len) == 0
                       : blen >= tc->len && memcmp(before + blen - tc->len, cs, tc->len) == 0) {
            best = tc->len;
            w = tc->weight;
        }
    }
    return w;
}

static int
setup(stance *st)
{
    const tp_host *host = st->host;
    tp_ctx *ctx = st->ctx;
    if (read_options(st) != TP_OK)
        return TP_ERROR;
    if (cue_lexicons_load(&st->cues, host, ctx, host->option(ctx, "lexicon")) != TP_OK ||
        load_tag_cues(st) != TP_OK)
        return TP_ERROR;
    st->targets = targets_new();
    st->bag = bag_new();
    if (!st->targets || !st->bag)
        return oom(st);
    const char *spec = host->option(ctx, "targets");
    if (spec && targets_parse(st->targets, host, ctx, spec) != TP_OK)
        return TP_ERROR;
    st->named_targets = targets_count(st->targets) == 0;
    const char *aliases = host->option(ctx, "aliases");
    if (aliases && targets_load_aliases(st->targets, host, ctx, aliases) != TP_OK)
        return TP_ERROR;
    const char *model = host->option(ctx, "model");
    if (model) {
        char err[512];
        st->model = model_load(model, err, sizeof err);
        if (!st->model)
            return host->fail(ctx, "%s", err);
        bag_use_model(st->bag, st->model);
    }
    return TP_OK;
}

/* The host never destroys an instance whose create failed: clean up
 * here. */
static int
create(const tp_host *host, tp_ctx *ctx, void **instance)
{
    stance *st = calloc(1, sizeof *st);
    *instance = NULL;
    if (!st)
        return host->fail(ctx, "out of memory");
    st->host = host;
    st->ctx = ctx;
    if (setup(st) != TP_OK) {
        destroy(st);
        return TP_ERROR;
    }
    *instance = st;
    return TP_OK;
}

/* Make room for one tally per target, zeroed. */
static int
reset_tallies(stance *st, const target_list *tl)
{
    size_t n = targets_count(tl);
    if (grow((void **)&st->tallies, &st->tallies_cap, n ? n : 1, sizeof *st->tallies))
        return oom(st);
    memset(st->tallies, 0, (n ? n : 1) * sizeof *st->tallies);
    for (size_t t = 0; t < (n ? n : 1); t++)
        st->tallies[t].last_mention = st->tallies[t].context_upto = -1;
    st->sent_no = 0;
    return TP_OK;
}

static int
begin_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)ctx;
    (void)doc;
    stance *st = instance;
    st->in_quote = 0;
    st->lex_pos = st->lex_neg = 0;
    if (st->nnames && st->name_slots)
        memset(st->name_slots, 0, st->name_nslots * sizeof *st->name_slots);
    st->nnames = st->ntoks = st->nsents = 0;
    st->names_len = st->text_len = 0;
    st->chosen = 0;
    bag_clear(st->bag);
    if (st->named_targets) {
        targets_clear(st->targets);
        return TP_OK;
    }
    return reset_tallies(st, st->targets);
}

/* "cue words:+1.50|..." for the cues that bore on the last target
 * cues_toward() saw; quoted speakers' cues in quotation marks.  Also the
 * voice they speak in. */
static const char *
describe_cues(stance *st, const tp_token *toks, const char **voice)
{
    int author = 0, quoted = 0;
    st->cue_len = 0;
    if (cue_add(st, "", 0) < 0)
        return NULL;
    for (size_t i = 0; i < st->sc.ncues; i++) {
        const cue *c = &st->sc.cues[i];
        if (c->toward == 0)
            continue;
        author |= !c->quoted;
        quoted |= c->quoted;
        if ((st->cue_len && cue_add(st, "|", 1) < 0) || (c->quoted && cue_add(st, "\"", 1) < 0))
            return NULL;
        for (uint32_t k = c->start; k < c->end; k++)
            if ((k > c->start && cue_add(st, " ", 1) < 0) ||
                cue_add(st, toks[k].surface, toks[k].surface_len) < 0)
                return NULL;
        char num[32];
        int n = snprintf(num, sizeof num, "%s:%+.2f", c->quoted ? "\"" : "", c->toward);
        if (cue_add(st, num, (size_t)n) < 0)
            return NULL;
    }
    if ((author || quoted) && st->sc.emphasis != 1) {
        char num[40];
        int n = snprintf(num, sizeof num, "|emphasis:x%.2f", st->sc.emphasis);
        if (cue_add(st, num, (size_t)n) < 0)
            return NULL;
    }
    *voice = author && quoted ? "mixed" : author ? "author" : quoted ? "quoted" : "none";
    return st->cue_text;
}

static int
write_evidence(stance *st, const target_list *tl, size_t t, const tp_sentence *s, double polarity,
               double tags)
{
    const char *voice;
    const char *cues = describe_cues(st, s->tokens, &voice);
    if (!cues)
        return oom(st);
    if (tags != 0) {
        char num[40];
        int n = snprintf(num, sizeof num, "%s#tag:%+.2f", st->cue_len ? "|" : "", tags);
        if (cue_add(st, num, (size_t)n) < 0)
            return oom(st);
        cues = st->cue_text;
        if (strcmp(voice, "none") == 0)
            voice = "author";
    }
    char index[24], start[24], end[24], pol[32];
    snprintf(index, sizeof index, "%llu", (unsigned long long)s->index);
    snprintf(start, sizeof start, "%llu", (unsigned long long)s->start);
    snprintf(end, sizeof end, "%llu", (unsigned long long)s->end);
    snprintf(pol, sizeof pol, "%.3f", polarity);
    const char *f[] = {targets_name(tl, t), index, start, end, pol, voice, cues};
    return st->host->write(st->ctx, "stance_evidence", f, 7);
}

/* How judge_screened() counts a sentence: as it comes, all at once; or,
 * for a kept document, in two passes: first what the sentences naming a
 * target say, then, only for the targets that need it (their own
 * sentences say nothing), what the sentences next to them say. */
enum { JUDGE_ALL, JUDGE_NAMING, JUDGE_CONTEXT };

/* One sentence against the targets of tl, given targets_screen's masks
 * for it (in st->screen) and all of them ORed (`named`).  `scan`: find its
 * cues, starting in quotation state *in_quote; a caller may skip that only
 * when no cue of it can count.  `context`: the targets (bit t % 64) whose
 * context to count.  Writes evidence records when `write`. */
static int
judge_screened(stance *st, const target_list *tl, const tp_sentence *s, int write, int *in_quote,
               uint64_t named, int scan, int how, uint64_t context, const size_t *found)
{
    double pos = 0, neg = 0;
    int count = how != JUDGE_CONTEXT;
    if (how == JUDGE_NAMING)
        context = 0;
    if (scan) {
        if (cues_scan(&st->sc, &st->cues, s->tokens, s->ntokens, in_quote))
            return oom(st);
        cues_overall(&st->sc, &pos, &neg);
        if (count) {
            st->lex_pos += pos;
            st->lex_neg += neg;
        }
    }
    long no = st->sent_no++;
    for (size_t t = 0; t < targets_count(tl); t++) {
        tally *ty = &st->tallies[t];
        uint64_t bit = (uint64_t)1 << (t & 63);
        const mention *ms = found ? st->found + t * st->found_stride : st->mentions;
        size_t nm = !(named & bit) ? 0
                    : found        ? found[t]
                            : targets_find(tl, t, s->tokens, s->ntokens, st->screen, st->mentions,
                                           st->mentions_cap);
        if (nm == 0) {
            if ((context & bit) && ty->last_mention == no - 1 && ty->last_para == s->paragraph) {
                ty->context += CONTEXT_WEIGHT * ty->last_sign * (pos - neg);
                ty->context_upto = no;
            }
            continue;
        }
        double pol = 0, tags = 0, sign = 0;
        if (count)
            pol = cues_toward(&st->sc, s->tokens, s->ntokens, ms, nm, st->voice_all);
        /* What the names say by themselves: loaded aliases, #tags. */
        for (size_t k = 0; k < nm; k++) {
            const mention *m = &ms[k];
            sign += m->kind.concern ? 0 : m->kind.sign;
            if (count && (!st->sc.quoted[m->start] || st->voice_all))
                tags += m->kind.charge + m->kind.sign * tag_polarity(st, &s->tokens[m->start], m);
        }
        pol += tags;
        ty->last_sign = sign < 0 ? -1 : 1;
        if ((context & bit) && no > 0 && ty->last_mention != no - 1 && ty->context_upto < no - 1 &&
            st->prev_para == s->paragraph)
            ty->context += CONTEXT_WEIGHT * ty->last_sign * st->prev_overall;
        ty->last_mention = no;
        ty->last_para = s->paragraph;
        if (!count)
            continue;
        ty->mentions++;
        ty->favor += pol > SENTENCE_EPSILON;
        ty->against += pol < -SENTENCE_EPSILON;
        ty->total += pol;
        if (write && st->evidence && write_evidence(st, tl, t, s, pol, tags) != TP_OK)
            return TP_ERROR;
    }
    st->prev_overall = pos - neg;
    st->prev_known = scan;
    st->prev_para = s->paragraph;
    return TP_OK;
}

/* Room for one sentence's mentions and screen masks. */
static int
reserve_mentions(stance *st, size_t ntokens)
{
    size_t n = ntokens ? ntokens : 1;
    if (grow((void **)&st->mentions, &st->mentions_cap, n, sizeof *st->mentions) ||
        grow((void **)&st->screen, &st->screen_cap, n, sizeof *st->screen))
        return oom(st);
    return TP_OK;
}

/* One sentence as it comes against every target of tl: cues found once,
 * then weighed toward each target's mentions.  Also feeds the model's
 * features. */
static int
judge_sentence(stance *st, const target_list *tl, const tp_sentence *s, int write)
{
    if (s->flags & TP_SENT_PARA_START)
        st->in_quote = 0;
    if ((st->model || st->trainer) && bag_add_tokens(st->bag, s->tokens, s->ntokens) < 0)
        return oom(st);
    if (reserve_mentions(st, s->ntokens) != TP_OK)
        return TP_ERROR;
    uint64_t named = targets_screen(tl, s->tokens, s->ntokens, st->screen);
    return judge_screened(st, tl, s, write, &st->in_quote, named, 1, JUDGE_ALL, ~(uint64_t)0, NULL);
}

/* The lexicon's findings as features of the model, for target t. */
static size_t
lexicon_features(const stance *st, const tally *ty, const char **out)
{
    static const char *const pos[] = {"L:pos0", "L:pos1", "L:pos2", "L:pos3"};
    static const char *const neg[] = {"L:neg0", "L:neg1", "L:neg2", "L:neg3"};
    size_t n = 0;
    int p = st->lex_pos < 3 ? (int)st->lex_pos : 3;
    int q = st->lex_neg < 3 ? (int)st->lex_neg : 3;
    out[n++] = "bias";
    out[n++] = pos[p];
    out[n++] = neg[q];
    out[n++] = ty->mentions ? "L:mentioned" : "L:unmentioned";
    if (ty->total > SENTENCE_EPSILON)
        out[n++] = "L:toward+";
    else if (ty->total < -SENTENCE_EPSILON)
        out[n++] = "L:toward-";
    return n;
}

static int
write_stance(stance *st, const target_list *tl, size_t t)
{
    const tally *ty = &st->tallies[t];
    int label;
    double score;
    if (st->model) {
        const char *extra[8];
        size_t nextra = lexicon_features(st, ty, extra);
        double p[NLABELS];
        model_predict(st->model, st->bag, extra, nextra, targets_key(tl, t), p);
        /* F_avg, the measure stance is judged by, ignores NONE: a stance
         * that is nearly as likely is worth saying. */
        p[LABEL_NONE] *= NONE_DISCOUNT;
        label = LABEL_NONE;
        for (int c = 0; c < NLABELS; c++)
            if (p[c] > p[label])
                label = c;
        score = p[LABEL_FAVOR] - p[LABEL_AGAINST];
    } else {
        double total = fabs(ty->total) > SENTENCE_EPSILON ? ty->total : ty->context;
        score = total / sqrt(total * total + SCORE_SPREAD);
        label = score >= SCORE_THRESHOLD    ? LABEL_FAVOR
                : score <= -SCORE_THRESHOLD ? LABEL_AGAINST
                                            : LABEL_NONE;
    }
    char sc[32], m[24], fa[24], ag[24];
    snprintf(sc, sizeof sc, "%.3f", score);
    snprintf(m, sizeof m, "%llu", (unsigned long long)ty->mentions);
    snprintf(fa, sizeof fa, "%llu", (unsigned long long)ty->favor);
    snprintf(ag, sizeof ag, "%llu", (unsigned long long)ty->against);
    const char *f[] = {targets_name(tl, t), label_name(label), sc, m, fa, ag};
    return st->host->write(st->ctx, "stance", f, 6);
}

/* ---- no targets given: the document's names ----------------------------- */

/* Where the name with this key is, or the empty slot it would take. */
static uint32_t *
name_slot(stance *st, const char *key, size_t len)
{
    size_t mask = st->name_nslots - 1;
    for (size_t at = fnv_add(FNV_START, key, len) & mask;; at = (at + 1) & mask) {
        uint32_t *slot = &st->name_slots[at];
        if (!*slot || strcmp(st->names_text + st->names[*slot - 1].key, key) == 0)
            return slot;
    }
}

/* Keep the slots under half full (call before adding a name). */
static int
name_slots_reserve(stance *st)
{
    if ((st->nnames + 1) * 2 <= st->name_nslots)
        return 0;
    size_t n = st->name_nslots ? st->name_nslots * 2 : 256;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    free(st->name_slots);
    st->name_slots = slots;
    st->name_nslots = n;
    for (size_t k = 0; k < st->nnames; k++) {
        const char *key = st->names_text + st->names[k].key;
        *name_slot(st, key, strlen(key)) = (uint32_t)k + 1;
    }
    return 0;
}

/* Count the names of a sentence.  `caps`: how many of its tokens are in
 * capitals (a line in capitals needs two). */
static int
count_names(stance *st, const tp_sentence *s, size_t caps)
{
    if (grow((void **)&st->chunks, &st->chunks_cap, s->ntokens ? s->ntokens : 1,
             sizeof *st->chunks))
        return oom(st);
    if (((s->flags & TP_SENT_HEADING) || caps >= 2) && names_line_style(s))
        return TP_OK;
    size_t nc = names_find(s, NULL, st->chunks, st->chunks_cap);
    char key[512], surface[512];
    for (size_t c = 0; c < nc; c++) {
        const names_chunk *ch = &st->chunks[c];
        /* A lone capitalised first word is most often just a first word. */
        if ((ch->flags & NAMES_INITIAL) && ch->first == ch->last)
            continue;
        size_t kl = 0, sl = 0;
        for (uint32_t i = ch->first; i <= ch->last; i++) {
            const tp_token *t = &s->tokens[i];
            size_t nb = i == ch->first ? ch->nskip : 0;
            size_t ne = i == ch->last ? ch->nkeep : t->norm_len;
            size_t sb = i == ch->first ? ch->skip : 0;
            size_t se = i == ch->last ? ch->keep : t->surface_len;
            int space = i > ch->first && (t->flags & TP_TOK_SPACE);
            if (kl + ne - nb + 2 > sizeof key || sl + se - sb + 2 > sizeof surface)
                break;
            if (space) {
                key[kl++] = ' ';
                surface[sl++] = ' ';
            }
            memcpy(key + kl, t->norm + nb, ne - nb);
            kl += ne - nb;
            memcpy(surface + sl, t->surface + sb, se - sb);
            sl += se - sb;
        }
        key[kl] = surface[sl] = '\0';
        if (name_slots_reserve(st) < 0)
            return oom(st);
        uint32_t *slot = name_slot(st, key, kl);
        size_t k = *slot ? *slot - 1 : st->nnames;
        if (k == st->nnames) {
            if (grow((void **)&st->names, &st->names_cap, k + 1, sizeof *st->names))
                return oom(st);
            long a = arena_add(&st->names_text, &st->names_len, &st->names_cap_text, key, kl + 1);
            long b =
                arena_add(&st->names_text, &st->names_len, &st->names_cap_text, surface, sl + 1);
            if (a < 0 || b < 0)
                return oom(st);
            st->names[k].key = (uint32_t)a;
            st->names[k].surface = (uint32_t)b;
            st->names[k].count = 0;
            st->nnames++;
            *slot = (uint32_t)k + 1;
        }
        st->names[k].count++;
    }
    return TP_OK;
}

/* The top names become the document's targets. */
static int
choose_named_targets(stance *st)
{
    for (int pick = 0; pick < NAMED_TARGETS; pick++) {
        size_t best = st->nnames;
        for (size_t k = 0; k < st->nnames; k++)
            if (st->names[k].count >= NAMED_MIN_MENTIONS &&
                (best == st->nnames || st->names[k].count > st->names[best].count))
                best = k;
        if (best == st->nnames)
            break;
        const char *name = st->names_text + st->names[best].surface;
        if (targets_add(st->targets, st->host, st->ctx, name, strlen(name)) < 0)
            return TP_ERROR;
        st->names[best].count = 0;
    }
    return TP_OK;
}

/* What the kept document takes, in bytes (the budget's measure). */
static size_t
kept_bytes(const stance *st)
{
    return st->text_len + st->ntoks * (sizeof *st->toks + sizeof *st->slots) +
           st->nsents * sizeof *st->sents + st->names_len + st->nnames * sizeof *st->names +
           st->name_nslots * sizeof *st->name_slots;
}

/* Keep a sentence compactly (see stored_token) and count its names: 0, 1
 * when it cannot be kept (a token too long for the store), or TP_ERROR. */
static int
store_sentence(stance *st, const tp_sentence *s)
{
    size_t n = s->ntokens;
    if (grow((void **)&st->toks, &st->toks_cap, st->ntoks + (n ? n : 1), sizeof *st->toks) ||
        grow((void **)&st->slots, &st->slots_cap, st->ntoks + (n ? n : 1), sizeof *st->slots) ||
        grow((void **)&st->sents, &st->sents_cap, st->nsents + 1, sizeof *st->sents))
        return oom(st);
    stored_token *out = st->toks + st->ntoks;
    uint16_t *slots = st->slots + st->ntoks;
    const char *first = n ? s->tokens[0].surface : NULL;
    /* `at` walks where the strings lie when the host keeps them end to end
     * (token_run's test, made in the same pass); its sum is their size
     * either way */
    uintptr_t at = (uintptr_t)first;
    int run = 1, quote = (s->flags & TP_SENT_PARA_START) ? 0 : st->in_quote;
    int quote_at_start = quote;
    size_t caps = 0;
    uint32_t longest = 0;
    for (size_t i = 0; i < n; i++) {
        const tp_token *t = &s->tokens[i];
        uint32_t flags = t->flags, slen = t->surface_len, nlen = t->norm_len;
        uint32_t stlen = t->stem_len;
        int same = t->stem == t->norm;
        longest |= slen | nlen | stlen;
        out[i].flags = (uint16_t)flags;
        out[i].surface_len = (uint16_t)slen;
        out[i].norm_len = (uint16_t)nlen;
        out[i].stem_len = same ? STEM_IS_NORM : (uint16_t)stlen;
        run &= ((uintptr_t)t->surface == at) & ((uintptr_t)t->norm == at + slen + 1);
        at += slen + nlen + 2;
        if (!same) {
            run &= (uintptr_t)t->stem == at;
            at += stlen + 1;
        }
        slots[i] = (uint16_t)targets_slot(t);
        if (flags & (TP_TOK_ALLCAPS | TP_TOK_QUOTE)) {
            caps += (flags & TP_TOK_ALLCAPS) != 0;
            if ((flags & TP_TOK_QUOTE) && cues_quote_mark(t))
                quote = !quote;
        }
    }
    if (longest > STORED_LEN_MAX)
        return 1;
    size_t bytes = (size_t)(at - (uintptr_t)first);
    if (grow((void **)&st->text, &st->text_cap, st->text_len + bytes + 1, 1))
        return oom(st);
    char *dst = st->text + st->text_len;
    if (run && n) {
        memcpy(dst, first, bytes);
    } else {
        for (size_t i = 0; i < n; i++) {
            const tp_token *t = &s->tokens[i];
            memcpy(dst, t->surface, t->surface_len);
            dst[t->surface_len] = '\0';
            dst += t->surface_len + 1;
            memcpy(dst, t->norm, t->norm_len);
            dst[t->norm_len] = '\0';
            dst += t->norm_len + 1;
            if (t->stem != t->norm) {
                memcpy(dst, t->stem, t->stem_len);
                dst[t->stem_len] = '\0';
                dst += t->stem_len + 1;
            }
        }
    }
    stored_sentence *ss = &st->sents[st->nsents++];
    ss->index = s->index;
    ss->paragraph = s->paragraph;
    ss->start = s->start;
    ss->end = s->end;
    ss->flags = s->flags;
    ss->first = st->ntoks;
    ss->text_at = st->text_len;
    ss->ntokens = (uint32_t)n;
    ss->in_quote = quote_at_start;
    st->ntoks += n;
    st->text_len += bytes;
    st->in_quote = quote;
    /* the model's features do not depend on the targets */
    if (st->model && bag_add_tokens(st->bag, s->tokens, n) < 0)
        return oom(st);
    return count_names(st, s, caps);
}

/* Stored sentence i as the host lent it (tokens in st->rebuilt[which]),
 * but for what judging does not read: the tokens' offsets and flags from
 * TP_TOK_NEWLINE on, the sentence's text. */
static int
rebuild(stance *st, size_t i, int which, tp_sentence *s)
{
    const stored_sentence *ss = &st->sents[i];
    size_t n = ss->ntokens;
    if (grow((void **)&st->rebuilt[which], &st->rebuilt_cap[which], n ? n : 1,
             sizeof *st->rebuilt[which]))
        return oom(st);
    tp_token *toks = st->rebuilt[which];
    const stored_token *in = st->toks + ss->first;
    const char *p = st->text + ss->text_at;
    for (size_t k = 0; k < n; k++) {
        tp_token *t = &toks[k];
        t->size = sizeof *t;
        t->flags = in[k].flags;
        t->start = t->end = 0;
        t->surface = p;
        t->surface_len = in[k].surface_len;
        p += t->surface_len + 1;
        t->norm = p;
        t->norm_len = in[k].norm_len;
        p += t->norm_len + 1;
        if (in[k].stem_len == STEM_IS_NORM) {
            t->stem = t->norm;
            t->stem_len = t->norm_len;
        } else {
            t->stem = p;
            t->stem_len = in[k].stem_len;
            p += t->stem_len + 1;
        }
    }
    *s = (tp_sentence){.size = sizeof *s,
                       .index = ss->index,
                       .paragraph = ss->paragraph,
                       .start = ss->start,
                       .end = ss->end,
                       .flags = ss->flags,
                       .text = "",
                       .ntokens = n,
                       .tokens = toks};
    return TP_OK;
}

/* The evaluative sum of stored sentence i, for the context of the one
 * after it. */
static int
stored_overall(stance *st, size_t i)
{
    tp_sentence s;
    if (rebuild(st, i, 1, &s) != TP_OK)
        return TP_ERROR;
    int quote = st->sents[i].in_quote;
    if (cues_scan(&st->sc, &st->cues, s.tokens, s.ntokens, &quote))
        return oom(st);
    double pos = 0, neg = 0;
    cues_overall(&st->sc, &pos, &neg);
    st->prev_overall = pos - neg;
    st->prev_known = 1;
    return TP_OK;
}

/* One pass over the stored sentences against the chosen names, in order,
 * as if they came now (see JUDGE_NAMING, JUDGE_CONTEXT).  Cues are found
 * only where they can count: in sentences that may name a target, with
 * JUDGE_CONTEXT the one after each and, when asked for, the one before;
 * everywhere with a model, whose features count all of them. */
static int
judge_stored(stance *st, int how, uint64_t context)
{
    const target_list *tl = st->targets;
    size_t nt = targets_count(tl), found[NAMED_TARGETS];
    for (size_t t = 0; t < nt; t++) {
        st->tallies[t].last_mention = st->tallies[t].context_upto = -1;
        st->tallies[t].last_para = 0;
        st->tallies[t].last_sign = 0;
    }
    st->sent_no = 0;
    st->prev_known = 0;
    for (size_t i = 0; i < st->nsents; i++) {
        const stored_sentence *ss = &st->sents[i];
        size_t n = ss->ntokens ? ss->ntokens : 1;
        if (reserve_mentions(st, n) != TP_OK ||
            grow((void **)&st->found, &st->found_cap, n * nt, sizeof *st->found))
            return oom(st);
        st->found_stride = n;
        /* the first pass screens, the second knows */
        uint64_t named = how == JUDGE_CONTEXT
                             ? ss->named & context
                             : targets_named_slots(tl, st->slots + ss->first, ss->ntokens);
        if (named)
            named = targets_screen_slots(tl, st->slots + ss->first, ss->ntokens, st->screen);
        if (how == JUDGE_CONTEXT)
            named &= ss->named & context;
        tp_sentence s = {.size = sizeof s, .paragraph = ss->paragraph, .text = ""};
        /* the screen lets through sentences with part of a name, or a
         * word that shares its slot: their mentions tell */
        if (named) {
            if (rebuild(st, i, 0, &s) != TP_OK)
                return TP_ERROR;
            for (size_t t = 0; t < nt; t++) {
                uint64_t bit = (uint64_t)1 << (t & 63);
                found[t] = named & bit ? targets_find(tl, t, s.tokens, s.ntokens, st->screen,
                                                      st->found + t * n, n)
                                       : 0;
                if (!found[t])
                    named &= ~bit;
            }
        }
        long no = st->sent_no;
        int scan = 0, prev = 0;
        if (how == JUDGE_NAMING) {
            st->sents[i].named = (uint8_t)named;
            scan = st->model || named;
        } else {
            for (size_t t = 0; t < nt; t++) {
                const tally *ty = &st->tallies[t];
                uint64_t bit = (uint64_t)1 << (t & 63);
                if (!(context & bit))
                    continue;
                if (ty->last_mention == no - 1 && ty->last_para == ss->paragraph)
                    scan = 1;
                if ((named & bit) && no > 0 && ty->last_mention != no - 1 &&
                    ty->context_upto < no - 1 && st->prev_para == ss->paragraph)
                    prev = 1;
            }
        }
        if (!named && !scan) {
            /* judge_screened() would count nothing */
            st->sent_no++;
            st->prev_overall = 0;
            st->prev_known = 0;
            st->prev_para = ss->paragraph;
            continue;
        }
        if (prev && !st->prev_known && stored_overall(st, i - 1) != TP_OK)
            return TP_ERROR;
        /* a sentence whose tokens nothing reads is not rebuilt */
        if (scan && !named && rebuild(st, i, 0, &s) != TP_OK)
            return TP_ERROR;
        int quote = ss->in_quote;
        if (judge_screened(st, tl, &s, how == JUDGE_NAMING, &quote, named, scan, how, context,
                           found) != TP_OK)
            return TP_ERROR;
    }
    return TP_OK;
}

/* The document's names are chosen: judge what was kept, and let go of it.
 * `more`: sentences will follow, judged as they come. */
static int
choose_and_judge(stance *st, int more)
{
    if (choose_named_targets(st) != TP_OK || reset_tallies(st, st->targets) != TP_OK)
        return TP_ERROR;
    size_t nt = targets_count(st->targets);
    uint64_t context = 0;
    if (nt && judge_stored(st, JUDGE_NAMING, 0) != TP_OK)
        return TP_ERROR;
    /* Context counts only for a total too small to say anything (see
     * write_stance), next to a mention, and never with a model; but
     * sentences to come may change a total. */
    for (size_t t = 0; t < nt && !st->model; t++)
        if (more || (st->tallies[t].mentions && fabs(st->tallies[t].total) <= SENTENCE_EPSILON))
            context |= (uint64_t)1 << (t & 63);
    if (context && judge_stored(st, JUDGE_CONTEXT, context) != TP_OK)
        return TP_ERROR;
    /* the first sentence to come may want the last one's evaluative sum */
    if (more && nt && st->nsents && !st->prev_known && stored_overall(st, st->nsents - 1) != TP_OK)
        return TP_ERROR;
    st->chosen = 1;
    st->ntoks = st->nsents = st->text_len = 0;
    if (st->nnames && st->name_slots)
        memset(st->name_slots, 0, st->name_nslots * sizeof *st->name_slots);
    st->nnames = st->names_len = 0;
    return TP_OK;
}

/* ---- the callbacks ----------------------------------------------------- */

static int
sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    (void)ctx;
    stance *st = instance;
    if (st->named_targets && !st->chosen) {
        int rc = store_sentence(st, s);
        if (rc < 0)
            return TP_ERROR;
        if (rc == 0 && kept_bytes(st) <= st->budget)
            return TP_OK;
        /* past the budget: the names so far decide */
        if (choose_and_judge(st, 1) != TP_OK)
            return TP_ERROR;
        if (rc == 0)
            return TP_OK; /* kept, so judged with the rest */
    }
    if (st->named_targets && targets_count(st->targets) == 0)
        return TP_OK;
    return judge_sentence(st, st->targets, s, 1);
}

static int
end_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)ctx;
    (void)doc;
    stance *st = instance;
    if (st->named_targets && !st->chosen && choose_and_judge(st, 0) != TP_OK)
        return TP_ERROR;
    for (size_t t = 0; t < targets_count(st->targets); t++)
        if (write_stance(st, st->targets, t) != TP_OK)
            return TP_ERROR;
    return TP_OK;
}

/* ---- training --------------------------------------------------------- */

/* The value of a column, by name, case and a trailing CR ignored. */
static const char *
column(const tp_example *ex, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < ex->nfields; i++)
        if (strncasecmp(ex->names[i], name, len) == 0 &&
            (ex->names[i][len] == '\0' || strcmp(ex->names[i] + len, "\r") == 0))
            return ex->values[i];
    return NULL;
}

static int
train_example(tp_ctx *ctx, void *instance, const tp_example *ex)
{
    stance *st = instance;
    if (!st->trainer && !(st->trainer = trainer_new()))
        return oom(st);
    if (!st->train_targets && !(st->train_targets = targets_new()))
        return oom(st);
    const char *gold = column(ex, "stance");
    if (!gold)
        gold = column(ex, "label");
    if (!gold)
        return st->host->fail(ctx, "the training file has no Stance (or "
                                   "label) column");
    int label = label_parse(gold);
    if (label < 0)
        return st->host->fail(ctx, "label '%s': want FAVOR, AGAINST or NONE", gold);
    const char *target = column(ex, "target");
    target_list *tl = st->train_targets;
    if (target && *target && (targets_count(tl) == 0 || strcmp(targets_name(tl, 0), target))) {
        targets_clear(tl);
        if (targets_add(tl, st->host, ctx, target, strlen(target)) < 0)
            return TP_ERROR;
        const char *aliases = st->host->option(ctx, "aliases");
        if (aliases && targets_load_aliases(tl, st->host, ctx, aliases))
            return TP_ERROR;
    }
    st->in_quote = 0;
    st->lex_pos = st->lex_neg = 0;
    bag_clear(st->bag);
    if (reset_tallies(st, tl) != TP_OK)
        return TP_ERROR;
    for (size_t i = 0; i < ex->nsentences; i++)
        if (judge_sentence(st, tl, &ex->sentences[i], 0) != TP_OK)
            return TP_ERROR;
    const char *extra[8];
    size_t nextra = lexicon_features(st, &st->tallies[0], extra);
    const char *key = target && *target ? targets_key(tl, 0) : "";
    if (trainer_add(st->trainer, st->bag, extra, nextra, key, label) < 0)
        return oom(st);
    return TP_OK;
}

static int
train_finish(tp_ctx *ctx, void *instance, const char *model_path)
{
    stance *st = instance;
    char err[512];
    if (!st->trainer)
        return st->host->fail(ctx, "no labelled examples to train on");
    if (trainer_finish(st->trainer, &st->params, model_path, err, sizeof err) < 0)
        return st->host->fail(ctx, "%s", err);
    return TP_OK;
}

static const tp_plugin descriptor = {
    .size = sizeof(tp_plugin),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .name = "stance",
    .version = "0.1.0",
    .summary = "stance (FAVOR, AGAINST, NONE) toward targets, with evidence",
    .records = records,
    .nrecords = sizeof records / sizeof records[0],
    .options = options,
    .noptions = sizeof options / sizeof options[0],
    .create = create,
    .begin_document = begin_document,
    .sentence = sentence,
    .end_document = end_document,
    .destroy = destroy,
    .train_text_column = "Tweet",
    .train_example = train_example,
    .train_finish = train_finish,
};

const tp_plugin *
textpipe_plugin_v1(void)
{
    return &descriptor;
}
