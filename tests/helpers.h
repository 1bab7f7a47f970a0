/* helpers.h: what the Criterion tests share: running the built textpipe
 * and capturing its output, reading files, finding ../shared. */
#ifndef TP_TEST_HELPERS_H
#define TP_TEST_HELPERS_H

#include <stddef.h>

#include "tokenize.h"

typedef struct run_result {
    int status; /* exit status, or 128+signal */
    char *out;  /* stdout, NUL-terminated */
    size_t out_len;
    char *err;  /* stderr, NUL-terminated */
    size_t err_len;
} run_result;

/* Run the build tree's textpipe with argv (NULL-terminated, without
 * argv[0]), feeding `input` (may be NULL) on stdin.  Fills *r; free with
 * run_result_free. */
void run_textpipe(run_result *r, const char *input, const char *const *argv);
/* The same for any command: argv[0] is the program. */
void run_command(run_result *r, const char *input, const char *const *argv);
void run_result_free(run_result *r);

/* Run textpipe on input with argv, assert that it exits 0 (and, when
 * `quiet`, that it writes nothing on stderr) and return its stdout; free
 * it. */
char *textpipe_stdout(const char *input, const char *const *argv, int quiet);

/* Run textpipe on input with argv and assert that it exits 0 and writes
 * exactly `want` on stdout (stderr is shown when it fails). */
void expect_textpipe_output(const char *input, const char *const *argv, const char *want);

/* The whole content of a file (NUL-terminated), or NULL. */
char *read_file(const char *path, size_t *len);

/* The whole content of dir/name, asserted to exist; free it. */
char *read_file_in(const char *dir, const char *name);

/* rm -rf dir, asserted to succeed. */
void remove_tree(const char *dir);

/* Path of a file in the source tree's tests/data. */
const char *test_data(const char *name);
/* Path of the build tree's textpipe binary. */
const char *textpipe_bin(void);
/* Path of ../shared next to the source tree, or NULL when there is none
 * (tests that need it then skip with a visible message). */
const char *shared_dir(void);

/* Tokenise in[0, n) the way the core calls the tokeniser: bytes arrive
 * `chunk` at a time into a window that is compacted as tokens are used up,
 * and tokenize_next() gets TOKENIZE_LOOKAHEAD bytes after pos, or the end.
 * Each token's surface is asserted equal to the input at its offsets, and
 * fn gets it with absolute offsets.  Returns the tokeniser's counts. */
tokenize_counts tokenize_in_chunks(const char *in, size_t n, size_t chunk,
                                   void (*fn)(void *arg, const tok_span *s), void *arg);

/* Is s[0, n) well-formed UTF-8 (no surrogates, nothing past U+10FFFF)? */
int is_valid_utf8(const unsigned char *s, size_t n);

#endif
