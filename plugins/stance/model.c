/* model.c: features, training and prediction of trainable stance (see
 * model.h), and the model file. */
#include "config.h"

#include "model.h"

#include "fnv.h"
#include "grow.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MODEL_MAGIC "textpipe-stance-model"
#define MODEL_VERSION 1
/* Longer features (runaway tokens) are dropped: they never recur. */
#define MAX_FEATURE 256
/* Character n-grams of words, these lengths, with word boundaries. */
#define CHAR_MIN 3
#define CHAR_MAX 5
/* Separates a target's key from a feature in a per-target feature. */
#define TARGET_SEP "::"

static const char *const label_names[NLABELS] = {"FAVOR", "AGAINST", "NONE"};

const char *
label_name(int label)
{
    return label >= 0 && label < NLABELS ? label_names[label] : "NONE";
}

int
label_parse(const char *s)
{
    size_t len = strlen(s);
    while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    for (int i = 0; i < NLABELS; i++)
        if (strlen(label_names[i]) == len && strncasecmp(s, label_names[i], len) == 0)
            return i;
    return -1;
}

/* ---- a table of distinct strings, numbered in order of arrival ---------- */

typedef struct strtab {
    char *text;
    size_t text_len, text_cap;
    uint32_t *offsets; /* of string i in text; its length is before it */
    size_t count, offsets_cap;
    uint32_t *slots; /* id + 1; 0: empty */
    size_t nslots;
} strtab;

