/* buf.c: growth of the byte buffer (the hot appends are inline in buf.h). */
#include "buf.h"

#include "alloc.h"

#include <stdlib.h>

void
buf_grow(buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void
buf_free(buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
