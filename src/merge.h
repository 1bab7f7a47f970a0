/* merge.h: aggregates records of any plugin by the roles its columns
 * declare (key, sum, min, max, text), in one pass, memory proportional to
 * the number of distinct keys.  Output order: keys in order of first
 * appearance, so merging shard outputs equals merging the whole. */
#ifndef TP_MERGE_H
#define TP_MERGE_H

#include <stdio.h>

#include "textpipe/plugin.h"

typedef struct merger merger;

/* Finds the declaration of a record type by name; NULL if none. */
typedef const tp_record_type *(*merge_lookup_fn)(void *arg, const char *type);

merger *merge_new(merge_lookup_fn lookup, void *arg);
void merge_free(merger *m); /* NULL is fine */

/* Feed one input line (without its newline).  '#' lines (headers, run
 * manifests) are skipped.  Returns 0, or -1 with a message in err (an
 * undeclared record type, a wrong field count, a non-number in a numeric
 * column); the caller reports it with the file and line and goes on. */
int merge_line(merger *m, char *line, size_t len, char *err, size_t errsize);

/* Write the aggregated records (doc field "*"), with --header lines first
 * when header is set.  Returns 0, or -1 on a write error. */
int merge_write(merger *m, FILE *out, int header);

#endif