static void
strtab_free(strtab *t)
{
    free(t->text);
    free(t->offsets);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static void
strtab_clear(strtab *t)
{
    t->text_len = 0;
    t->count = 0;
    if (t->slots)
        memset(t->slots, 0, t->nslots * sizeof *t->slots);
}

static const char *
strtab_str(const strtab *t, size_t id, size_t *len)
{
    const char *s = t->text + t->offsets[id];
    uint16_t l;
    memcpy(&l, s - 2, 2);
    *len = l;
    return s;
}

/* The slot where s is, or where it would go. */
static size_t
strtab_slot(const strtab *t, const char *s, size_t len)
{
    size_t mask = t->nslots - 1, i = fnv_add(FNV_START, s, len) & mask;
    while (t->slots[i]) {
        size_t l;
        const char *o = strtab_str(t, t->slots[i] - 1, &l);
        if (l == len && memcmp(o, s, len) == 0)
            break;
        i = (i + 1) & mask;
    }
    return i;
}

static long
strtab_find(const strtab *t, const char *s, size_t len)
{
    if (!t->nslots)
        return -1;
    uint32_t v = t->slots[strtab_slot(t, s, len)];
    return v ? (long)v - 1 : -1;
}

static int
strtab_rehash(strtab *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 1024;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    for (size_t id = 0; id < t->count; id++) {
        size_t len;
        const char *s = strtab_str(t, id, &len);
        t->slots[strtab_slot(t, s, len)] = (uint32_t)id + 1;
    }
    return 0;
}

/* The id of s, added if new; *added tells which.  -1 when out of memory. */
static long
strtab_intern(strtab *t, const char *s, size_t len, int *added)
{
    if ((t->count + 1) * 2 > t->nslots && strtab_rehash(t) < 0)
        return -1;
    size_t slot = strtab_slot(t, s, len);
    if (t->slots[slot]) {
        *added = 0;
        return (long)t->slots[slot] - 1;
    }
    if (grow((void **)&t->text, &t->text_cap, t->text_len + len + 3, 1) ||
        grow((void **)&t->offsets, &t->offsets_cap, t->count + 1, sizeof *t->offsets))
        return -1;
    uint16_t l = (uint16_t)len;
    memcpy(t->text + t->text_len, &l, 2);
    t->offsets[t->count] = (uint32_t)(t->text_len + 2);
    memcpy(t->text + t->text_len + 2, s, len);
    t->text[t->text_len + 2 + len] = '\0';
    t->text_len += len + 3;
    t->slots[slot] = (uint32_t)t->count + 1;
    *added = 1;
    return (long)t->count++;
}

/* A trained model: weights by feature id. */
struct stance_model {
    strtab features;
    /* what else a bag need hold for this model: of a target's own
     * features ("KEY::feature"), what follows any "::", where that is not
     * a feature itself */
    strtab suffixes;
    float *w; /* NLABELS per feature */
    size_t w_cap;
};

/* ---- feature bags --------------------------------------------------------- */

struct feature_bag {
    strtab tab;
    const stance_model *only; /* holds only what it reads, or NULL */
};

feature_bag *
bag_new(void)
{
    return calloc(1, sizeof(feature_bag));
}

void
bag_free(feature_bag *b)
{
    if (!b)
        return;
    strtab_free(&b->tab);
    free(b);
}

void
bag_use_model(feature_bag *b, const stance_model *m)
{
    b->only = m;
}

void
bag_clear(feature_bag *b)
{
    strtab_clear(&b->tab);
}

int
bag_add(feature_bag *b, const char *s, size_t len)
{
    int added;
    if (len > MAX_FEATURE)
        return 0;
    if (b->only && strtab_find(&b->only->features, s, len) < 0 &&
        strtab_find(&b->only->suffixes, s, len) < 0)
        return 0;
    return strtab_intern(&b->tab, s, len, &added) < 0 ? -1 : 0;
}

/* What a token contributes to word n-grams, or NULL for punctuation that
 * carries nothing (commas, brackets). */
static const char *
token_unit(const tp_token *t, size_t *len)
{
    if (t->flags & TP_TOK_URL) {
        *len = 5;
        return "<url>";
    }
    if (t->flags & TP_TOK_NUMBER) {
        *len = 5;
        return "<num>";
    }
    if (t->flags & (TP_TOK_HASHTAG | TP_TOK_MENTION | TP_TOK_EMOJI)) {
        *len = t->norm_len;
        return t->norm;
    }
    if (t->flags & TP_TOK_WORD) {
        *len = t->stem_len;
        return t->stem;
    }
    if (t->norm_len == 1 && (t->norm[0] == '!' || t->norm[0] == '?')) {
        *len = 1;
        return t->norm;
    }
    return NULL;
}

static int
add_joined(feature_bag *b, const char *prefix, const char *x, size_t xl, const char *y, size_t yl)
{
    char f[MAX_FEATURE + 1];
    size_t pl = strlen(prefix);
    if (pl + xl + 1 + yl > MAX_FEATURE)
        return 0;
    memcpy(f, prefix, pl);
    memcpy(f + pl, x, xl);
    size_t at = pl + xl;
    if (y) {
        f[at++] = '_';
        memcpy(f + at, y, yl);
        at += yl;
    }
    return bag_add(b, f, at);
}

static int
add_char_grams(feature_bag *b, const tp_token *t)
{
    char w[MAX_FEATURE + 3];
    if (t->norm_len + 2 > MAX_FEATURE)
        return 0;
    w[0] = ' ';
    memcpy(w + 1, t->norm, t->norm_len);
    w[t->norm_len + 1] = ' ';
    size_t wl = t->norm_len + 2;
    for (size_t n = CHAR_MIN; n <= CHAR_MAX; n++)
        for (size_t i = 0; i + n <= wl; i++)
            if (add_joined(b, "c:", w + i, n, NULL, 0) < 0)
                return -1;
    return 0;
}

int
bag_add_tokens(feature_bag *b, const tp_token *toks, size_t n)
{
    const char *prev = "<s>";
    size_t prev_len = 3;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *u = token_unit(&toks[i], &len);
        if (!u) {
            prev = NULL;
            continue;
        }
        if (add_joined(b, "w:", u, len, NULL, 0) < 0 ||
            (prev && add_joined(b, "b:", prev, prev_len, u, len) < 0))
            return -1;
        if ((toks[i].flags & (TP_TOK_WORD | TP_TOK_HASHTAG)) && add_char_grams(b, &toks[i]) < 0)
            return -1;
        prev = u;
        prev_len = len;
    }
    return 0;
}

/* A feature as it stands for one target: "KEY::FEATURE" in f, or 0 when
 * too long. */
static size_t
target_feature(char *f, size_t fsize, const char *key, const char *s, size_t len)
{
    int n = snprintf(f, fsize, "%s" TARGET_SEP "%.*s", key, (int)len, s);
    return n > 0 && (size_t)n < fsize ? (size_t)n : 0;
}

/* ---- training ------------------------------------------------------------- */

struct stance_trainer {
    strtab features;
    uint32_t *df; /* examples each feature occurs in */
    size_t df_cap;
    uint32_t *ids; /* every example's feature ids, one after another */
    size_t nids, ids_cap;
    size_t *starts; /* example i: ids[starts[i], starts[i+1]) */
    uint8_t *labels;
    size_t count, examples_cap, starts_cap;
};

stance_trainer *
trainer_new(void)
{
    return calloc(1, sizeof(stance_trainer));
}

