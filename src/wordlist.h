/* wordlist.h: a set of normalised words loaded from a text file (one entry
 * a line, '#' comments): stopwords, abbreviations. */
#ifndef TP_WORDLIST_H
#define TP_WORDLIST_H

#include <stddef.h>

typedef struct wordlist wordlist;

wordlist *wordlist_new(void);
/* Add the entries of a file; 0, or -1 with a message in err[0..errsize). */
int wordlist_load(wordlist *w, const char *path, char *err, size_t errsize);
void wordlist_add(wordlist *w, const char *word, size_t len);
int wordlist_has(const wordlist *w, const char *word, size_t len);
size_t wordlist_count(const wordlist *w);
void wordlist_free(wordlist *w); /* NULL is fine */

#endif
