/* tsv.h: the record format: fields escaped in the PostgreSQL COPY text
 * convention (backslash, TAB, LF, CR as \\ \t \n \r), TAB-separated. */
#ifndef TP_TSV_H
#define TP_TSV_H

#include <stddef.h>

#include "buf.h"

/* Append s[0, len) to out, escaped. */
void tsv_escape(buf *out, const char *s, size_t len);

/* Append the NUL-terminated s to out, escaped (the same bytes as
 * tsv_escape(out, s, strlen(s)), in one pass). */
void tsv_escape_str(buf *out, const char *s);

/* Unescape s[0, len) in place (\\ \t \n \r, and a lone backslash kept);
 * returns the new length and NUL-terminates. */
size_t tsv_unescape(char *s, size_t len);

/* Split a line (no trailing newline) at TABs, in place: fields[i] points
 * into line, each NUL-terminated, still escaped.  Returns the number of
 * fields; at most max are stored (the rest are counted, not stored). */
size_t tsv_split(char *line, size_t len, char **fields, size_t max);

#endif
