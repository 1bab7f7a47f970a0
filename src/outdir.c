/* outdir.c: the -o DIR record splitter.  It is a stdio cookie stream so
 * that the ordered writer (output.c) stays one code path whatever the
 * destination; it sees records in output order, which is what lets the
 * run state journal a document only once its records have gone out. */
#include "config.h"

#include "outdir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"

#define FILE_BUFFER (64 * 1024)

typedef struct typefile {
    char *type;
    size_t typelen;
    FILE *f;
    uint64_t offset;
} typefile;

struct outdir {
    typefile *files;
    size_t n;
    size_t last; /* the type of the previous line: records come in runs */
    FILE *stream;
    buf carry; /* the start of a line cut by a write */
    outdir_marker_fn fn;
    void *arg;
    int err;
};

static void
put(outdir *d, typefile *t, const char *p, size_t n)
{
    if (fwrite(p, 1, n, t->f) != n && d->err == 0)
        d->err = errno ? errno : EIO;
    t->offset += n;
}

/* One whole line, LF included. */
static void
route(outdir *d, const char *line, size_t len)
{
    if (line[0] == OUTDIR_MARK) {
        if (d->fn != NULL)
            d->fn(d->arg, d, line + 1, len - 2);
        return;
    }
    const char *tab = memchr(line, '\t', len);
    size_t tl = tab ? (size_t)(tab - line) : len - 1;
    typefile *t = &d->files[d->last];
    if (t->typelen != tl || memcmp(t->type, line, tl) != 0) {
        size_t i;
        for (i = 0; i < d->n; i++)
            if (d->files[i].typelen == tl && memcmp(d->files[i].type, line, tl) == 0)
                break;
        /* The host refuses undeclared types, so this is a bug upstream;
         * the record is dropped rather than filed under a wrong type. */
        if (i == d->n) {
            fprintf(stderr, "textpipe: -o: record of an unknown type dropped: %.*s\n", (int)tl,
                    line);
            return;
        }
        d->last = i;
        t = &d->files[i];
    }
    put(d, t, line, len);
}

static ssize_t
stream_write(void *cookie, const char *p, size_t n)
{
    outdir *d = cookie;
    size_t at = 0;
    if (d->carry.len > 0) {
        const char *lf = memchr(p, '\n', n);
        if (lf == NULL) {
            buf_add(&d->carry, p, n);
            return (ssize_t)n;
        }
        at = (size_t)(lf - p) + 1;
        buf_add(&d->carry, p, at);
        route(d, d->carry.data, d->carry.len);
        buf_clear(&d->carry);
    }
    while (at < n) {
        const char *lf = memchr(p + at, '\n', n - at);
        if (lf == NULL) {
            buf_add(&d->carry, p + at, n - at);
            break;
        }
        size_t len = (size_t)(lf - (p + at)) + 1;
        route(d, p + at, len);
        at += len;
    }
    if (d->err) {
        errno = d->err;
        return -1;
    }
    return (ssize_t)n;
}

static int
stream_close(void *cookie)
{
    outdir *d = cookie;
    if (d->carry.len > 0) {
        buf_addc(&d->carry, '\n');
        route(d, d->carry.data, d->carry.len);
        buf_clear(&d->carry);
    }
    d->stream = NULL;
    return 0;
}

outdir *
outdir_new(char *const *types, char *const *paths, const char *const *tops, size_t ntypes,
           outdir_marker_fn fn, void *arg, char *err, size_t errsize)
{
    outdir *d = xcalloc(1, sizeof *d);
    d->files = xcalloc(ntypes ? ntypes : 1, sizeof *d->files);
    d->fn = fn;
    d->arg = arg;
    for (size_t i = 0; i < ntypes; i++) {
        typefile *t = &d->files[i];
        t->type = xstrdup(types[i]);
        t->typelen = strlen(types[i]);
        t->f = fopen(paths[i], "w");
        d->n = i + 1;
        if (t->f == NULL) {
            snprintf(err, errsize, "%s: %s", paths[i], strerror(errno));
            outdir_free(d);
            return NULL;
        }
        setvbuf(t->f, NULL, _IOFBF, FILE_BUFFER);
        put(d, t, tops[i], strlen(tops[i]));
    }
    if (ntypes == 0) {
        /* No plugin: nothing to file, but the stream must still exist. */
        d->files[0].type = xstrdup("");
        d->files[0].f = NULL;
    }
    cookie_io_functions_t io = {NULL, stream_write, NULL, stream_close};
    d->stream = fopencookie(d, "w", io);
    if (d->stream == NULL)
        abort();
    setvbuf(d->stream, NULL, _IONBF, 0);
    return d;
}

FILE *
outdir_stream(outdir *d)
{
    return d->stream;
}

uint64_t
outdir_offset(const outdir *d, size_t i)
{
    return d->files[i].offset;
}

int
outdir_error(const outdir *d)
{
    return d->err;
}

int
outdir_sync(outdir *d)
{
    for (size_t i = 0; i < d->n && d->err == 0; i++) {
        FILE *f = d->files[i].f;
        if (f != NULL && (fflush(f) != 0 || fdatasync(fileno(f)) != 0))
            d->err = errno ? errno : EIO;
    }
    if (d->err) {
        errno = d->err;
        return -1;
    }
    return 0;
}

int
outdir_free(outdir *d)
{
    if (d == NULL)
        return 0;
    int err = d->err;
    for (size_t i = 0; i < d->n; i++) {
        if (d->files[i].f != NULL && fclose(d->files[i].f) != 0 && err == 0)
            err = errno ? errno : EIO;
        free(d->files[i].type);
    }
    if (d->n == 0)
        free(d->files[0].type);
    free(d->files);
    buf_free(&d->carry);
    free(d);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}
