/* progress.h: progress on stderr: a live bar for a terminal, a line every
 * few seconds for logs, or the Hadoop Streaming reporter protocol
 * (reporter:status: and reporter:counter: lines). */
#ifndef TP_PROGRESS_H
#define TP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum progress_mode {
    PROGRESS_NONE,
    PROGRESS_BAR,
    PROGRESS_PLAIN,
    PROGRESS_HADOOP,
} progress_mode;

/* "auto" (a bar when stderr is a terminal, else nothing), "bar", "plain",
 * "hadoop" or "none", each optionally followed by ":SECONDS" between
 * reports.  0, or -1 for anything else. */
int progress_parse(const char *arg, progress_mode *mode, double *seconds);

/* What a report shows. */
typedef struct progress_figures {
    uint64_t docs, docs_total;   /* docs_total 0: not known (--lines) */
    uint64_t bytes, bytes_total; /* bytes_total 0: not known (stdin) */
    uint64_t failed, unchanged;
    double elapsed; /* seconds */
} progress_figures;

/* One report as text (without the bar's leading CR), final or not, into
 * out; for the hadoop mode, counters count from *counted (the figures of
 * the previous report), which is then updated.  Returns the length. */
size_t progress_format(char *out, size_t size, progress_mode mode, const progress_figures *f,
                       progress_figures *counted, int final);

typedef struct progress progress;

/* Start reporting to f every `seconds` (0: the mode's default) from a
 * thread of its own; NULL for PROGRESS_NONE. */
progress *progress_start(progress_mode mode, double seconds, FILE *f, uint64_t docs_total,
                         uint64_t bytes_total);
/* A document is through (failed or not), or was skipped as unchanged (its
 * bytes then leave the total: they need no work).  NULL is fine. */
void progress_done(progress *p, uint64_t bytes, int failed);
void progress_unchanged(progress *p, uint64_t bytes);
/* The last report; stops the thread and frees.  NULL is fine. */
void progress_finish(progress *p);

#endif
