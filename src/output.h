/* output.h: the record writer: escapes records into a per-document buffer
 * and writes documents to the output in input order, whatever thread
 * produced them, flushing at each document boundary. */
#ifndef TP_OUTPUT_H
#define TP_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

typedef struct output output;

/* One document's records on their way out. */
typedef struct outdoc {
    output *o;
    buf b;
    uint64_t seq; /* the document's position in the input */
    /* "type<TAB>doc" escaped, for the type and doc pointers it was made
     * of: records come by the thousand with the same two (NULL: none) */
    buf head;
    const char *head_type, *head_doc;
} outdoc;

output *output_new(FILE *f);
void output_free(output *o); /* NULL is fine */

void output_begin(output *o, outdoc *d, uint64_t seq);
/* Append one record: type, doc id, fields, escaped, TAB-separated.  The
 * strings at `type` and `doc` must not change while the document lasts
 * (the host passes the declared type's name and the document's id). */
void output_record(outdoc *d, const char *type, const char *doc,
                   const char *const *fields, size_t n);
/* Append raw text (header lines, already in record form). */
void output_raw(outdoc *d, const char *s, size_t n);
/* The document is complete: written now if every earlier one has been,
 * else kept until then (a worker waits only when too much is kept). */
void output_end(outdoc *d);
/* A document that is skipped still takes its turn. */
void outdoc_free(outdoc *d);

/* Did the reader go away (EPIPE), or did a write fail otherwise (errno,
 * else 0)? */
int output_closed(output *o);
int output_errno(output *o);

/* Flush and close the stream; 0, or -1 with errno set. */
int output_close(output *o);

#endif
