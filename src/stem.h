/* stem.h: Snowball stemming by language, with a cache of recent stems. */
#ifndef TP_STEM_H
#define TP_STEM_H

#include <stddef.h>
#include <stdio.h>

typedef struct stemmer stemmer;

/* The Snowball algorithm name for an ISO 639-1 code or a Snowball name
 * ("en" and "english" give "english"); "none" gives "none"; NULL when
 * libstemmer has no such language. */
const char *stem_language(const char *lang);

/* A stemmer for a language stem_language() accepts ("none": stems are the
 * words themselves).  NULL for an unknown language.  Not thread-safe: one
 * per worker. */
stemmer *stem_new(const char *lang);
void stem_free(stemmer *s); /* NULL is fine */

/* The stem of a normalised word; valid until the next call on s.
 * *stem_len receives its length.  Cached: a repeated word costs a lookup. */
const char *stem_word(stemmer *s, const char *word, size_t len,
                      size_t *stem_len);

/* Print the languages libstemmer ships: code (if any) and Snowball name. */
void stem_list_languages(FILE *out);

#endif
