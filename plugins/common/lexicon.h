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
 * instances may share nothing and matching needs no locks.
 *
 * Matching is hot (every token, every list), so a caller that matches
 * many lists over one sentence hashes its stems once
 * (lexicon_hash_tokens) and uses the _hashed and _tokens forms; entries may
 * carry a tag so that several lists live in one lexicon and one lookup
 * per token serves them all. */
#ifndef TP_LEXICON_H
#define TP_LEXICON_H

#include <stddef.h>
#include <stdint.h>

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

/* lexicon_add for a lexicon that holds several lists: the tag names the
 * list (lexicon_add's entries have tag 0).  A term is one entry per tag,
 * so the same term in two lists is two entries. */
int lexicon_add_tagged(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *term, size_t len,
                       unsigned tag, double weight);

/* Add every entry of src to dst under one tag (src's own tags are not
 * kept): one lexicon that serves several loaded ones in one lookup.  0,
 * or -1 when out of memory. */
int lexicon_merge(lexicon *dst, const lexicon *src, unsigned tag);

/* Add every entry of a file.  A line with no weight column gets
 * `fallback_weight` (so one-term-a-line word lists load too).  Returns
 * TP_OK, or TP_ERROR after host->fail naming the file (and line, for a
 * weight that is not a number). */
int lexicon_load(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *path,
                 double fallback_weight);

/* lexicon_load into the list `tag` (see lexicon_add_tagged). */
int lexicon_load_tagged(lexicon *lx, const tp_host *host, tp_ctx *ctx, const char *path,
                        unsigned tag, double fallback_weight);

/* Make room for `entries` more entries of about `text_bytes` of terms, so
 * that loading them allocates nothing more (lexicon_load does it from the
 * file's size and lines).  0, or -1 when out of memory. */
int lexicon_reserve(lexicon *lx, size_t entries, size_t text_bytes);

/* A whole file in one read, NUL-terminated (its length in *len), to be
 * freed by the caller; NULL with errno set when it cannot be read. */
char *lexicon_read_file(const char *path, size_t *len);

/* The longest entry whose stems equal the stems of toks[i], toks[i+1], ...
 * (within toks[0, n)).  Returns its length in tokens and sets *weight, or
 * returns 0 when no entry starts at i. */
size_t lexicon_match(const lexicon *lx, const tp_token *toks, size_t n, size_t i, double *weight);

/* hashes[j] = the hash of toks[j]'s stem, for j in [0, n): what the
 * _hashed and _tokens forms take. */
void lexicon_hash_tokens(const tp_token *toks, size_t n, uint32_t *hashes);

/* The hashes lexicon_hash_tokens() makes for s's tokens: the host's
 * (tp_sentence.stem_hashes) when it lends them, else computed into buf
 * (room for s->ntokens). */
const uint32_t *lexicon_sentence_hashes(const tp_sentence *s, uint32_t *buf);

/* lexicon_match, given the stems' hashes (lexicon_hash_tokens over the
 * same toks[0, n)). */
size_t lexicon_match_hashed(const lexicon *lx, const tp_token *toks, const uint32_t *hashes,
                            size_t n, size_t i, double *weight);

/* One entry found at a position. */
typedef struct lexicon_hit {
    uint32_t len; /* in tokens */
    unsigned tag;
    double weight;
} lexicon_hit;

/* Every entry (not only the longest) whose stems equal those of toks[i],
 * toks[i+1], ... within toks[0, n), at every i, in one call: the hits of
 * token i (in no set order) are (*hits)[first[i], first[i + 1]), first
 * having n + 1 places; they are appended from *nhits on to a buffer of
 * *cap hits that grows as needed.  0, or -1 when out of memory. */
int lexicon_match_tokens(const lexicon *lx, const tp_token *toks, const uint32_t *hashes, size_t n,
                         uint32_t *first, lexicon_hit **hits, size_t *nhits, size_t *cap);

/* How many entries the lexicon holds. */
size_t lexicon_count(const lexicon *lx);

#endif
