/* corpus.c: the input paths of a run.  A walked tree comes out sorted so
 * that a run's order, and so its output, does not depend on the order a
 * file system happens to list its entries in. */
#include "config.h"

#include "corpus.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"

void
corpus_init(corpus *c)
{
    c->paths = NULL;
    c->n = c->cap = 0;
    c->problems = 0;
}

void
corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->paths[i]);
    free(c->paths);
    corpus_init(c);
}

static void
take(corpus *c, char *path)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->paths = xrealloc(c->paths, c->cap * sizeof *c->paths);
    }
    c->paths[c->n++] = path;
}

void
corpus_add(corpus *c, const char *path)
{
    take(c, xstrdup(path));
}

int
corpus_match(const char *rel, char *const *globs, size_t nglobs)
{
    if (nglobs == 0)
        return 1;
    const char *slash = strrchr(rel, '/');
    const char *name = slash ? slash + 1 : rel;
    for (size_t i = 0; i < nglobs; i++) {
        if (strchr(globs[i], '/') != NULL) {
            if (fnmatch(globs[i], rel, FNM_PATHNAME) == 0)
                return 1;
        } else if (fnmatch(globs[i], name, 0) == 0) {
            return 1;
        }
    }
    return 0;
}

static char *
join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl > 0 && dir[dl - 1] != '/';
    char *p = xmalloc(dl + (size_t)slash + nl + 1);
    memcpy(p, dir, dl);
    if (slash)
        p[dl] = '/';
    memcpy(p + dl + (size_t)slash, name, nl + 1);
    return p;
}

/* path is dir's full path, rel_at the offset of the part below the root. */
static void
walk(corpus *c, const char *path, size_t rel_at, char *const *globs, size_t nglobs)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "textpipe: %s: %s\n", path, strerror(errno));
        c->problems++;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* Hidden entries (.git, editors' swap files) are no articles. */
        if (e->d_name[0] == '.')
            continue;
        char *child = join(path, e->d_name);
        struct stat st, lst;
        if (lstat(child, &lst) != 0 || (S_ISLNK(lst.st_mode) && stat(child, &st) != 0)) {
            /* A dangling link is no input; a vanished entry neither. */
            free(child);
            continue;
        }
        if (!S_ISLNK(lst.st_mode))
            st = lst;
        if (S_ISDIR(st.st_mode) && !S_ISLNK(lst.st_mode)) {
            walk(c, child, rel_at, globs, nglobs);
            free(child);
        } else if (S_ISREG(st.st_mode) && corpus_match(child + rel_at, globs, nglobs)) {
            take(c, child);
        } else {
            free(child);
        }
    }
    closedir(d);
}

static int
by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
corpus_add_tree(corpus *c, const char *dir, char *const *globs, size_t nglobs, char *err,
                size_t errsize)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        snprintf(err, errsize, "-r %s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errsize, "-r %s: %s", dir, strerror(ENOTDIR));
        return -1;
    }
    size_t first = c->n;
    size_t dl = strlen(dir);
    walk(c, dir, dl + (dl > 0 && dir[dl - 1] != '/'), globs, nglobs);
    qsort(c->paths + first, c->n - first, sizeof *c->paths, by_path);
    return 0;
}

int
corpus_add_list(corpus *c, const char *list, int nul, char *err, size_t errsize)
{
    int is_stdin = strcmp(list, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(list, "r");
    if (f == NULL) {
        snprintf(err, errsize, "--files-from %s: %s", list, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getdelim(&line, &cap, nul ? '\0' : '\n', f)) >= 0) {
        if (n > 0 && line[n - 1] == (nul ? '\0' : '\n'))
            line[--n] = '\0';
        if (!nul && n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        if (n > 0)
            corpus_add(c, line);
    }
    int rc = 0;
    if (ferror(f)) {
        snprintf(err, errsize, "--files-from %s: %s", list, strerror(errno));
        rc = -1;
    }
    free(line);
    if (!is_stdin)
        fclose(f);
    return rc;
}
