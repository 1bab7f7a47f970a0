/* lexicon.h: weighted word and phrase lists (`term<TAB>weight` TSV) matched
 * over a sentence's tokens by stem, multiword phrases included.
 *
 * Terms go through the host's analyzer (tp_host.analyze) when added, so a
 * term is cut and stemmed exactly as document text is: "stop short of"
 * becomes three stems and matches "stopped short of".  Matching compares
 * stems only, so a lexicon is language-specific through the stemmer of
 * --lang.  The file layout is the one VADER's and AFINN's lexicons use:
 * one entry a line, the term, a TAB, a number; further columns are
 * ignored; blank lines and lines starting with '#' are skipped.  A term
 * given twice keeps its last weight.
 *
 * A lexicon is built once (in a plugin's create) and read-only after, so
 * instances may share nothing and matching needs no locks. */
#ifndef TP_LEXICON_H
#define TP_LEXICON_H

#include <stddef.h>

#include <textpipe/plugin.h>

typedef struct lexicon lexicon;

/* An empty lexicon, or NULL when out of memory. */
lexicon *lexicon_new(void);
void lexicon_free(lexicon *lx); /* NULL is fine */

/* Add one term (its text, not yet analysed) with a weight.  Returns TP_OK,
 * or TP_ERROR after host->fail (out of memory, analyzer error).  A term
 * that analyses to no tokens is ignored. */
int lexicon_add(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *term, size_t len,
                double weight);

/* Add every entry of a file.  A line with no weight column gets
 * `fallback_weight` (so one-term-a-line word lists load too).  Returns
 * TP_OK, or TP_ERROR after host->fail naming the file (and line, for a
 * weight that is not a number). */
int lexicon_load(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *path,
                 double fallback_weight);

/* The longest entry whose stems equal the stems of toks[i], toks[i+1], ...
 * (within toks[0, n)).  Returns its length in tokens and sets *weight, or
 * returns 0 when no entry starts at i. */
size_t lexicon_match(const lexicon *lx, const tp_token *toks, size_t n, size_t i, double *weight);

/* How many entries the lexicon holds. */
size_t lexicon_count(const lexicon *lx);

#endif
