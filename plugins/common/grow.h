/* grow.h: the one way the shipped plugins' arrays grow (doubling). */
#ifndef TP_PLUGINS_GROW_H
#define TP_PLUGINS_GROW_H

#include <stddef.h>
#include <stdlib.h>

/* Make room for `need` elements of `elem` bytes in *p, which holds *cap;
 * 0, or -1 when out of memory (*p is then unchanged). */
static inline int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

#endif
