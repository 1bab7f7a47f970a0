/* alloc.c: out-of-memory in the core ends the run with a message. */
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
check(void *p, size_t n)
{
    if (p == NULL && n != 0) {
        fprintf(stderr, "textpipe: out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

void *
xmalloc(size_t n)
{
    return check(malloc(n ? n : 1), n);
}

void *
xcalloc(size_t count, size_t n)
{
    return check(calloc(count ? count : 1, n ? n : 1), count * n);
}

void *
xrealloc(void *p, size_t n)
{
    return check(realloc(p, n ? n : 1), n);
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
