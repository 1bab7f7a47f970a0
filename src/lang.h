/* lang.h: what the core knows of a language: its Snowball name, stopwords
 * and abbreviations (data files in $(pkgdatadir)/lang), shared read-only
 * by all workers. */
#ifndef TP_LANG_H
#define TP_LANG_H

#include <stddef.h>

#include "wordlist.h"

typedef struct lang {
    char *code;     /* as the user gave it: "en", "english", "none" */
    char *snowball; /* "english", or "none" */
    wordlist *stopwords;
    wordlist *abbreviations;
} lang;

/* Load a language; NULL with a message in err for a language libstemmer
 * does not ship.  A language without word lists loads with empty ones. */
lang *lang_load(const char *code, char *err, size_t errsize);
void lang_free(lang *l); /* NULL is fine */

#endif
