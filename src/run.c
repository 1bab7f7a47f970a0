/* run.c: a run over the inputs: plugin instances per worker, documents in
 * input order through the pipeline, every document accounted for (records,
 * or a message naming it), and -j N workers whose output is the -j 1
 * output byte for byte.  With -o DIR the records go to one file a type;
 * with --state, markers in the output stream tell, in output order, when
 * an input's records are all out, and the input is journaled then. */
#include "config.h"

#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "host.h"
#include "manifest.h"
#include "outdir.h"
#include "progress.h"
#include "reader.h"
#include "sha256.h"
#include "state.h"

/* How often, at most, the part files are synced and the journal written:
 * a kill loses at most this much work, and syncs stay few. */
#define COMMIT_SECONDS 0.2

/* The signal that asked a run with -o to stop early, or 0. */
static volatile sig_atomic_t stop_signal;

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
    progress *progress;
    /* -o DIR */
    outdir *od;
    char **types; /* every record type of the plugins */
    char **tops;  /* manifest and header of each type's file */
    size_t ntypes;
    /* --state */
    state *st;
    int markers;       /* write the markers that drive the journal */
    uint64_t *mark, *len; /* each type's offset at the last input's end */
    int input_failed;    /* a document of the input in progress failed */
    struct timespec committed;
    int commit_failed;
    outdoc marker;       /* the producer's pseudo-document of markers */
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
    w->env.idle = w->pipe; /* analyze() in create borrows it (host.h) */
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
    /* A count, its noun, and what follows it in the plural and the
     * singular. */
    struct {
        uint64_t n;
        const char *what, *many, *one;
    } items[] = {
        {k->invalid, "invalid UTF-8 sequence", "s", ""},
        {k->nul, "NUL byte", "s", ""},
        {k->control, "control character", "s", ""},
        {k->bom, "byte order mark", "s", ""},
        {k->crlf, "CRLF line end", "s", ""},
        {k->cr, "lone CR line end", "s", ""},
        {k->linesep, "Unicode line/paragraph separator", "s", ""},
        {k->cut, "overlong token", "s cut", " cut"},
        {pipeline_capped(w->pipe), "sentence", "s cut at the length cap", " cut at the length cap"},
    };
    char msg[1024];
    size_t n = 0;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (items[i].n == 0 || n >= sizeof msg)
            continue;
        const char *rest = items[i].n == 1 ? items[i].one : items[i].many;
        n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%llu %s%s", n ? ", " : "",
                              (unsigned long long)items[i].n, items[i].what, rest);
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
    if (w->run->markers)
        output_raw(&w->out, failed ? "\036D1\n" : "\036D0\n", 4); /* OUTDIR_MARK */
    progress_done(w->run->progress, pipeline_bytes(w->pipe), failed);
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
        if (w->run->markers)
            output_raw(&w->out, "\036D1\n", 4);
        progress_done(w->run->progress, 0, 1);
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
 * copied into jobs for the pool.  Returns 0, 1 when the input could not be
 * read (reported), 2 when a signal stopped it half-way. */
static int
produce_lines(run *r, worker *solo, const char *path, uint64_t *seq)
{
    char err[4200];
    reader *rd = reader_open(path, err, sizeof err);
    if (rd == NULL) {
        fprintf(stderr, "textpipe: %s\n", err);
        count_failure(r, 1);
        return 1;
    }
    uint64_t lineno;
    int more, rc = 0;
    while ((more = reader_next_line(rd, &lineno)) > 0 && !output_closed(r->out)) {
        if (stop_signal) {
            rc = 2;
            break;
        }
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
        if (n < 0) {
            buf_free(&text);
            more = -1;
            break;
        }
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
        rc = 1;
    }
    reader_close(rd);
    return rc;
}

/* The end of input i, as a pseudo-document in the output stream: when the
 * output gets to it, every record of the input has gone out before it.  It
 * carries what the journal needs (size, time, hash as state_check saw
 * them), so that nothing is kept per input in memory. */
static void
end_marker(run *r, uint64_t *seq, size_t i, int failed, const struct stat *st, const char *hash)
{
    char m[200];
    int n = snprintf(m, sizeof m, "%cF%d%zu\t%lld\t%lld\t%ld\t%s\n", OUTDIR_MARK, failed != 0, i,
                     (long long)st->st_size, (long long)st->st_mtim.tv_sec,
                     (long)st->st_mtim.tv_nsec, hash);
    output_begin(r->out, &r->marker, (*seq)++);
    output_raw(&r->marker, m, (size_t)n);
    output_end(&r->marker);
}

