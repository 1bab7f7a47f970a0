/* merge.h: aggregates records of any plugin by the roles its columns
 * declare (key, sum, min, max, text), in one pass, memory proportional to
 * the number of distinct keys.  Output order: keys in order of first
 * appearance, so merging shard outputs equals merging the whole.  In
 * sorted mode (merge_stream_to) it is the reduce step of a map-sort-reduce
 * job: input sorted by MERGE_SORT_COMMAND, groups written as soon as their
 * run of lines ends, memory bounded by the keys that share a first key
 * column. */
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
 * when header is set.  Returns 0, or -1 on a write error.  In sorted mode:
 * writes the last group and flushes (out and header are ignored). */
int merge_write(merger *m, FILE *out, int header);

/* The sort that prepares input for sorted mode: byte order of the record
 * type, then of the first key column; stable, so lines of one key keep
 * the order of the input (and text columns unite as plain merge's do). */
#define MERGE_SORT_COMMAND "LC_ALL=C sort -s -t\"$(printf '\\t')\" -k1,1 -k3,3"

/* Switch a fresh merger to sorted mode: lines must come in the order of
 * MERGE_SORT_COMMAND; the records of a run of lines with one type and one
 * first key column are written to out (after the type's --header line,
 * when header is set) as soon as the run ends, in order of first
 * appearance within the run.  So the output equals plain merge's output
 * sorted by MERGE_SORT_COMMAND.  A line that comes too early is merged all
 * the same (its groups may then come out twice) and reported once, by
 * merge_line returning -1.  Types whose first column is not a key group
 * in memory until the type ends. */
void merge_stream_to(merger *m, FILE *out, int header);

#endif
