/* report.h: `textpipe report`: one self-contained HTML page (inline SVG and
 * CSS, no script, nothing fetched) from the records of one or more runs:
 * top entities, entity counts across runs, stance by target, top claims. */
#ifndef TP_REPORT_H
#define TP_REPORT_H

#include <stddef.h>
#include <stdio.h>

typedef struct report report;

/* nruns: how many runs will be fed; run 0 is the oldest.  With current
 * set, run nruns is fed too: the records of the corpus as it is now
 * (`textpipe -o DIR --state`), the only ones the totals count, so
 * documents since deleted drop out; the runs then only draw the line
 * chart. */
report *report_new(size_t nruns, int current);
void report_free(report *r); /* NULL is fine */

/* Name run i (its label on the charts: a date, a folder name). */
void report_set_label(report *r, size_t run, const char *label);

/* Feed the lines of run i, runs newest first (the current one first of
 * all): without a current run, a document's records count toward the
 * totals from the newest run that has it (an incremental run writes only
 * new and changed documents); every run's own records make
 * its point on the line chart.  '#TYPE' header lines name the columns
 * (else the shipped plugins' layout is assumed); other '#' lines, and
 * record types the report does not draw, are skipped.  Returns 0, or -1
 * with a message for a line of a drawn type with too few fields. */
int report_line(report *r, size_t run, char *line, size_t len, char *err, size_t errsize);

/* Write the page; title may be NULL.  Returns 0, or -1 on a write error. */
int report_write(report *r, FILE *out, const char *title, size_t top);

/* The `textpipe report` command (argv[0] is "report"): exit status. */
int report_main(int argc, char **argv);

#endif
