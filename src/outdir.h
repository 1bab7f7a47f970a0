/* outdir.h: the records of a run split into one file per record type
 * (-o DIR): a stdio stream the ordered output writes to, whose lines go to
 * the file of their type, and whose marker lines (never records: a record
 * starts with a type name) are handed to a callback in output order. */
#ifndef TP_OUTDIR_H
#define TP_OUTDIR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Marker lines start with this byte, which no record type name holds. */
#define OUTDIR_MARK '\x1e'

typedef struct outdir outdir;

/* Called for each marker line (without the mark and the LF), after every
 * line before it has been handed to its file's stdio buffer. */
typedef void (*outdir_marker_fn)(void *arg, outdir *d, const char *payload, size_t len);

/* Create the files paths[i] for types[i] (truncating them) and write
 * tops[i] (manifest and header) at the top of each.  NULL with the reason
 * in err. */
outdir *outdir_new(char *const *types, char *const *paths, const char *const *tops, size_t ntypes,
                   outdir_marker_fn fn, void *arg, char *err, size_t errsize);

/* The stream for output_new(); output_close() closes it. */
FILE *outdir_stream(outdir *d);

/* Bytes in type i's file so far (what was written, flushed or not). */
uint64_t outdir_offset(const outdir *d, size_t i);

/* Flush every file and wait until its data are on disk: 0, or -1 with
 * errno set. */
int outdir_sync(outdir *d);

/* A write error seen so far (errno value), or 0. */
int outdir_error(const outdir *d);

/* Close the files (after the stream was closed); 0, or -1 with errno set
 * when a write or close failed.  NULL is fine. */
int outdir_free(outdir *d);

#endif