void
trainer_free(stance_trainer *tr)
{
    if (!tr)
        return;
    strtab_free(&tr->features);
    free(tr->df);
    free(tr->ids);
    free(tr->starts);
    free(tr->labels);
    free(tr);
}

static int
trainer_feature(stance_trainer *tr, const char *s, size_t len)
{
    int added;
    long id = strtab_intern(&tr->features, s, len, &added);
    if (id < 0 || grow((void **)&tr->df, &tr->df_cap, (size_t)id + 1, sizeof *tr->df) ||
        grow((void **)&tr->ids, &tr->ids_cap, tr->nids + 1, sizeof *tr->ids))
        return -1;
    if (added)
        tr->df[id] = 0;
    tr->df[id]++;
    tr->ids[tr->nids++] = (uint32_t)id;
    return 0;
}

static int
trainer_feature_pair(stance_trainer *tr, const char *target_key, const char *s, size_t len)
{
    char f[2 * MAX_FEATURE + 8];
    if (trainer_feature(tr, s, len) < 0)
        return -1;
    size_t tl = target_feature(f, sizeof f, target_key, s, len);
    return tl ? trainer_feature(tr, f, tl) : 0;
}

int
trainer_add(stance_trainer *tr, const feature_bag *b, const char *const *extra, size_t nextra,
            const char *target_key, int label)
{
    if (grow((void **)&tr->labels, &tr->examples_cap, tr->count + 1, 1) ||
        grow((void **)&tr->starts, &tr->starts_cap, tr->count + 2, sizeof *tr->starts))
        return -1;
    tr->starts[tr->count] = tr->nids;
    for (size_t i = 0; i < b->tab.count; i++) {
        size_t len;
        const char *s = strtab_str(&b->tab, i, &len);
        if (trainer_feature_pair(tr, target_key, s, len) < 0)
            return -1;
    }
    for (size_t i = 0; i < nextra; i++)
        if (trainer_feature_pair(tr, target_key, extra[i], strlen(extra[i])))
            return -1;
    tr->labels[tr->count++] = (uint8_t)label;
    tr->starts[tr->count] = tr->nids;
    return 0;
}

/* A small deterministic generator, so that training is reproducible. */
static uint64_t
next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Softmax of the example's scores under weights v (times scale). */
static void
example_probs(const double *v, double scale, const uint32_t *ids, size_t n, double x,
              double p[NLABELS])
{
    double s[NLABELS] = {0};
    for (size_t k = 0; k < n; k++)
        for (int c = 0; c < NLABELS; c++)
            s[c] += v[(size_t)ids[k] * NLABELS + c];
    double top = -INFINITY, sum = 0;
    for (int c = 0; c < NLABELS; c++) {
        s[c] *= scale * x;
        if (s[c] > top)
            top = s[c];
    }
    for (int c = 0; c < NLABELS; c++)
        sum += p[c] = exp(s[c] - top);
    for (int c = 0; c < NLABELS; c++)
        p[c] /= sum;
}

/* Stochastic gradient descent on the L2-penalised log loss, the penalty
 * applied lazily through a common scale (Bottou's trick), so each step
 * costs only the example's features.  Classes are weighted inversely to
 * their frequency: the official measure averages F1 over FAVOR and
 * AGAINST, so the rarer stance must not drown. */
