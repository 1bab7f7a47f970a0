/* normalize.h: a token's normal form: NFKC, case fold, quotes and dashes
 * folded to ASCII, invalid bytes as U+FFFD; a fast path for ASCII. */
#ifndef TP_NORMALIZE_H
#define TP_NORMALIZE_H

#include <stddef.h>

#include "buf.h"

typedef struct normalizer normalizer;

normalizer *normalize_new(void);
void normalize_free(normalizer *n); /* NULL is fine */

/* Append the normal form of s[0, len) to out (NUL-terminated after it) and
 * return the number of bytes appended.  Never allocates per call once its
 * scratch space has grown to the longest token seen. */
size_t normalize_append(normalizer *n, const char *s, size_t len, buf *out);

#endif
