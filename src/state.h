/* state.h: the run state of --state FILE with -o DIR: an append-only
 * journal of the inputs processed (path, size, modification time, content
 * hash, the manifest hash that stands for the plugins and options, status,
 * and where its records lie in this run's part files DIR/parts/RUN.TYPE.tsv).
 *
 * An input counts as done only once its journal line is on disk, and that
 * line is written only after its records are; a run killed at any moment
 * leaves part files that the next run cuts back to what the journal
 * vouches for.  At the end of a run the final DIR/TYPE.tsv files are
 * assembled from the parts, in input order, so they equal what one clean
 * run over the same inputs writes. */
#ifndef TP_STATE_H
#define TP_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "sha256.h"

typedef struct state state;

/* Open (or start) the journal FILE for output directory dir (created if
 * need be, with dir/parts), for a run with the given manifest (its text:
 * its hash stands for the plugins, their versions and the options) whose
 * plugins write the record types types[0..ntypes).  Takes a lock so that
 * two runs cannot share a state; recovers from a killed run.  NULL with
 * the reason in err. */
state *state_open(const char *file, const char *dir, const char *manifest, char *const *types,
                  size_t ntypes, char *err, size_t errsize);
void state_free(state *s); /* NULL is fine */

/* This run's number: its part files are dir/parts/RUN.TYPE.tsv. */
unsigned state_run(const state *s);
/* The path of this run's part file of type i. */
void state_part_path(const state *s, size_t i, char *out, size_t size);

/* Must path be processed?  0: no, it is unchanged since a run that
 * finished it with the same manifest (a changed time with the same content
 * counts as unchanged); 1: yes, new, changed, failed before, or processed
 * with other plugins (its content hash is put in hash); -1: it cannot be
 * read (errno set).  st is its stat. */
int state_check(state *s, const char *path, const struct stat *st, char hash[SHA256_HEX_SIZE]);

/* An input is through: failed or not, with the size, time and hash of
 * what state_check saw, and its records in this run's part files at
 * [start[i], start[i] + len[i]) for type i.  Kept until state_commit. */
void state_done(state *s, const char *path, int failed, const struct stat *st, const char *hash,
                const uint64_t *start, const uint64_t *len);

/* Journal the inputs done since the last commit, with the part files'
 * lengths (their data must already be on disk): one write, then fsync.
 * 0, or -1 with errno set. */
int state_commit(state *s, const uint64_t *lengths);

/* Has anything been journaled since the last commit? */
int state_pending(const state *s);

/* The run went through its inputs: report the inputs of earlier runs that
 * are gone (their records are dropped), write the final dir/TYPE.tsv for
 * the inputs (tops[i] first: manifest and header), compact the journal and
 * delete the part files no longer needed.  Returns the number of gone
 * inputs, or -1 with the reason in err. */
long state_finish(state *s, char *const *inputs, size_t ninputs, const char *const *tops, char *err,
                  size_t errsize);

/* Counts for the summary: inputs skipped as unchanged by state_check. */
uint64_t state_skipped(const state *s);

/* fsync a directory, so that a rename into it is durable; 0 or -1. */
int state_sync_dir(const char *dir);

#endif