static void
fit(double *v, size_t nfeatures, const uint32_t *ids, const size_t *starts, const uint8_t *labels,
    size_t count, const train_params *p)
{
    size_t *order = malloc(count * sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < count; i++)
        order[i] = i;
    uint64_t rng = 0x9e3779b97f4a7c15u;
    double scale = 1, eta0 = 0.5, t = 0, cw[NLABELS];
    size_t nc[NLABELS] = {0};
    for (size_t i = 0; i < count; i++)
        nc[labels[i]]++;
    for (int c = 0; c < NLABELS; c++)
        cw[c] = nc[c] ? (double)count / (NLABELS * (double)nc[c]) : 1;
    for (int epoch = 0; epoch < p->epochs; epoch++) {
        for (size_t i = count; i > 1; i--) {
            size_t j = next_random(&rng) % i, tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        for (size_t r = 0; r < count; r++) {
            size_t e = order[r];
            const uint32_t *f = ids + starts[e];
            size_t n = starts[e + 1] - starts[e];
            if (n == 0)
                continue;
            double x = 1 / sqrt((double)n), prob[NLABELS];
            double eta = eta0 / (1 + eta0 * p->l2 * t++);
            example_probs(v, scale, f, n, x, prob);
            scale *= 1 - eta * p->l2;
            for (int c = 0; c < NLABELS; c++) {
                double g = (prob[c] - (labels[e] == c)) * cw[labels[e]] * eta * x / scale;
                for (size_t k = 0; k < n; k++)
                    v[(size_t)f[k] * NLABELS + c] -= g;
            }
            if (scale < 1e-6) {
                for (size_t k = 0; k < nfeatures * NLABELS; k++)
                    v[k] *= scale;
                scale = 1;
            }
        }
    }
    for (size_t k = 0; k < nfeatures * NLABELS; k++)
        v[k] *= scale;
    free(order);
}

static int
write_model(const char *path, const strtab *features, const long *keep, size_t nkept,
            const double *w, char *err, size_t errsize)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errsize, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "%s\t%d\n", MODEL_MAGIC, MODEL_VERSION);
    fprintf(f, "labels\t%s\t%s\t%s\n", label_names[0], label_names[1], label_names[2]);
    /* Every kept feature is written, even one whose weights came out
     * near zero: prediction scales by how many known features fired, as
     * training did. */
    fprintf(f, "features\t%zu\n", nkept);
    for (size_t id = 0; id < features->count; id++) {
        if (keep[id] < 0)
            continue;
        const double *r = w + (size_t)keep[id] * NLABELS;
        size_t len;
        const char *s = strtab_str(features, id, &len);
        fprintf(f, "%.*s\t%.6g\t%.6g\t%.6g\n", (int)len, s, r[0], r[1], r[2]);
    }
    fprintf(f, "end\n");
    if (ferror(f) | fclose(f)) {
        snprintf(err, errsize, "cannot write %s", path);
        return -1;
    }
    return 0;
}

int
trainer_finish(stance_trainer *tr, const train_params *p, const char *path, char *err,
               size_t errsize)
{
    if (tr->count == 0) {
        snprintf(err, errsize, "no labelled examples to train on");
        return -1;
    }
    size_t nf = tr->features.count, nkept = 0;
    long *keep = malloc((nf ? nf : 1) * sizeof *keep);
    uint32_t *ids = malloc((tr->nids ? tr->nids : 1) * sizeof *ids);
    size_t *starts = malloc((tr->count + 1) * sizeof *starts);
    double *w = NULL;
    int rc = -1;
    if (!keep || !ids || !starts)
        goto oom;
    /* Rare features cost memory and time and carry chance. */
    for (size_t id = 0; id < nf; id++)
        keep[id] = tr->df[id] >= (uint32_t)p->min_count ? (long)nkept++ : -1;
    size_t at = 0;
    for (size_t e = 0; e < tr->count; e++) {
        starts[e] = at;
        for (size_t k = tr->starts[e]; k < tr->starts[e + 1]; k++)
            if (keep[tr->ids[k]] >= 0)
                ids[at++] = (uint32_t)keep[tr->ids[k]];
    }
    starts[tr->count] = at;
    w = calloc((nkept ? nkept : 1) * NLABELS, sizeof *w);
    if (!w)
        goto oom;
    fit(w, nkept, ids, starts, tr->labels, tr->count, p);
    rc = write_model(path, &tr->features, keep, nkept, w, err, errsize);
    goto done;
oom:
    snprintf(err, errsize, "out of memory training the model");
done:
    free(keep);
    free(ids);
    free(starts);
    free(w);
    return rc;
}

/* ---- the trained model ----------------------------------------------------- */

void
model_free(stance_model *m)
{
    if (!m)
        return;
    strtab_free(&m->features);
    strtab_free(&m->suffixes);
    free(m->w);
    free(m);
}

static int
parse_row(stance_model *m, char *line)
{
    char *tab = strchr(line, '\t');
    if (!tab || tab == line)
        return -1;
    float r[NLABELS];
    char *s = tab + 1, *end;
    for (int c = 0; c < NLABELS; c++) {
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !isfinite(v) || *end != (c + 1 < NLABELS ? '\t' : '\0'))
            return -1;
        r[c] = (float)v;
        s = end + 1;
    }
    int added;
    long id = strtab_intern(&m->features, line, (size_t)(tab - line), &added);
    if (id < 0 || !added ||
        grow((void **)&m->w, &m->w_cap, ((size_t)id + 1) * NLABELS, sizeof *m->w))
        return -1;
    memcpy(m->w + (size_t)id * NLABELS, r, sizeof r);
    return 0;
}

