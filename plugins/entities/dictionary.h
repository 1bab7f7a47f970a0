/* dictionary.h: a sorted word list (one word a line, bytewise order), mapped
 * from its file and searched in place, so a plugin pays nothing at start-up
 * for a hundred thousand words and reads only the pages a lookup touches. */
#ifndef TP_ENTITIES_DICTIONARY_H
#define TP_ENTITIES_DICTIONARY_H

#include <stddef.h>

typedef struct dictionary {
    const char *p; /* the mapped file, or NULL when none is open */
    size_t len;
} dictionary;

/* Map the file at `path`; 0, or -1 with errno set.  An empty file gives an
 * empty dictionary. */
int dictionary_open(dictionary *d, const char *path);

void dictionary_close(dictionary *d);

/* Is w[0, n) one of the lines? */
int dictionary_has(const dictionary *d, const char *w, size_t n);

#endif