/* With --state: is input i to be processed?  An unchanged one is counted,
 * an unreadable one reported and journaled as failed (to be retried). */
static int
wanted(run *r, size_t i, struct stat *st, char hash[SHA256_HEX_SIZE])
{
    const char *path = r->cfg->inputs[i];
    int rc;
    if (stat(path, st) != 0) {
        rc = -1;
    } else if (S_ISDIR(st->st_mode)) {
        errno = EISDIR;
        rc = -1;
    } else {
        rc = state_check(r->st, path, st, hash);
    }
    if (rc == 0) {
        progress_unchanged(r->progress, (uint64_t)st->st_size);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "textpipe: %s: %s\n", path, strerror(errno));
        count_failure(r, 1);
        progress_done(r->progress, 0, 1);
        state_done(r->st, path, 1, NULL, "-", NULL, NULL);
        return 0;
    }
    return 1;
}

static void
produce(run *r, worker *solo)
{
    const run_config *cfg = r->cfg;
    uint64_t seq = 0;
    for (size_t i = 0; i < cfg->ninputs && !output_closed(r->out) && !stop_signal; i++) {
        const char *path = cfg->inputs[i];
        struct stat st;
        char hash[SHA256_HEX_SIZE];
        if (r->st != NULL && !wanted(r, i, &st, hash))
            continue;
        int failed = 0;
        if (cfg->lines) {
            failed = produce_lines(r, solo, path, &seq);
            if (failed == 2)
                break;
        } else if (solo != NULL) {
            count_failure(r, process_file(solo, seq++, path));
        } else {
            job *j = xcalloc(1, sizeof *j);
            j->seq = seq++;
            j->path = xstrdup(path);
            push(r, j);
        }
        if (r->markers)
            end_marker(r, &seq, i, failed, &st, hash);
    }
}

/* ---- -o DIR and --state ------------------------------------------------ */

static void
commit(run *r)
{
    clock_gettime(CLOCK_MONOTONIC, &r->committed);
    if (r->commit_failed || !state_pending(r->st))
        return;
    if (outdir_sync(r->od) != 0 || state_commit(r->st, r->mark) != 0) {
        fprintf(stderr, "textpipe: --state: cannot save what is done: %s\n", strerror(errno));
        r->commit_failed = 1;
    }
}

/* Called by the output, in output order, under its lock. */
static void
on_marker(void *arg, outdir *od, const char *payload, size_t len)
{
    run *r = arg;
    if (len >= 2 && payload[0] == 'D') {
        r->input_failed |= payload[1] == '1';
        return;
    }
    if (len < 3 || payload[0] != 'F' || len >= 200)
        return;
    char fields[200], *p = fields;
    memcpy(fields, payload + 2, len - 2);
    fields[len - 2] = '\0';
    size_t i = (size_t)strtoull(p, &p, 10);
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_size = (off_t)strtoll(p, &p, 10);
    st.st_mtim.tv_sec = (time_t)strtoll(p, &p, 10);
    st.st_mtim.tv_nsec = strtol(p, &p, 10);
    const char *hash = p + (*p == '\t');
    int failed = payload[1] == '1' || r->input_failed;
    for (size_t t = 0; t < r->ntypes; t++)
        r->len[t] = outdir_offset(od, t) - r->mark[t];
    state_done(r->st, r->cfg->inputs[i], failed, &st, hash, r->mark, r->len);
    for (size_t t = 0; t < r->ntypes; t++)
        r->mark[t] = outdir_offset(od, t);
    r->input_failed = 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since = (double)(now.tv_sec - r->committed.tv_sec)
                   + (double)(now.tv_nsec - r->committed.tv_nsec) / 1e9;
    if (since >= COMMIT_SECONDS)
        commit(r);
}

static void
header_line(buf *b, const tp_record_type *rt)
{
    buf_addc(b, '#');
    buf_adds(b, rt->name);
    buf_adds(b, "\tdoc");
    for (size_t c = 0; c < rt->ncolumns; c++) {
        buf_addc(b, '\t');
        buf_adds(b, rt->columns[c].name);
    }
    buf_addc(b, '\n');
}

