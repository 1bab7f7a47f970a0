/* model.c: multinomial logistic regression over hashed features for the
 * arguments plugin's supervised mode (see model.h). */
#include "config.h"

#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"

#define MODEL_MAGIC "arguments-model"

struct role_model {
    float *w; /* ROLE_MODEL_SLOTS x ROLE_MODEL_CLASSES */
    /* training examples: slots of example i are slots[first[i], first[i+1]) */
    uint32_t *slots;
    size_t nslots, slots_cap;
    size_t *first;
    int *labels;
    size_t nexamples, examples_cap;
};

role_model *
role_model_new(void)
{
    role_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->w = calloc((size_t)ROLE_MODEL_SLOTS * ROLE_MODEL_CLASSES, sizeof *m->w);
    if (!m->w) {
        free(m);
        return NULL;
    }
    return m;
}

void
role_model_free(role_model *m)
{
    if (!m)
        return;
    free(m->w);
    free(m->slots);
    free(m->first);
    free(m->labels);
    free(m);
}

int
role_model_add(role_model *m, const uint32_t *slots, size_t n, int label)
{
    size_t cap = m->examples_cap;
    if (grow((void **)&m->slots, &m->slots_cap, m->nslots + n, sizeof *m->slots) < 0 ||
        grow((void **)&m->labels, &cap, m->nexamples + 1, sizeof *m->labels) < 0)
        return -1;
    if (cap != m->examples_cap) {
        size_t *f = realloc(m->first, (cap + 1) * sizeof *f);
        if (!f)
            return -1;
        m->first = f;
        m->examples_cap = cap;
    }
    m->first[m->nexamples] = m->nslots;
    memcpy(m->slots + m->nslots, slots, n * sizeof *slots);
    m->nslots += n;
    m->labels[m->nexamples++] = label;
    m->first[m->nexamples] = m->nslots;
    return 0;
}

size_t
role_model_examples(const role_model *m)
{
    return m->nexamples;
}

static void
scores(const role_model *m, const uint32_t *slots, size_t n, double *out)
{
    for (int c = 0; c < ROLE_MODEL_CLASSES; c++)
        out[c] = 0;
    for (size_t i = 0; i < n; i++) {
        const float *w = m->w + (size_t)(slots[i] % ROLE_MODEL_SLOTS) * ROLE_MODEL_CLASSES;
        for (int c = 0; c < ROLE_MODEL_CLASSES; c++)
            out[c] += w[c];
    }
}

int
role_model_predict(const role_model *m, const uint32_t *slots, size_t n)
{
    double s[ROLE_MODEL_CLASSES];
    scores(m, slots, n, s);
    int best = 0;
    for (int c = 1; c < ROLE_MODEL_CLASSES; c++)
        if (s[c] > s[best])
            best = c;
    return best;
}

void
role_model_fit(role_model *m, unsigned epochs)
{
    size_t n = m->nexamples;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    /* a fixed-seed shuffle: the same file gives the same model */
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (unsigned e = 0; e < epochs; e++) {
        for (size_t i = n; i > 1; i--) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t j = (size_t)((seed >> 33) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        double rate = 0.2 / (1.0 + e);
        for (size_t k = 0; k < n; k++) {
            size_t x = order[k];
            const uint32_t *slots = m->slots + m->first[x];
            size_t ns = m->first[x + 1] - m->first[x];
            double s[ROLE_MODEL_CLASSES], max = -INFINITY, sum = 0;
            scores(m, slots, ns, s);
            for (int c = 0; c < ROLE_MODEL_CLASSES; c++)
                if (s[c] > max)
                    max = s[c];
            for (int c = 0; c < ROLE_MODEL_CLASSES; c++)
                sum += (s[c] = exp(s[c] - max));
            for (int c = 0; c < ROLE_MODEL_CLASSES; c++) {
                double g = s[c] / sum - (c == m->labels[x]);
                float step = (float)(rate * g);
                for (size_t i = 0; i < ns; i++)
                    m->w[(size_t)(slots[i] % ROLE_MODEL_SLOTS) * ROLE_MODEL_CLASSES + c] -= step;
            }
        }
    }
    free(order);
}

int
role_model_save(const role_model *m, const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errsize, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "%s\t1\t%u\t%u\n", MODEL_MAGIC, ROLE_MODEL_BITS, ROLE_MODEL_CLASSES);
    for (size_t s = 0; s < ROLE_MODEL_SLOTS; s++) {
        const float *w = m->w + s * ROLE_MODEL_CLASSES;
        int any = 0;
        for (int c = 0; c < ROLE_MODEL_CLASSES; c++)
            any |= w[c] != 0;
        if (!any)
            continue;
        fprintf(f, "%zu", s);
        for (int c = 0; c < ROLE_MODEL_CLASSES; c++)
            fprintf(f, "\t%.6g", w[c]);
        fputc('\n', f);
    }
    if (ferror(f) | fclose(f)) {
        snprintf(err, errsize, "cannot write %s", path);
        return -1;
    }
    return 0;
}

role_model *
role_model_load(const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsize, "cannot open model %s: %s", path, strerror(errno));
        return NULL;
    }
    role_model *m = role_model_new();
    char line[512];
    unsigned version = 0, bits = 0, classes = 0;
    if (!m || !fgets(line, sizeof line, f) ||
        sscanf(line, MODEL_MAGIC "\t%u\t%u\t%u", &version, &bits, &classes) != 3 || version != 1 ||
        bits != ROLE_MODEL_BITS || classes != ROLE_MODEL_CLASSES) {
        snprintf(err, errsize, "%s: not an arguments model (version 1, %u bits, %u classes)", path,
                 ROLE_MODEL_BITS, ROLE_MODEL_CLASSES);
        goto fail;
    }
    size_t lineno = 1;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        unsigned long s;
        float w[ROLE_MODEL_CLASSES];
        if (sscanf(line, "%lu\t%f\t%f\t%f\t%f", &s, &w[0], &w[1], &w[2], &w[3]) != 5 ||
            s >= ROLE_MODEL_SLOTS) {
            snprintf(err, errsize, "%s:%zu: want a slot and %u weights", path, lineno,
                     ROLE_MODEL_CLASSES);
            goto fail;
        }
        memcpy(m->w + s * ROLE_MODEL_CLASSES, w, sizeof w);
    }
    fclose(f);
    return m;
fail:
    role_model_free(m);
    fclose(f);
    return NULL;
}
