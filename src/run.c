/* run.c: a run over the inputs: plugin instances per worker, documents in
 * input order through the pipeline, every document accounted for (records,
 * or a message naming it), and -j N workers whose output is the -j 1
 * output byte for byte. */
#include "config.h"

#include "run.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "host.h"
#include "reader.h"

typedef struct run run;

typedef struct worker {
    run *run;
    host_env env;
    pipeline *pipe;
    tp_ctx *ctx; /* one per plugin */
    outdoc out;
    tp_document doc;
} worker;

/* A document for a worker: a file to open, or a line already read. */
typedef struct job {
    uint64_t seq;
    char *path; /* file mode */
    char *id;   /* lines mode */
    char *text;
    size_t len;
    struct job *next;
} job;

struct run {
    const run_config *cfg;
    const lang *lang;
    output *out;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    job *head, *tail;
    size_t queued;
    int done; /* no more jobs will come */
    int failed_docs;
};

/* ---- workers -------------------------------------------------------- */

static void
worker_free(worker *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; i < w->run->cfg->nplugins; i++) {
        const tp_plugin *d = w->ctx[i].pl->desc;
        if (w->ctx[i].instance != NULL && d->destroy != NULL)
            d->destroy(w->ctx[i].instance);
    }
    free(w->ctx);
    pipeline_free(w->pipe);
    pipeline_free(w->env.aux);
    outdoc_free(&w->out);
    free(w);
}

/* Create the worker's plugin instances: a refusal here is a setup error,
 * reported before any input is read. */
static worker *
worker_new(run *r)
{
    const run_config *cfg = r->cfg;
    worker *w = xcalloc(1, sizeof *w);
    w->run = r;
    w->env.lang = r->lang;
    w->pipe = pipeline_new(r->lang);
    w->ctx = xcalloc(cfg->nplugins ? cfg->nplugins : 1, sizeof *w->ctx);
    for (size_t i = 0; i < cfg->nplugins; i++)
        host_ctx_init(&w->ctx[i], &w->env, cfg->plugins[i]);
    for (size_t i = 0; i < cfg->nplugins; i++) {
        tp_ctx *c = &w->ctx[i];
        if (c->pl->desc->create(&host_table, c, &c->instance) != TP_OK) {
            char msg[1200];
            snprintf(msg, sizeof msg, "cannot start (%s): %s", c->pl->path,
                     host_ctx_error(c, "create"));
            c->instance = NULL;
            host_report(c, msg);
            worker_free(w);
            return NULL;
        }
    }
    return w;
}

static int
on_sentence(void *arg, const tp_sentence *s)
{
    worker *w = arg;
    for (size_t i = 0; i < w->run->cfg->nplugins; i++) {
        tp_ctx *c = &w->ctx[i];
        if (c->pl->desc->sentence != NULL && c->pl->desc->sentence(c, c->instance, s) != TP_OK) {
            host_report(c, host_ctx_error(c, "sentence"));
            return -1;
        }
    }
    return 0;
}

static void
report_counts(const worker *w)
{
    const tokenize_counts *k = pipeline_counts(w->pipe);
    struct {
        uint64_t n;
        const char *what;
    } items[] = {
        {k->invalid, "invalid UTF-8 sequence"}, {k->nul, "NUL byte"},
        {k->control, "control character"},      {k->bom, "byte order mark"},
        {k->crlf, "CRLF line end"},             {k->cr, "lone CR line end"},
        {k->linesep, "Unicode line/paragraph separator"},
        {k->cut, "overlong token cut"},
        {pipeline_capped(w->pipe), "sentence cut at the length cap"},
    };
    char msg[1024];
    size_t n = 0;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (items[i].n == 0 || n >= sizeof msg)
            continue;
        n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%llu %s%s", n ? ", " : "",
                              (unsigned long long)items[i].n, items[i].what,
                              items[i].n == 1 ? "" : "s");
    }
    if (n > 0)
        fprintf(stderr, "textpipe: %s: %s (handled; offsets are into the input as it is)\n",
                w->doc.id, msg);
}

typedef ssize_t (*read_fn)(void *src, char *dst, size_t max);

/* One document through the plugins.  Returns 0, or 1 when it failed (an
 * input or plugin error, already reported). */