/* Every record type of the plugins, and the top of its file. */
static void
collect_types(run *r, const buf *manifest)
{
    const run_config *cfg = r->cfg;
    for (size_t i = 0; i < cfg->nplugins; i++) {
        const tp_plugin *d = cfg->plugins[i]->desc;
        for (size_t k = 0; k < d->nrecords; k++) {
            r->types = xrealloc(r->types, (r->ntypes + 1) * sizeof *r->types);
            r->tops = xrealloc(r->tops, (r->ntypes + 1) * sizeof *r->tops);
            buf top = BUF_INIT;
            buf_add(&top, manifest->data ? manifest->data : "", manifest->len);
            header_line(&top, &d->records[k]);
            r->types[r->ntypes] = xstrdup(d->records[k].name);
            r->tops[r->ntypes++] = top.data;
        }
    }
}

static void
tmp_path(const run *r, size_t i, char *out, size_t size)
{
    snprintf(out, size, "%s/.%s.tsv.tmp.%ld", r->cfg->outdir, r->types[i], (long)getpid());
}

/* The temporary files of -o runs that were killed (SIGKILL leaves them),
 * once their process is gone. */
static void
remove_stale_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        const char *tmp = strstr(e->d_name, ".tsv.tmp.");
        if (e->d_name[0] != '.' || tmp == NULL)
            continue;
        char *end;
        long pid = strtol(tmp + 9, &end, 10);
        if (*end != '\0' || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
}

/* Open the files of -o DIR: this run's part files with --state, else
 * temporary files renamed into place at the end.  0, or -1 reported. */
static int
open_outdir(run *r, const buf *manifest)
{
    const run_config *cfg = r->cfg;
    char err[4200];
    collect_types(r, manifest);
    r->mark = xcalloc(r->ntypes + 1, sizeof *r->mark);
    r->len = xcalloc(r->ntypes + 1, sizeof *r->len);
    if (cfg->state != NULL) {
        r->st = state_open(cfg->state, cfg->outdir, manifest->data, r->types, r->ntypes, err,
                           sizeof err);
        if (r->st == NULL) {
            fprintf(stderr, "textpipe: %s\n", err);
            return -1;
        }
        r->markers = 1;
        clock_gettime(CLOCK_MONOTONIC, &r->committed);
    } else if (mkdir(cfg->outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "textpipe: -o %s: %s\n", cfg->outdir, strerror(errno));
        return -1;
    } else {
        remove_stale_tmp(cfg->outdir);
    }
    char **paths = xcalloc(r->ntypes + 1, sizeof *paths);
    for (size_t i = 0; i < r->ntypes; i++) {
        paths[i] = xmalloc(PATH_MAX);
        if (r->st != NULL)
            state_part_path(r->st, i, paths[i], PATH_MAX);
        else
            tmp_path(r, i, paths[i], PATH_MAX);
    }
    r->od = outdir_new(r->types, paths, (const char *const *)r->tops, r->ntypes, on_marker, r, err,
                       sizeof err);
    if (r->od == NULL)
        fprintf(stderr, "textpipe: -o %s\n", err);
    for (size_t i = 0; r->od != NULL && i < r->ntypes; i++)
        r->mark[i] = outdir_offset(r->od, i);
    for (size_t i = 0; i < r->ntypes; i++) {
        if (r->od == NULL && r->st == NULL)
            unlink(paths[i]);
        free(paths[i]);
    }
    free(paths);
    return r->od != NULL ? 0 : -1;
}

/* The end of -o DIR: with complete = 0 (a setup error, a write error, a
 * signal) nothing replaces the files of an earlier run. Returns the
 * status to add: 0, or 1 on a write error (reported). */
