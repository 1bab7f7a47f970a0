/* train.c: the generic training command.  Each example's text is analysed
 * whole (sentences kept together), because a learner wants the example at
 * once; examples are short, so that is bounded by the longest one. */
#include "config.h"

#include "train.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "buf.h"
#include "host.h"
#include "tsv.h"

/* Sentences of one text, deep-copied out of the pipeline's buffers. */
typedef struct collected {
    buf strings;      /* every string, NUL-terminated */
    tp_token *toks;   /* pointers fixed up at the end */
    size_t ntoks, tcap;
    tp_sentence *sents;
    size_t nsents, scap;
} collected;

static size_t
keep(collected *c, const char *s, size_t len)
{
    size_t at = c->strings.len;
    buf_add(&c->strings, s, len);
    buf_addc(&c->strings, '\0');
    return at;
}

/* Pointers are stored as offsets (into strings, or token indexes) until
 * the text is complete, since the buffers still move. */
static int
collect(void *arg, const tp_sentence *s)
{
    collected *c = arg;
    if (c->nsents == c->scap) {
        c->scap = c->scap ? 2 * c->scap : 16;
        c->sents = xrealloc(c->sents, c->scap * sizeof *c->sents);
    }
    tp_sentence *d = &c->sents[c->nsents++];
    *d = *s;
    d->stem_hashes = NULL; /* lent: not kept */
    d->text = (const char *)(uintptr_t)keep(c, s->text, s->end - s->start);
    d->tokens = (const tp_token *)(uintptr_t)c->ntoks;
    for (size_t i = 0; i < s->ntokens; i++) {
        if (c->ntoks == c->tcap) {
            c->tcap = c->tcap ? 2 * c->tcap : 64;
            c->toks = xrealloc(c->toks, c->tcap * sizeof *c->toks);
        }
        tp_token *t = &c->toks[c->ntoks++];
        *t = s->tokens[i];
        t->surface = (const char *)(uintptr_t)keep(c, t->surface, t->surface_len);
        t->norm = (const char *)(uintptr_t)keep(c, t->norm, t->norm_len);
        t->stem = (const char *)(uintptr_t)keep(c, t->stem, t->stem_len);
    }
    return 0;
}

static void
fix_pointers(collected *c)
{
    const char *base = c->strings.data;
    for (size_t i = 0; i < c->ntoks; i++) {
        c->toks[i].surface = base + (uintptr_t)c->toks[i].surface;
        c->toks[i].norm = base + (uintptr_t)c->toks[i].norm;
        c->toks[i].stem = base + (uintptr_t)c->toks[i].stem;
    }
    for (size_t i = 0; i < c->nsents; i++) {
        c->sents[i].text = base + (uintptr_t)c->sents[i].text;
        c->sents[i].tokens = c->toks + (uintptr_t)c->sents[i].tokens;
    }
}

static void
strip_eol(char *line, ssize_t *n)
{
    while (*n > 0 && (line[*n - 1] == '\n' || line[*n - 1] == '\r'))
        line[--*n] = '\0';
}

int
train_main(plugin *p, const char *lang_code, const char *path, const char *model_out)
{
    const tp_plugin *d = p->desc;
    if (!TP_HAS(d, train_finish) || d->train_example == NULL || d->train_finish == NULL) {
        fprintf(stderr, "textpipe: train: plugin %s (%s) cannot be trained\n", d->name, p->path);
        return 2;
    }
    char err[1024];
    lang *l = lang_load(lang_code, err, sizeof err);
    if (l == NULL) {
        fprintf(stderr, "textpipe: %s\n", err);
        return 2;
    }
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "textpipe: train: %s: %s\n", path, strerror(errno));
        lang_free(l);
        return 1;
    }
    host_env env = {.lang = l};
    tp_ctx ctx;
    host_ctx_init(&ctx, &env, p);
    void *inst = NULL;
    int status = 0;
    if (d->create(&host_table, &ctx, &inst) != TP_OK) {
        host_report(&ctx, host_ctx_error(&ctx, "create"));
        if (f != stdin)
            fclose(f);
        lang_free(l);
        return 2;
    }
    pipeline *pipe = pipeline_new(l);
    char *line = NULL, **names = NULL, **values = NULL;
    size_t cap = 0, ncols = 0, text_col = 0;
    ssize_t n;
    unsigned long long lineno = 0, examples = 0;
    const char *want = d->train_text_column ? d->train_text_column : "text";
    char *header = NULL;

    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        strip_eol(line, &n);
        if (header == NULL) {
            header = xstrdup(line);
            names = xcalloc(strlen(header) + 1, sizeof *names);
            ncols = tsv_split(header, strlen(header), names, strlen(header) + 1);
            values = xcalloc(ncols, sizeof *values);
            for (text_col = 0; text_col < ncols; text_col++)
                if (strcasecmp(names[text_col], want) == 0)
                    break;
            if (text_col == ncols) {
                fprintf(stderr, "textpipe: train: %s:1: no column \"%s\" in the header line\n",
                        path, want);
                status = 1;
                break;
            }
            continue;
        }
        if (n == 0)
            continue;
        size_t got = tsv_split(line, (size_t)n, values, ncols);
        if (got != ncols) {
            fprintf(stderr, "textpipe: train: %s:%llu: %zu fields, the header has %zu; skipped\n",
                    path, lineno, got, ncols);
            status = 1;
            continue;
        }
        collected c = {BUF_INIT, NULL, 0, 0, NULL, 0, 0};
        const char *text = values[text_col];
        pipeline_begin(pipe);
        pipeline_feed(pipe, text, strlen(text), collect, &c);
        pipeline_end(pipe, collect, &c);
        fix_pointers(&c);
        char idbuf[64];
        snprintf(idbuf, sizeof idbuf, "%s:%llu", path, lineno);
        tp_document doc = {sizeof doc, idbuf, lang_code, examples};
        env.doc = &doc;
        tp_example ex = {sizeof ex, (const char *const *)names, (const char *const *)values,
                         ncols, text, c.sents, c.nsents};
        int rc = d->train_example(&ctx, inst, &ex);
        env.doc = NULL;
        buf_free(&c.strings);
        free(c.toks);
        free(c.sents);
        if (rc != TP_OK) {
            char msg[1200];
            snprintf(msg, sizeof msg, "%s:%llu: %s", path, lineno,
                     host_ctx_error(&ctx, "train_example"));
            host_report(&ctx, msg);
            ctx.error[0] = '\0';
            status = 1;
            continue;
        }
        examples++;
    }
    if (ferror(f)) {
        fprintf(stderr, "textpipe: train: %s: read error\n", path);
        status = 1;
    }
    if (header == NULL) {
        fprintf(stderr, "textpipe: train: %s: empty file (expected a header line)\n", path);
        status = 1;
    } else if (status == 0 || examples > 0) {
        if (d->train_finish(&ctx, inst, model_out) != TP_OK) {
            host_report(&ctx, host_ctx_error(&ctx, "train_finish"));
            status = 1;
        } else {
            fprintf(stderr, "textpipe: train: %s: %llu examples, model written to %s\n", d->name,
                    examples, model_out);
        }
    }
    if (d->destroy)
        d->destroy(inst);
    pipeline_free(pipe);
    pipeline_free(env.aux);
    free(line);
    free(header);
    free(names);
    free(values);
    if (f != stdin)
        fclose(f);
    lang_free(l);
    return status;
}