static int
process(worker *w, uint64_t seq, const char *id, read_fn rd, void *src)
{
    const run_config *cfg = w->run->cfg;
    w->doc = (tp_document){sizeof(tp_document), id, cfg->lang, seq};
    w->env.doc = &w->doc;
    w->env.out = &w->out;
    output_begin(w->run->out, &w->out, seq);
    pipeline_begin(w->pipe);
    int failed = 0;
    for (size_t i = 0; i < cfg->nplugins && !failed; i++) {
        tp_ctx *c = &w->ctx[i];
        if (c->pl->desc->begin_document != NULL
            && c->pl->desc->begin_document(c, c->instance, &w->doc) != TP_OK) {
            host_report(c, host_ctx_error(c, "begin_document"));
            failed = 1;
        }
    }
    while (!failed) {
        char *space = pipeline_space(w->pipe, READER_BLOCK);
        ssize_t n = rd(src, space, READER_BLOCK);
        if (n < 0) {
            fprintf(stderr, "textpipe: %s: read error: %s\n", id, strerror(errno));
            failed = 1;
        } else if (n == 0) {
            failed = pipeline_end(w->pipe, on_sentence, w) != 0;
            break;
        } else if (pipeline_fed(w->pipe, (size_t)n, on_sentence, w) != 0) {
            failed = 1;
        }
    }
    for (size_t i = 0; i < cfg->nplugins && !failed; i++) {
        tp_ctx *c = &w->ctx[i];
        if (c->pl->desc->end_document != NULL
            && c->pl->desc->end_document(c, c->instance, &w->doc) != TP_OK) {
            host_report(c, host_ctx_error(c, "end_document"));
            failed = 1;
        }
    }
    report_counts(w);
    w->env.doc = NULL;
    w->env.out = NULL;
    output_end(&w->out);
    return failed;
}

static ssize_t
read_file(void *src, char *dst, size_t max)
{
    return reader_read(src, dst, max);
}

static ssize_t
read_line(void *src, char *dst, size_t max)
{
    return reader_line_read(src, dst, max);
}

typedef struct mem_src {
    const char *p;
    size_t left;
} mem_src;

static ssize_t
read_mem(void *src, char *dst, size_t max)
{
    mem_src *m = src;
    size_t n = m->left < max ? m->left : max;
    memcpy(dst, m->p, n);
    m->p += n;
    m->left -= n;
    return (ssize_t)n;
}

/* A whole file as one document; an unreadable one still takes its turn in
 * the output so that the documents after it are not held back. */
static int
process_file(worker *w, uint64_t seq, const char *path)
{
    char err[4200];
    reader *rd = reader_open(path, err, sizeof err);
    if (rd == NULL) {
        fprintf(stderr, "textpipe: %s\n", err);
        output_begin(w->run->out, &w->out, seq);
        output_end(&w->out);
        return 1;
    }
    int failed = process(w, seq, path, read_file, rd);
    reader_close(rd);
    return failed;
}

static void
line_id(char *buf, size_t size, const char *path, uint64_t lineno)
{
    snprintf(buf, size, "%s:%llu", path, (unsigned long long)lineno);
}

/* ---- the job queue of -j N ------------------------------------------ */

#define QUEUE_MAX 64

static void
push(run *r, job *j)
{
    pthread_mutex_lock(&r->lock);
    while (r->queued >= QUEUE_MAX)
        pthread_cond_wait(&r->changed, &r->lock);
    if (r->tail)
        r->tail->next = j;
    else
        r->head = j;
    r->tail = j;
    r->queued++;
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
}

static job *
pop(run *r)
{
    pthread_mutex_lock(&r->lock);
    while (r->head == NULL && !r->done)
        pthread_cond_wait(&r->changed, &r->lock);
    job *j = r->head;
    if (j != NULL) {
        r->head = j->next;
        if (r->head == NULL)
            r->tail = NULL;
        r->queued--;
        pthread_cond_broadcast(&r->changed);
    }
    pthread_mutex_unlock(&r->lock);
    return j;
}

static void
count_failure(run *r, int failed)
{
    if (!failed)
        return;
    pthread_mutex_lock(&r->lock);
    r->failed_docs++;
    pthread_mutex_unlock(&r->lock);
}

static void *
worker_main(void *arg)
{
    worker *w = arg;
    job *j;
    while ((j = pop(w->run)) != NULL) {
        int failed;
        if (j->path != NULL) {
            failed = process_file(w, j->seq, j->path);
        } else {
            mem_src m = {j->text, j->len};
            failed = process(w, j->seq, j->id, read_mem, &m);
        }
        count_failure(w->run, failed);
        free(j->path);
        free(j->id);
        free(j->text);
        free(j);
    }
    return NULL;
}

/* ---- producing documents -------------------------------------------- */

/* Lines of one input, as documents: straight through the worker (-j 1), or
 * copied into jobs for the pool. */