static int
close_outdir(run *r, int complete)
{
    const run_config *cfg = r->cfg;
    int status = 0;
    if (r->od == NULL) {
        state_free(r->st);
        r->st = NULL;
        return 0;
    }
    int synced = outdir_sync(r->od) == 0;
    if (!synced) {
        fprintf(stderr, "textpipe: -o %s: write error: %s\n", cfg->outdir, strerror(errno));
        status = 1;
        complete = 0;
    }
    if (r->st != NULL && synced && !r->commit_failed && state_pending(r->st)
        && state_commit(r->st, r->mark) != 0) {
        fprintf(stderr, "textpipe: --state: cannot save what is done: %s\n", strerror(errno));
        status = 1;
        complete = 0;
    }
    if (outdir_free(r->od) != 0 && synced) {
        fprintf(stderr, "textpipe: -o %s: write error: %s\n", cfg->outdir, strerror(errno));
        status = 1;
        complete = 0;
    }
    r->od = NULL;
    if (r->st != NULL) {
        char err[4200];
        if (complete && !r->commit_failed
            && state_finish(r->st, cfg->inputs, cfg->ninputs, (const char *const *)r->tops, err,
                            sizeof err)
                   < 0) {
            fprintf(stderr, "textpipe: %s\n", err);
            status = 1;
        }
        state_free(r->st);
        r->st = NULL;
        return status;
    }
    for (size_t i = 0; i < r->ntypes; i++) {
        char tmp[PATH_MAX], final[PATH_MAX];
        tmp_path(r, i, tmp, sizeof tmp);
        snprintf(final, sizeof final, "%s/%s.tsv", cfg->outdir, r->types[i]);
        if (!complete) {
            unlink(tmp);
        } else if (rename(tmp, final) != 0) {
            fprintf(stderr, "textpipe: -o %s: %s\n", final, strerror(errno));
            unlink(tmp);
            status = 1;
        }
    }
    if (complete)
        state_sync_dir(cfg->outdir);
    return status;
}

static void
on_signal(int sig)
{
    stop_signal = sig;
}

/* Totals for the progress report: sizes are known up front for files,
 * documents too unless every line is one. */
static progress *
start_progress(const run_config *cfg)
{
    if (cfg->progress == PROGRESS_NONE)
        return NULL;
    uint64_t bytes = 0;
    for (size_t i = 0; i < cfg->ninputs; i++) {
        struct stat st;
        if (strcmp(cfg->inputs[i], "-") != 0 && stat(cfg->inputs[i], &st) == 0
            && S_ISREG(st.st_mode))
            bytes += (uint64_t)st.st_size;
    }
    return progress_start((progress_mode)cfg->progress, cfg->progress_seconds, stderr,
                          cfg->lines ? 0 : cfg->ninputs, bytes);
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
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);
    stop_signal = 0;

    int jobs = cfg->jobs > 0 ? cfg->jobs : 1;
    worker **ws = xcalloc((size_t)jobs, sizeof *ws);
    int status = 0;
    buf manifest = BUF_INIT;
    struct sigaction old_int, old_term;
    for (int i = 0; i < jobs; i++) {
        ws[i] = worker_new(&r);
        if (ws[i] == NULL) {
            status = 2;
            goto out;
        }
    }
    if (cfg->manifest || cfg->outdir != NULL)
        manifest_build(&manifest, cfg->plugins, cfg->nplugins, l, cfg->lines);
    if (cfg->outdir != NULL) {
        if (open_outdir(&r, &manifest) != 0) {
            status = 2;
            goto out;
        }
        r.out = output_new(outdir_stream(r.od));
        /* Stop between documents, so that what is done is kept whole. */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESETHAND; /* a second signal stops at once */
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
    } else {
        r.out = output_new(stdout);
        if (cfg->manifest)
            fwrite(manifest.data, 1, manifest.len, stdout);
        if (cfg->header)
            write_header(cfg, stdout);
    }
    r.progress = start_progress(cfg);

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
    outdoc_free(&r.marker);
    if (r.out != NULL && output_close(r.out) != 0) {
        fprintf(stderr, "textpipe: write error: %s\n", strerror(errno));
        if (status == 0)
            status = 1;
    }
    output_free(r.out);
    if (cfg->outdir != NULL) {
        int more = close_outdir(&r, status != 2 && !stop_signal);
        if (status == 0)
            status = more;
        if (r.out != NULL) {
            sigaction(SIGINT, &old_int, NULL);
            sigaction(SIGTERM, &old_term, NULL);
        }
    }
    progress_finish(r.progress);
    if (stop_signal) {
        if (cfg->state != NULL)
            fprintf(stderr, "textpipe: stopped by signal %d; what was done is kept in %s, and the "
                    "same command finishes the job\n", (int)stop_signal, cfg->state);
        else
            fprintf(stderr, "textpipe: stopped by signal %d; %s is left as it was\n",
                    (int)stop_signal, cfg->outdir);
        status = 128 + stop_signal;
    }
    for (size_t i = 0; i < r.ntypes; i++) {
        free(r.types[i]);
        free(r.tops[i]);
    }
    free(r.types);
    free(r.tops);
    free(r.mark);
    free(r.len);
    buf_free(&manifest);
    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.changed);
    lang_free(l);
    return status;
}
