/* output.c: ordered, bounded output.  The worker whose document is next in
 * input order (the head) writes straight through; a worker that finishes
 * early parks its buffer, up to a bound, so that -j N output is byte for
 * byte the -j 1 output without holding whole corpora in memory. */
#include "config.h"

#include "output.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "tsv.h"

/* A document's buffer is written early once it is this large and its
 * document is the head; a non-head worker waits at PARK_LIMIT. */
#define FLUSH_AT (64 * 1024)
#define PARK_LIMIT (4 * 1024 * 1024)

typedef struct parked {
    uint64_t seq;
    buf b;
    struct parked *next;
} parked;

struct output {
    FILE *f;
    pthread_mutex_t lock;
    pthread_cond_t turn;
    uint64_t next; /* seq of the head document */
    parked *parked; /* sorted by seq */
    size_t parked_bytes;
    int closed, err;
};

output *
output_new(FILE *f)
{
    output *o = xcalloc(1, sizeof *o);
    o->f = f;
    pthread_mutex_init(&o->lock, NULL);
    pthread_cond_init(&o->turn, NULL);
    return o;
}

void
output_free(output *o)
{
    if (o == NULL)
        return;
    while (o->parked) {
        parked *p = o->parked;
        o->parked = p->next;
        buf_free(&p->b);
        free(p);
    }
    pthread_mutex_destroy(&o->lock);
    pthread_cond_destroy(&o->turn);
    free(o);
}

/* With the lock held. */
static void
put(output *o, buf *b)
{
    if (b->len > 0 && !o->closed && !o->err) {
        if (fwrite(b->data, 1, b->len, o->f) != b->len) {
            if (errno == EPIPE)
                o->closed = 1;
            else
                o->err = errno ? errno : EIO;
        }
    }
    buf_clear(b);
}

static void
flush_doc(output *o)
{
    if (!o->closed && !o->err && fflush(o->f) != 0) {
        if (errno == EPIPE)
            o->closed = 1;
        else
            o->err = errno ? errno : EIO;
    }
}

void
output_begin(output *o, outdoc *d, uint64_t seq)
{
    d->o = o;
    d->seq = seq;
    buf_clear(&d->b);
    d->head_type = d->head_doc = NULL;
}

static void
maybe_write_early(outdoc *d)
{
    output *o = d->o;
    pthread_mutex_lock(&o->lock);
    while (d->seq != o->next && d->b.len >= PARK_LIMIT)
        pthread_cond_wait(&o->turn, &o->lock);
    if (d->seq == o->next)
        put(o, &d->b);
    pthread_mutex_unlock(&o->lock);
}

void
output_record(outdoc *d, const char *type, const char *doc, const char *const *fields, size_t n)
{
    buf *b = &d->b;
    if (type != d->head_type || doc != d->head_doc) {
        buf_clear(&d->head);
        tsv_escape_str(&d->head, type);
        buf_addc(&d->head, '\t');
        tsv_escape_str(&d->head, doc);
        d->head_type = type;
        d->head_doc = doc;
    }
    buf_add(b, d->head.data, d->head.len);
    for (size_t i = 0; i < n; i++) {
        buf_addc(b, '\t');
        tsv_escape_str(b, fields[i] ? fields[i] : "");
    }
    buf_addc(b, '\n');
    if (b->len >= FLUSH_AT)
        maybe_write_early(d);
}

void
output_raw(outdoc *d, const char *s, size_t n)
{
    buf_add(&d->b, s, n);
}

void
output_end(outdoc *d)
{
    output *o = d->o;
    pthread_mutex_lock(&o->lock);
    if (d->seq != o->next) {
        while (d->seq != o->next && o->parked_bytes + d->b.len > PARK_LIMIT)
            pthread_cond_wait(&o->turn, &o->lock);
    }
    if (d->seq != o->next) {
        parked *p = xmalloc(sizeof *p);
        p->seq = d->seq;
        p->b = d->b;
        d->b = (buf)BUF_INIT;
        o->parked_bytes += p->b.len;
        parked **at = &o->parked;
        while (*at && (*at)->seq < p->seq)
            at = &(*at)->next;
        p->next = *at;
        *at = p;
        pthread_mutex_unlock(&o->lock);
        return;
    }
    put(o, &d->b);
    o->next++;
    while (o->parked && o->parked->seq == o->next) {
        parked *p = o->parked;
        o->parked = p->next;
        o->parked_bytes -= p->b.len;
        put(o, &p->b);
        buf_free(&p->b);
        free(p);
        o->next++;
    }
    flush_doc(o);
    pthread_cond_broadcast(&o->turn);
    pthread_mutex_unlock(&o->lock);
}

void
outdoc_free(outdoc *d)
{
    buf_free(&d->b);
    buf_free(&d->head);
}

int
output_closed(output *o)
{
    pthread_mutex_lock(&o->lock);
    int c = o->closed;
    pthread_mutex_unlock(&o->lock);
    return c;
}

int
output_errno(output *o)
{
    pthread_mutex_lock(&o->lock);
    int e = o->err;
    pthread_mutex_unlock(&o->lock);
    return e;
}

int
output_close(output *o)
{
    int rc = 0;
    pthread_mutex_lock(&o->lock);
    if (!o->closed && !o->err && (fflush(o->f) != 0 || ferror(o->f))) {
        if (errno == EPIPE)
            o->closed = 1;
        else
            o->err = errno ? errno : EIO;
    }
    if (fclose(o->f) != 0 && !o->closed && !o->err && errno != EPIPE)
        o->err = errno ? errno : EIO;
    if (o->err) {
        errno = o->err;
        rc = -1;
    }
    pthread_mutex_unlock(&o->lock);
    return rc;
}
