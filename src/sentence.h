/* sentence.h: the sentence splitter: decides, token by token, where a
 * sentence ends, which sentences are headings, and where paragraphs start. */
#ifndef TP_SENTENCE_H
#define TP_SENTENCE_H

#include <stddef.h>
#include <stdint.h>

#include "textpipe/plugin.h"
#include "wordlist.h"

typedef struct splitter splitter;

/* What the splitter needs of a token beyond tp_token: the line breaks in
 * the gap before it, and the UTF-8 continuation bytes of its surface (its
 * width in characters is surface_len - cont), which the pipeline knows
 * from its analysis cache without another pass over the bytes. */
typedef struct tok_layout {
    uint32_t newlines;
    uint32_t cont;
} tok_layout;

/* abbrevs: normalised abbreviations with their dot ("dr.", "e.g.", "u.s."),
 * may be NULL.  The splitter keeps the pointer, it does not copy. */
splitter *sentence_new(const wordlist *abbrevs);
void sentence_free(splitter *sp); /* NULL is fine */

/* Forget the document: the next token starts sentence 0, paragraph 0. */
void sentence_reset(splitter *sp);

/* toks[0, n) are the tokens of the open sentence, toks[n-1] the one just
 * added; next is the token after it (NULL at the end of the document).
 * Tokens carry surface, norm and flags (WORD, PUNCT, CAPITAL, NEWLINE,
 * SPACE, ABBREV, ...); their layouts are lay[0, n), the line breaks before
 * next are next_newlines.  Returns 1 when the sentence ends after toks[n-1], with
 * *flags set to its TP_SENT_* flags (HEADING, PARA_START) and *paragraph to
 * its paragraph index; 0 to go on. */
int sentence_ends(splitter *sp, const tp_token *toks, const tok_layout *lay,
                  size_t n, const tp_token *next, uint32_t next_newlines,
                  uint32_t *flags, uint64_t *paragraph);

/* After sentence_ends() returned 1: 0, or k when a title line was glued to
 * the sentence (the text put a heading on a line of its own and the
 * splitter could tell only at the sentence's end).  Then toks[0, k) is the
 * heading, with flags TP_SENT_HEADING | TP_SENT_PARA_START in paragraph
 * *paragraph - 1, and toks[k, n) the sentence *flags and *paragraph
 * describe. */
size_t sentence_cut(const splitter *sp);

#endif