static void
produce_lines(run *r, worker *solo, const char *path, uint64_t *seq)
{
    char err[4200];
    reader *rd = reader_open(path, err, sizeof err);
    if (rd == NULL) {
        fprintf(stderr, "textpipe: %s\n", err);
        count_failure(r, 1);
        return;
    }
    uint64_t lineno;
    int more;
    while ((more = reader_next_line(rd, &lineno)) > 0 && !output_closed(r->out)) {
        char id[4096];
        if (reader_line_id(rd, id, sizeof id) <= 0)
            line_id(id, sizeof id, path, lineno);
        if (solo != NULL) {
            count_failure(r, process(solo, (*seq)++, id, read_line, rd));
            continue;
        }
        buf text = BUF_INIT;
        char piece[READER_BLOCK];
        ssize_t n;
        while ((n = reader_line_read(rd, piece, sizeof piece)) > 0)
            buf_add(&text, piece, (size_t)n);
        if (n < 0)
            break;
        job *j = xcalloc(1, sizeof *j);
        j->seq = (*seq)++;
        j->id = xstrdup(id);
        j->text = text.data ? text.data : xstrdup("");
        j->len = text.len;
        push(r, j);
    }
    if (more < 0) {
        fprintf(stderr, "textpipe: %s: read error: %s\n", path, strerror(errno));
        count_failure(r, 1);
    }
    reader_close(rd);
}

static void
produce(run *r, worker *solo)
{
    const run_config *cfg = r->cfg;
    uint64_t seq = 0;
    for (size_t i = 0; i < cfg->ninputs && !output_closed(r->out); i++) {
        const char *path = cfg->inputs[i];
        if (cfg->lines) {
            produce_lines(r, solo, path, &seq);
        } else if (solo != NULL) {
            count_failure(r, process_file(solo, seq++, path));
        } else {
            job *j = xcalloc(1, sizeof *j);
            j->seq = seq++;
            j->path = xstrdup(path);
            push(r, j);
        }
    }
}

static void
write_header(const run_config *cfg, FILE *f)
{
    for (size_t i = 0; i < cfg->nplugins; i++) {
        const tp_plugin *d = cfg->plugins[i]->desc;
        for (size_t k = 0; k < d->nrecords; k++) {
            fprintf(f, "#%s\tdoc", d->records[k].name);
            for (size_t c = 0; c < d->records[k].ncolumns; c++)
                fprintf(f, "\t%s", d->records[k].columns[c].name);
            fputc('\n', f);
        }
    }
}

int
run_main(const run_config *cfg)
{
    char err[1024];
    lang *l = lang_load(cfg->lang, err, sizeof err);
    if (l == NULL) {
        fprintf(stderr, "textpipe: %s\n", err);
        return 2;
    }
    run r = {0};
    r.cfg = cfg;
    r.lang = l;
    r.out = output_new(stdout);
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);

    int jobs = cfg->jobs > 0 ? cfg->jobs : 1;
    worker **ws = xcalloc((size_t)jobs, sizeof *ws);
    int status = 0;
    for (int i = 0; i < jobs; i++) {
        ws[i] = worker_new(&r);
        if (ws[i] == NULL) {
            status = 2;
            goto out;
        }
    }
    if (cfg->header)
        write_header(cfg, stdout);

    if (jobs == 1) {
        produce(&r, ws[0]);
    } else {
        pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
        for (int i = 0; i < jobs; i++)
            pthread_create(&th[i], NULL, worker_main, ws[i]);
        produce(&r, NULL);
        pthread_mutex_lock(&r.lock);
        r.done = 1;
        pthread_cond_broadcast(&r.changed);
        pthread_mutex_unlock(&r.lock);
        for (int i = 0; i < jobs; i++)
            pthread_join(th[i], NULL);
        free(th);
    }
    for (int i = 0; i < jobs; i++) {
        worker *w = ws[i];
        for (size_t k = 0; k < cfg->nplugins; k++) {
            tp_ctx *c = &w->ctx[k];
            if (c->pl->desc->end_stream != NULL && c->pl->desc->end_stream(c, c->instance) != TP_OK)
                host_report(c, host_ctx_error(c, "end_stream"));
        }
    }
    status = r.failed_docs > 0 ? 1 : 0;
out:
    for (int i = 0; i < jobs; i++)
        worker_free(ws[i]);
    free(ws);
    if (output_close(r.out) != 0) {
        fprintf(stderr, "textpipe: write error: %s\n", strerror(errno));
        if (status == 0)
            status = 1;
    }
    output_free(r.out);
    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.changed);
    lang_free(l);
    return status;
}
