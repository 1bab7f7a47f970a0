/* alloc.h: allocation that treats out-of-memory as fatal, as the core does. */
#ifndef TP_ALLOC_H
#define TP_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
