/* buf.h: a growable byte buffer, always NUL-terminated after its data. */
#ifndef TP_BUF_H
#define TP_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

/* Make room for `extra` more bytes plus the terminating NUL. */
void buf_grow(buf *b, size_t extra);
void buf_free(buf *b);

static inline void
buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap)
        buf_grow(b, extra);
}

static inline void
buf_add(buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void
buf_addc(buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

static inline void
buf_adds(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static inline void
buf_clear(buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

#endif
