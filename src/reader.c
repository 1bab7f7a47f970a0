/* reader.c: block reads from a file descriptor, and the line framing of
 * --lines mode on top of them. */
#include "config.h"

#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

struct reader {
    int fd;
    char *name;
    char buf[READER_BLOCK];
    size_t start, end; /* unread bytes of buf */
    int eof;
    int in_line;       /* inside a line whose LF is not consumed yet */
    uint64_t lineno;
};

reader *
reader_open(const char *path, char *err, size_t errsize)
{
    int fd = 0;
    if (strcmp(path, "-") != 0) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, errsize, "%s: %s", path, strerror(errno));
            return NULL;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(err, errsize, "%s: %s", path, strerror(EISDIR));
            close(fd);
            return NULL;
        }
    }
    reader *r = xcalloc(1, sizeof *r);
    r->fd = fd;
    r->name = xstrdup(path);
    return r;
}

void
reader_close(reader *r)
{
    if (r == NULL)
        return;
    if (r->fd != 0)
        close(r->fd);
    free(r->name);
    free(r);
}

const char *
reader_name(const reader *r)
{
    return r->name;
}

static ssize_t
raw_read(reader *r, char *dst, size_t max)
{
    for (;;) {
        ssize_t n = read(r->fd, dst, max);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

ssize_t
reader_read(reader *r, char *dst, size_t max)
{
    if (r->start < r->end) {
        size_t n = r->end - r->start < max ? r->end - r->start : max;
        memcpy(dst, r->buf + r->start, n);
        r->start += n;
        return (ssize_t)n;
    }
    return raw_read(r, dst, max);
}

/* Read more into buf after its unread bytes; 1, 0 at the end, -1. */
static int
fill(reader *r)
{
    if (r->eof)
        return 0;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == sizeof r->buf)
        return 1;
    ssize_t n = raw_read(r, r->buf + r->end, sizeof r->buf - r->end);
    if (n < 0)
        return -1;
    if (n == 0) {
        r->eof = 1;
        return 0;
    }
    r->end += (size_t)n;
    return 1;
}

int
reader_next_line(reader *r, uint64_t *lineno)
{
    /* Skip what is left of the current line. */
    char scratch[4096];
    while (r->in_line) {
        ssize_t n = reader_line_read(r, scratch, sizeof scratch);
        if (n < 0)
            return -1;
    }
    if (r->start == r->end) {
        int f = fill(r);
        if (f <= 0)
            return f;
    }
    r->in_line = 1;
    *lineno = ++r->lineno;
    return 1;
}

int
reader_line_id(reader *r, char *id, size_t idsize)
{
    /* Look for a TAB before the LF within one block. */
    for (;;) {
        char *s = r->buf + r->start;
        size_t n = r->end - r->start;
        char *lf = memchr(s, '\n', n);
        size_t scan = lf ? (size_t)(lf - s) : n;
        char *tab = memchr(s, '\t', scan);
        if (tab != NULL) {
            size_t len = (size_t)(tab - s);
            size_t keep = len < idsize - 1 ? len : idsize - 1;
            memcpy(id, s, keep);
            id[keep] = '\0';
            r->start += len + 1;
            return 1;
        }
        if (lf != NULL || r->eof || (r->start == 0 && r->end == sizeof r->buf))
            return 0;
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f == 0)
            return 0;
    }
}

ssize_t
reader_line_read(reader *r, char *dst, size_t max)
{
    if (!r->in_line)
        return 0;
    if (r->start == r->end) {
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f == 0) {
            r->in_line = 0;
            return 0;
        }
    }
    char *s = r->buf + r->start;
    size_t n = r->end - r->start;
    char *lf = memchr(s, '\n', n);
    size_t len = lf ? (size_t)(lf - s) : n;
    if (len > max)
        len = max;
    memcpy(dst, s, len);
    r->start += len;
    if (lf != NULL && r->buf + r->start == lf) {
        r->start++;
        r->in_line = 0;
        if (len == 0)
            return 0;
    }
    return (ssize_t)len;
}
