/* lang.c: loads a language's word lists from the data directory. */
#include "config.h"

#include "lang.h"

#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "paths.h"
#include "stem.h"

static int
load_list(wordlist *w, const char *kind, const char *snowball, char *err, size_t errsize)
{
    char name[256], path[4096];
    snprintf(name, sizeof name, "%s-%s.txt", kind, snowball);
    if (paths_find_data("lang", name, path, sizeof path) != 0)
        return 0; /* a language without a list simply has none */
    return wordlist_load(w, path, err, errsize);
}

lang *
lang_load(const char *code, char *err, size_t errsize)
{
    const char *snowball = stem_language(code);
    if (snowball == NULL) {
        snprintf(err, errsize, "unknown language \"%s\" (see textpipe --list-languages)", code);
        return NULL;
    }
    lang *l = xcalloc(1, sizeof *l);
    l->code = xstrdup(code);
    l->snowball = xstrdup(snowball);
    l->stopwords = wordlist_new();
    l->abbreviations = wordlist_new();
    /* Abbreviations are mostly shared across Latin-script languages; the
     * English list is the fallback for a language without its own. */
    if (load_list(l->stopwords, "stopwords", snowball, err, errsize) != 0
        || load_list(l->abbreviations, "abbreviations", snowball, err, errsize) != 0
        || (wordlist_count(l->abbreviations) == 0
            && load_list(l->abbreviations, "abbreviations", "english", err, errsize) != 0)) {
        lang_free(l);
        return NULL;
    }
    return l;
}

void
lang_free(lang *l)
{
    if (l == NULL)
        return;
    wordlist_free(l->stopwords);
    wordlist_free(l->abbreviations);
    free(l->code);
    free(l->snowball);
    free(l);
}