static int
find_suffixes(stance_model *m)
{
    int added;
    size_t sep = strlen(TARGET_SEP);
    for (size_t id = 0; id < m->features.count; id++) {
        size_t len;
        const char *s = strtab_str(&m->features, id, &len);
        for (size_t i = 0; i + sep <= len; i++)
            if (memcmp(s + i, TARGET_SEP, sep) == 0 &&
                strtab_find(&m->features, s + i + sep, len - i - sep) < 0 &&
                strtab_intern(&m->suffixes, s + i + sep, len - i - sep, &added) < 0)
                return -1;
    }
    return 0;
}

stance_model *
model_load(const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsize, "cannot open model %s: %s", path, strerror(errno));
        return NULL;
    }
    stance_model *m = calloc(1, sizeof *m);
    char *line = NULL;
    size_t cap = 0, lineno = 0, expected = 0, rows = 0;
    ssize_t got;
    int ok = 0, version = -1;
    if (!m)
        goto fail;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (got > 0 && line[got - 1] == '\n')
            line[--got] = '\0';
        if (lineno == 1) {
            size_t ml = strlen(MODEL_MAGIC);
            if (strncmp(line, MODEL_MAGIC "\t", ml + 1) != 0) {
                snprintf(err, errsize,
                         "%s is not a textpipe stance model (train one "
                         "with `textpipe train stance -o MODEL FILE`)",
                         path);
                goto fail;
            }
            version = atoi(line + ml + 1);
            if (version != MODEL_VERSION) {
                snprintf(err, errsize,
                         "%s is a stance model of format version %d; this "
                         "plugin reads version %d: train it again",
                         path, version, MODEL_VERSION);
                goto fail;
            }
        } else if (lineno == 2) {
            char want[64];
            snprintf(want, sizeof want, "labels\t%s\t%s\t%s", label_names[0], label_names[1],
                     label_names[2]);
            if (strcmp(line, want) != 0)
                break;
        } else if (lineno == 3) {
            char *end;
            if (strncmp(line, "features\t", 9) != 0)
                break;
            expected = strtoul(line + 9, &end, 10);
            if (*end)
                break;
        } else if (rows == expected) {
            ok = strcmp(line, "end") == 0 && getline(&line, &cap, f) < 0;
            break;
        } else {
            if (parse_row(m, line) < 0)
                break;
            rows++;
        }
    }
    if (!ok) {
        snprintf(err, errsize, "%s: corrupt stance model (line %zu)", path, lineno);
        goto fail;
    }
    if (find_suffixes(m) < 0) {
        snprintf(err, errsize, "%s: out of memory", path);
        goto fail;
    }
    free(line);
    fclose(f);
    return m;
fail:
    free(line);
    fclose(f);
    model_free(m);
    return NULL;
}

static void
add_weights(const stance_model *m, const char *s, size_t len, double score[NLABELS], size_t *known)
{
    long id = strtab_find(&m->features, s, len);
    if (id < 0)
        return;
    for (int c = 0; c < NLABELS; c++)
        score[c] += m->w[(size_t)id * NLABELS + c];
    (*known)++;
}

/* A feature's shared weights and its weights for this target. */
static void
add_pair(const stance_model *m, const char *target_key, const char *s, size_t len,
         double score[NLABELS], size_t *known)
{
    char f[2 * MAX_FEATURE + 8];
    add_weights(m, s, len, score, known);
    size_t tl = target_feature(f, sizeof f, target_key, s, len);
    if (tl)
        add_weights(m, f, tl, score, known);
}

void
model_predict(const stance_model *m, const feature_bag *b, const char *const *extra, size_t nextra,
              const char *target_key, double prob[NLABELS])
{
    double score[NLABELS] = {0};
    size_t known = 0;
    for (size_t i = 0; i < b->tab.count; i++) {
        size_t len;
        const char *s = strtab_str(&b->tab, i, &len);
        add_pair(m, target_key, s, len, score, &known);
    }
    for (size_t i = 0; i < nextra; i++)
        add_pair(m, target_key, extra[i], strlen(extra[i]), score, &known);
    /* The same scaling as in training, where each example's vector had
     * unit length over the features the model kept. */
    double x = known ? 1 / sqrt((double)known) : 0, top = -INFINITY, sum = 0;
    for (int c = 0; c < NLABELS; c++)
        if ((score[c] *= x) > top)
            top = score[c];
    for (int c = 0; c < NLABELS; c++)
        sum += prob[c] = exp(score[c] - top);
    for (int c = 0; c < NLABELS; c++)
        prob[c] /= sum;
}
