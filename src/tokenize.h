/* tokenize.h: finds token boundaries and kinds in UTF-8 bytes, streaming. */
#ifndef TP_TOKENIZE_H
#define TP_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

/* No token is longer than this many bytes: a longer run (a base64 blob, a
 * runaway URL) is cut at a character boundary into several tokens. */
#define TOKENIZE_MAX 1024
/* The caller of tokenize_next() supplies at least this many bytes past
 * *pos, or all that remain (eof), so that every decision can look ahead. */
#define TOKENIZE_LOOKAHEAD (TOKENIZE_MAX + 64)

/* Counts of input oddities, kept per document, reported once by the core. */
typedef struct tokenize_counts {
    uint64_t invalid; /* invalid UTF-8 sequences */
    uint64_t nul;     /* NUL bytes */
    uint64_t control; /* other C0/C1 controls than TAB, LF, CR, FF */
    uint64_t bom;     /* byte order marks (U+FEFF) */
    uint64_t crlf;    /* CR LF line ends */
    uint64_t cr;      /* lone CR line ends */
    uint64_t linesep; /* U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR */
    uint64_t cut;     /* tokens cut at TOKENIZE_MAX */
} tokenize_counts;

/* State carried between calls: the white space gap seen so far. */
typedef struct tokenizer {
    uint32_t gap_newlines; /* line breaks in the current gap */
    int gap_space;         /* any white space in the current gap */
    int at_start;          /* nothing but white space seen yet */
    tokenize_counts counts;
} tokenizer;

/* One token, as byte offsets into the buffer given to tokenize_next(). */
typedef struct tok_span {
    size_t start, end;
    uint32_t flags;    /* TP_TOK_* kind flags and TP_TOK_SPACE/NEWLINE */
    uint32_t newlines; /* line breaks in the gap before it (a blank line
                          is 2 or more; U+2029 counts as 2) */
} tok_span;

void tokenize_init(tokenizer *t);

/* Scan for the next token in buf[*pos, len).
 * Returns 1: a token, in *out; *pos is its end.
 *         0: need more input (only when !eof): *pos has moved past the
 *            white space consumed; call again with more bytes after it.
 *        -1: end of input (only when eof).
 * Surface text is verbatim: buf[out->start, out->end) is the token.
 * Kind flags set here: WORD NUMBER PUNCT SYMBOL URL EMAIL MENTION HASHTAG
 * EMOJI ABBREV POSSESSIVE QUOTE INVALID CAPITAL ALLCAPS, and SPACE/NEWLINE
 * for the gap before the token.  (SENT_START and STOPWORD are set later.) */
int tokenize_next(tokenizer *t, const char *buf, size_t len, size_t *pos,
                  int eof, tok_span *out);

#endif
