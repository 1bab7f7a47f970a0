/* run.h: one run of textpipe over its inputs with the chosen plugins. */
#ifndef TP_RUN_H
#define TP_RUN_H

#include <stddef.h>

#include "loader.h"

typedef struct run_config {
    plugin **plugins; /* loaded, options set */
    size_t nplugins;
    const char *lang; /* --lang */
    int lines;        /* --lines: a document a line */
    int jobs;         /* -j */
    int header;       /* --header */
    char **inputs;    /* paths, "-" for stdin */
    size_t ninputs;
    int manifest;       /* --manifest: the run manifest on stdout first */
    const char *outdir; /* -o DIR: one file a record type, or NULL */
    const char *state;  /* --state FILE (with outdir): skip what is done */
    int progress;       /* a progress_mode */
    double progress_seconds; /* between reports; 0: the mode's default */
} run_config;

/* Process every input; returns the exit status: 0 all inputs processed,
 * 1 some could not be (each reported on stderr), 2 a setup error, 128+N
 * when signal N (SIGINT, SIGTERM) stopped a run with -o early: what was
 * done is kept in the state, and a rerun finishes the job. */
int run_main(const run_config *cfg);

#endif
