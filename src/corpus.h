/* corpus.h: the list of input paths of a run: FILE operands as given,
 * directory trees walked in sorted order (-r DIR, --include GLOB), and
 * path lists read from a file (--files-from, -0). */
#ifndef TP_CORPUS_H
#define TP_CORPUS_H

#include <stddef.h>

typedef struct corpus {
    char **paths;
    size_t n, cap;
    size_t problems; /* directories that could not be read (reported) */
} corpus;

void corpus_init(corpus *c);
void corpus_free(corpus *c);

void corpus_add(corpus *c, const char *path);

/* Every regular file under dir (symbolic links to files are followed,
 * links to directories are not, so a walk always ends; names starting
 * with a dot are skipped, files and directories) whose name matches
 * one of the globs (every file when nglobs is 0), sorted by path in byte
 * order.  A glob with a '/' is matched against the path below dir.  0, or
 * -1 with the reason in err when dir itself cannot be read; a directory
 * below it that cannot be read is reported on stderr and counted in
 * c->problems. */
int corpus_add_tree(corpus *c, const char *dir, char *const *globs, size_t nglobs, char *err,
                    size_t errsize);

/* The paths listed in a file ("-": stdin), one a line, or separated by NUL
 * bytes when nul is set; empty entries are skipped.  0, or -1 with the
 * reason in err. */
int corpus_add_list(corpus *c, const char *list, int nul, char *err, size_t errsize);

/* Does path match one of the globs (all do when there are none)? rel is
 * the path below the walked directory. */
int corpus_match(const char *rel, char *const *globs, size_t nglobs);

#endif
