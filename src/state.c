/* state.c: the --state journal, recovery from killed runs, and the
 * assembly of the final per-type files.  Journal lines (TAB-separated,
 * the path escaped as in records):
 *
 *     textpipe-state  1
 *     manifest  HASH  TEXT
 *     doc  RUN  ok|failed  SIZE  MTIME  SHA256  MANIFEST  RANGES  PATH
 *     commit  RUN  TYPE=LENGTH,...
 *
 * RANGES is TYPE:START+LENGTH,... (or -): where the input's records lie in
 * the part file of RUN.  A doc line counts only when a commit line of its
 * run follows it: the commit is written in the same write() after the
 * part files were synced, so a torn tail never names records that are not
 * on disk, and the commit's lengths say where to cut the parts of a run
 * that was killed. */
#include "config.h"

#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "tsv.h"

typedef struct range {
    size_t type; /* index into state.types */
    uint64_t start, len;
} range;

typedef struct entry {
    char *path;
    unsigned run;
    int failed;
    uint64_t size;
    long long msec;
    long mnsec;
    char hash[SHA256_HEX_SIZE], manifest[SHA256_HEX_SIZE];
    range *ranges;
    size_t nranges;
    range *next; /* the ranges in the compacted part, while assembling */
    size_t nnext;
    int seen; /* an input of this run */
} entry;

typedef struct committed {
    unsigned run;
    range *lengths; /* start unused */
    size_t n;
} committed;

struct state {
    char *file, *dir, *parts;
    char manifest[SHA256_HEX_SIZE];
    buf manifest_line; /* "manifest HASH TEXT": which plugins, for people */
    char **types;      /* every type named in the journal, then this run's */
    size_t ntypes;
    size_t *cur; /* this run's types, as indexes into types */
    size_t ncur;
    entry **entries;
    size_t nentries, capentries;
    size_t *index; /* open addressing: entry number + 1, 0 empty */
    size_t indexsize;
    committed *runs;
    size_t nruns;
    unsigned run;
    int journal, lockfd;
    buf pending;
    size_t npending;
    uint64_t skipped;
    pthread_mutex_t lock;
};

/* ---- the table of entries ------------------------------------------ */

static size_t
hash_path(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void
index_put(state *s, size_t number)
{
    size_t mask = s->indexsize - 1;
    size_t i = hash_path(s->entries[number]->path) & mask;
    while (s->index[i] != 0)
        i = (i + 1) & mask;
    s->index[i] = number + 1;
}

static entry *
find(state *s, const char *path)
{
    if (s->indexsize == 0)
        return NULL;
    size_t mask = s->indexsize - 1;
    for (size_t i = hash_path(path) & mask; s->index[i] != 0; i = (i + 1) & mask) {
        entry *e = s->entries[s->index[i] - 1];
        if (strcmp(e->path, path) == 0)
            return e;
    }
    return NULL;
}

static entry *
find_or_add(state *s, const char *path)
{
    entry *e = find(s, path);
    if (e != NULL)
        return e;
    if (2 * (s->nentries + 1) > s->indexsize) {
        free(s->index);
        s->indexsize = s->indexsize ? 2 * s->indexsize : 1024;
        s->index = xcalloc(s->indexsize, sizeof *s->index);
        for (size_t i = 0; i < s->nentries; i++)
            index_put(s, i);
    }
    if (s->nentries == s->capentries) {
        s->capentries = s->capentries ? 2 * s->capentries : 256;
        s->entries = xrealloc(s->entries, s->capentries * sizeof *s->entries);
    }
    e = xcalloc(1, sizeof *e);
    e->path = xstrdup(path);
    s->entries[s->nentries] = e;
    index_put(s, s->nentries++);
    return e;
}

static void
entry_free(entry *e)
{
    free(e->path);
    free(e->ranges);
    free(e->next);
    free(e);
}

static size_t
type_index(state *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->ntypes; i++)
        if (strlen(s->types[i]) == len && memcmp(s->types[i], name, len) == 0)
            return i;
    s->types = xrealloc(s->types, (s->ntypes + 1) * sizeof *s->types);
    char *t = xmalloc(len + 1);
    memcpy(t, name, len);
    t[len] = '\0';
    s->types[s->ntypes] = t;
    return s->ntypes++;
}

static committed *
run_info(state *s, unsigned run, int create)
{
    for (size_t i = 0; i < s->nruns; i++)
        if (s->runs[i].run == run)
            return &s->runs[i];
    if (!create)
        return NULL;
    s->runs = xrealloc(s->runs, (s->nruns + 1) * sizeof *s->runs);
    s->runs[s->nruns] = (committed){run, NULL, 0};
    return &s->runs[s->nruns++];
}

/* ---- reading the journal -------------------------------------------- */

/* "TYPE:START+LEN,..." or "TYPE=LEN,...", into ranges. */
static int
parse_ranges(state *s, const char *text, int with_start, range **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (strcmp(text, "-") == 0 || *text == '\0')
        return 0;
    const char *p = text;
    while (*p) {
        const char *sep = strchr(p, with_start ? ':' : '=');
        if (sep == NULL)
            return -1;
        range r = {type_index(s, p, (size_t)(sep - p)), 0, 0};
        char *end;
        if (with_start) {
            r.start = strtoull(sep + 1, &end, 10);
            if (*end != '+')
                return -1;
            r.len = strtoull(end + 1, &end, 10);
        } else {
            r.len = strtoull(sep + 1, &end, 10);
        }
        if (*end != ',' && *end != '\0')
            return -1;
        *out = xrealloc(*out, (*nout + 1) * sizeof **out);
        (*out)[(*nout)++] = r;
        p = *end ? end + 1 : end;
    }
    return 0;
}

static void
apply(state *s, entry *pending, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        entry *e = find_or_add(s, pending[i].path);
        free(e->ranges);
        char *path = e->path;
        *e = pending[i];
        free(pending[i].path);
        e->path = path;
    }
}

/* Read the journal; the offset after its last commit line goes to *good. */
static int
load(state *s, const char *text, size_t len, size_t *good, char *err, size_t errsize)
{
    entry *pending = NULL;
    size_t npending = 0;
    size_t at = 0;
    unsigned long long lineno = 0;
    *good = 0;
    char *line = NULL;
    int rc = 0;
    while (at < len) {
        const char *lf = memchr(text + at, '\n', len - at);
        if (lf == NULL)
            break; /* a torn last line */
        size_t ll = (size_t)(lf - (text + at));
        lineno++;
        line = xrealloc(line, ll + 1);
        memcpy(line, text + at, ll);
        line[ll] = '\0';
        at += ll + 1;
        char *f[10];
        size_t nf = tsv_split(line, ll, f, 10);
        if (lineno == 1) {
            if (nf < 2 || strcmp(f[0], "textpipe-state") != 0 || strcmp(f[1], "1") != 0) {
                snprintf(err, errsize, "%s: not a textpipe state file (version 1)", s->file);
                rc = -1;
                break;
            }
            *good = at;
            continue;
        }
        if (strcmp(f[0], "doc") == 0 && nf == 9) {
            entry e = {0};
            e.run = (unsigned)strtoul(f[1], NULL, 10);
            e.failed = strcmp(f[2], "ok") != 0;
            e.size = strtoull(f[3], NULL, 10);
            char *dot;
            e.msec = strtoll(f[4], &dot, 10);
            e.mnsec = *dot == '.' ? strtol(dot + 1, NULL, 10) : 0;
            snprintf(e.hash, sizeof e.hash, "%s", f[5]);
            snprintf(e.manifest, sizeof e.manifest, "%s", f[6]);
            if (parse_ranges(s, f[7], 1, &e.ranges, &e.nranges) != 0) {
                snprintf(err, errsize, "%s:%llu: bad ranges", s->file, lineno);
                free(e.ranges);
                rc = -1;
                break;
            }
            size_t pl = tsv_unescape(f[8], strlen(f[8]));
            e.path = xmalloc(pl + 1);
            memcpy(e.path, f[8], pl + 1);
            pending = xrealloc(pending, (npending + 1) * sizeof *pending);
            pending[npending++] = e;
        } else if (strcmp(f[0], "commit") == 0 && nf == 3) {
            committed *c = run_info(s, (unsigned)strtoul(f[1], NULL, 10), 1);
            free(c->lengths);
            if (parse_ranges(s, f[2], 0, &c->lengths, &c->n) != 0) {
                snprintf(err, errsize, "%s:%llu: bad commit line", s->file, lineno);
                rc = -1;
                break;
            }
            apply(s, pending, npending);
            npending = 0;
            *good = at;
        }
        /* manifest lines, and lines of later versions, are for people. */
    }
    for (size_t i = 0; i < npending; i++) {
        free(pending[i].path);
        free(pending[i].ranges);
    }
    free(pending);
    free(line);
    return rc;
}

/* ---- recovery --------------------------------------------------------- */

static int
part_name(const char *name, unsigned *run, const char **type, size_t *typelen)
{
    char *end;
    if (name[0] < '0' || name[0] > '9')
        return 0;
    unsigned long r = strtoul(name, &end, 10);
    if (*end != '.' || r > UINT_MAX)
        return 0;
    size_t nl = strlen(end + 1);
    if (nl <= 4 || strcmp(end + 1 + nl - 4, ".tsv") != 0)
        return 0;
    *run = (unsigned)r;
    *type = end + 1;
    *typelen = nl - 4;
    return 1;
}

static void
forget_run(state *s, unsigned run)
{
    for (size_t i = 0; i < s->nentries; i++) {
        entry *e = s->entries[i];
        if (e->run == run && !e->failed) {
            /* Its records are not all there any more: do it again. */
            e->failed = 1;
            e->nranges = 0;
        }
    }
}

/* Cut each committed part back to its committed length, delete the parts
 * no commit vouches for (a run killed before its first commit, or the
 * leftovers of an assembly), and find the highest run number in use. */
static int
recover(state *s, unsigned *highest, char *err, size_t errsize)
{
    DIR *d = opendir(s->parts);
    if (d == NULL) {
        snprintf(err, errsize, "%s: %s", s->parts, strerror(errno));
        return -1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        unsigned run;
        const char *type;
        size_t tl;
        if (!part_name(de->d_name, &run, &type, &tl))
            continue;
        if (run > *highest)
            *highest = run;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", s->parts, de->d_name);
        committed *c = run_info(s, run, 0);
        const range *len = NULL;
        for (size_t i = 0; c != NULL && i < c->n; i++)
            if (strlen(s->types[c->lengths[i].type]) == tl &&
                memcmp(s->types[c->lengths[i].type], type, tl) == 0)
                len = &c->lengths[i];
        if (len == NULL) {
            unlink(path);
            continue;
        }
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if ((uint64_t)st.st_size > len->len) {
            if (truncate(path, (off_t)len->len) != 0) {
                snprintf(err, errsize, "%s: cannot cut back: %s", path, strerror(errno));
                closedir(d);
                return -1;
            }
        } else if ((uint64_t)st.st_size < len->len) {
            fprintf(stderr,
                    "textpipe: %s: shorter than its journal says; its documents will be "
                    "processed again\n",
                    path);
            forget_run(s, run);
        }
    }
    closedir(d);
    /* A committed part that is missing loses its documents too. */
    for (size_t i = 0; i < s->nruns; i++) {
        committed *c = &s->runs[i];
        if (c->run > *highest)
            *highest = c->run;
        for (size_t k = 0; k < c->n; k++) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%u.%s.tsv", s->parts, c->run,
                     s->types[c->lengths[k].type]);
            if (access(path, F_OK) != 0) {
                forget_run(s, c->run);
                break;
            }
        }
    }
    return 0;
}

/* ---- opening ------------------------------------------------------------ */

int
state_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static char *
parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    char *p = xmalloc((size_t)(slash - path) + 1);
    memcpy(p, path, (size_t)(slash - path));
    p[slash - path] = '\0';
    return p;
}

static int
write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static char *
slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    buf b = BUF_INIT;
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            buf_free(&b);
            errno = e;
            return NULL;
        }
        buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    *len = b.len;
    return b.data ? b.data : xstrdup("");
}

state *
state_open(const char *file, const char *dir, const char *manifest, char *const *types,
           size_t ntypes, char *err, size_t errsize)
{
    state *s = xcalloc(1, sizeof *s);
    s->file = xstrdup(file);
    s->dir = xstrdup(dir);
    s->parts = xmalloc(strlen(dir) + 7);
    sprintf(s->parts, "%s/parts", dir);
    sha256 h;
    sha256_init(&h);
    sha256_update(&h, manifest, strlen(manifest));
    sha256_hex(&h, s->manifest);
    buf_adds(&s->manifest_line, "manifest\t");
    buf_adds(&s->manifest_line, s->manifest);
    buf_addc(&s->manifest_line, '\t');
    tsv_escape_str(&s->manifest_line, manifest);
    buf_addc(&s->manifest_line, '\n');
    /* The run's first commit says what it ran with. */
    buf_add(&s->pending, s->manifest_line.data, s->manifest_line.len);
    s->journal = -1;
    s->lockfd = -1;
    pthread_mutex_init(&s->lock, NULL);
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) ||
        (mkdir(s->parts, 0777) != 0 && errno != EEXIST)) {
        snprintf(err, errsize, "-o %s: %s", dir, strerror(errno));
        goto fail;
    }
    s->lockfd = open(s->parts, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->lockfd < 0 || flock(s->lockfd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, errsize, "%s: %s", s->parts,
                 errno == EWOULDBLOCK ? "in use by another textpipe run" : strerror(errno));
        goto fail;
    }
    size_t len = 0, good = 0;
    char *text = slurp(file, &len);
    if (text == NULL && errno != ENOENT) {
        snprintf(err, errsize, "--state %s: %s", file, strerror(errno));
        goto fail;
    }
    if (text != NULL) {
        int rc = load(s, text, len, &good, err, errsize);
        free(text);
        if (rc != 0)
            goto fail;
    }
    s->ncur = ntypes;
    s->cur = xcalloc(ntypes ? ntypes : 1, sizeof *s->cur);
    for (size_t i = 0; i < ntypes; i++)
        s->cur[i] = type_index(s, types[i], strlen(types[i]));
    unsigned highest = 0;
    if (recover(s, &highest, err, errsize) != 0)
        goto fail;
    s->run = highest + 1;

    s->journal = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (s->journal < 0) {
        snprintf(err, errsize, "--state %s: %s", file, strerror(errno));
        goto fail;
    }
    /* Drop a torn or uncommitted tail, so that appends start on a line. */
    buf head = BUF_INIT;
    if (good == 0)
        buf_adds(&head, "textpipe-state\t1\n");
    if (ftruncate(s->journal, (off_t)good) != 0 || lseek(s->journal, 0, SEEK_END) < 0 ||
        write_all(s->journal, head.data ? head.data : "", head.len) != 0 ||
        fsync(s->journal) != 0) {
        snprintf(err, errsize, "--state %s: %s", file, strerror(errno));
        buf_free(&head);
        goto fail;
    }
    buf_free(&head);
    if (good == 0) {
        char *parent = parent_dir(file);
        state_sync_dir(parent);
        free(parent);
    }
    return s;
fail:
    state_free(s);
    return NULL;
}

void
state_free(state *s)
{
    if (s == NULL)
        return;
    if (s->journal >= 0)
        close(s->journal);
    if (s->lockfd >= 0)
        close(s->lockfd);
    for (size_t i = 0; i < s->nentries; i++)
        entry_free(s->entries[i]);
    free(s->entries);
    free(s->index);
    for (size_t i = 0; i < s->ntypes; i++)
        free(s->types[i]);
    free(s->types);
    free(s->cur);
    for (size_t i = 0; i < s->nruns; i++)
        free(s->runs[i].lengths);
    free(s->runs);
    buf_free(&s->pending);
    buf_free(&s->manifest_line);
    pthread_mutex_destroy(&s->lock);
    free(s->file);
    free(s->dir);
    free(s->parts);
    free(s);
}

unsigned
state_run(const state *s)
{
    return s->run;
}

void
state_part_path(const state *s, size_t i, char *out, size_t size)
{
    snprintf(out, size, "%s/%u.%s.tsv", s->parts, s->run, s->types[s->cur[i]]);
}

uint64_t
state_skipped(const state *s)
{
    return s->skipped;
}

/* ---- during the run ----------------------------------------------------- */

static int
same_time(const entry *e, const struct stat *st)
{
    return e->msec == (long long)st->st_mtim.tv_sec && e->mnsec == st->st_mtim.tv_nsec;
}

int
state_check(state *s, const char *path, const struct stat *st, char hash[SHA256_HEX_SIZE])
{
    pthread_mutex_lock(&s->lock);
    entry *e = find(s, path);
    int usable = e != NULL && !e->failed && strcmp(e->manifest, s->manifest) == 0;
    if (e != NULL)
        e->seen = 1;
    if (usable && e->size == (uint64_t)st->st_size && same_time(e, st)) {
        memcpy(hash, e->hash, SHA256_HEX_SIZE);
        s->skipped++;
        pthread_mutex_unlock(&s->lock);
        return 0;
    }
    pthread_mutex_unlock(&s->lock);
    if (sha256_file(path, hash) != 0)
        return -1;
    pthread_mutex_lock(&s->lock);
    int rc = 1;
    if (usable && strcmp(e->hash, hash) == 0) {
        /* Touched, not changed: the compacted journal keeps the new time,
         * so that the next run need not hash it again. */
        e->msec = (long long)st->st_mtim.tv_sec;
        e->mnsec = st->st_mtim.tv_nsec;
        s->skipped++;
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void
state_done(state *s, const char *path, int failed, const struct stat *st, const char *hash,
           const uint64_t *start, const uint64_t *len)
{
    pthread_mutex_lock(&s->lock);
    entry *e = find_or_add(s, path);
    e->seen = 1;
    e->run = s->run;
    e->failed = failed;
    e->size = st ? (uint64_t)st->st_size : 0;
    e->msec = st ? (long long)st->st_mtim.tv_sec : 0;
    e->mnsec = st ? st->st_mtim.tv_nsec : 0;
    snprintf(e->hash, sizeof e->hash, "%s", hash && *hash ? hash : "-");
    snprintf(e->manifest, sizeof e->manifest, "%s", s->manifest);
    e->nranges = 0;
    for (size_t i = 0; !failed && i < s->ncur; i++) {
        if (len[i] == 0)
            continue;
        e->ranges = xrealloc(e->ranges, (e->nranges + 1) * sizeof *e->ranges);
        e->ranges[e->nranges++] = (range){s->cur[i], start[i], len[i]};
    }
    buf *b = &s->pending;
    char num[400];
    snprintf(num, sizeof num, "doc\t%u\t%s\t%" PRIu64 "\t%lld.%09ld\t%s\t%s\t", e->run,
             failed ? "failed" : "ok", e->size, e->msec, e->mnsec, e->hash, e->manifest);
    buf_adds(b, num);
    if (e->nranges == 0)
        buf_addc(b, '-');
    for (size_t i = 0; i < e->nranges; i++) {
        snprintf(num, sizeof num, "%s%s:%" PRIu64 "+%" PRIu64, i ? "," : "",
                 s->types[e->ranges[i].type], e->ranges[i].start, e->ranges[i].len);
        buf_adds(b, num);
    }
    buf_addc(b, '\t');
    tsv_escape_str(b, path);
    buf_addc(b, '\n');
    s->npending++;
    pthread_mutex_unlock(&s->lock);
}

int
state_pending(const state *s)
{
    return s->npending > 0;
}

static void
add_lengths(state *s, buf *b, unsigned run, const size_t *types, const uint64_t *lengths, size_t n)
{
    char num[64];
    snprintf(num, sizeof num, "commit\t%u\t", run);
    buf_adds(b, num);
    for (size_t i = 0; i < n; i++) {
        snprintf(num, sizeof num, "=%" PRIu64, lengths[i]);
        if (i > 0)
            buf_addc(b, ',');
        buf_adds(b, s->types[types[i]]);
        buf_adds(b, num);
    }
    if (n == 0)
        buf_addc(b, '-');
    buf_addc(b, '\n');
}

int
state_commit(state *s, const uint64_t *lengths)
{
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    if (s->npending > 0) {
        add_lengths(s, &s->pending, s->run, s->cur, lengths, s->ncur);
        rc = write_all(s->journal, s->pending.data, s->pending.len) == 0 &&
                     fdatasync(s->journal) == 0
                 ? 0
                 : -1;
        buf_clear(&s->pending);
        s->npending = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- the end of a run -------------------------------------------------- */

typedef struct source {
    unsigned run;
    int fd;
} source;

static int
copy_range(state *s, source **srcs, size_t *nsrcs, unsigned run, size_t type, uint64_t start,
           uint64_t len, FILE *to)
{
    int fd = -1;
    for (size_t i = 0; i < *nsrcs; i++)
        if ((*srcs)[i].run == run)
            fd = (*srcs)[i].fd;
    if (fd < 0) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%u.%s.tsv", s->parts, run, s->types[type]);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -1;
        *srcs = xrealloc(*srcs, (*nsrcs + 1) * sizeof **srcs);
        (*srcs)[(*nsrcs)++] = (source){run, fd};
    }
    char chunk[65536];
    while (len > 0) {
        size_t want = len < sizeof chunk ? (size_t)len : sizeof chunk;
        ssize_t n = pread(fd, chunk, want, (off_t)start);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n == 0)
                errno = EIO;
            return -1;
        }
        if (fwrite(chunk, 1, (size_t)n, to) != (size_t)n)
            return -1;
        start += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return 0;
}

/* Write the compacted part of type cur[i]: top, then the records of each
 * input in order; note where each input's records went. */
static int
assemble(state *s, size_t i, unsigned run, char *const *inputs, size_t ninputs, const char *top,
         uint64_t *length)
{
    size_t type = s->cur[i];
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%u.%s.tsv", s->parts, run, s->types[type]);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    source *srcs = NULL;
    size_t nsrcs = 0;
    int rc = fputs(top, f) < 0 ? -1 : 0;
    uint64_t at = strlen(top);
    for (size_t k = 0; k < ninputs && rc == 0; k++) {
        entry *e = find(s, inputs[k]);
        if (e == NULL || e->failed || strcmp(e->manifest, s->manifest) != 0)
            continue;
        for (size_t r = 0; r < e->nranges && rc == 0; r++) {
            if (e->ranges[r].type != type)
                continue;
            rc =
                copy_range(s, &srcs, &nsrcs, e->run, type, e->ranges[r].start, e->ranges[r].len, f);
            if (e->nnext == 0 || e->next[e->nnext - 1].type != type) {
                e->next = xrealloc(e->next, (e->nnext + 1) * sizeof *e->next);
                e->next[e->nnext++] = (range){type, at, e->ranges[r].len};
            }
            at += e->ranges[r].len;
        }
    }
    for (size_t k = 0; k < nsrcs; k++)
        close(srcs[k].fd);
    free(srcs);
    if (rc == 0 && (fflush(f) != 0 || fdatasync(fileno(f)) != 0))
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    *length = at;
    return rc;
}

/* Put the final file in place: a hard link to the compacted part when the
 * file system allows, else a copy; either way renamed over the old one. */
static int
publish(state *s, unsigned run, size_t type)
{
    char part[PATH_MAX], tmp[PATH_MAX], final[PATH_MAX];
    snprintf(part, sizeof part, "%s/%u.%s.tsv", s->parts, run, s->types[type]);
    snprintf(tmp, sizeof tmp, "%s/.%s.tsv.tmp", s->dir, s->types[type]);
    snprintf(final, sizeof final, "%s/%s.tsv", s->dir, s->types[type]);
    unlink(tmp);
    if (link(part, tmp) != 0) {
        int in = open(part, O_RDONLY | O_CLOEXEC);
        int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        int rc = in >= 0 && out >= 0 ? 0 : -1;
        char chunk[65536];
        ssize_t n;
        while (rc == 0 && (n = read(in, chunk, sizeof chunk)) != 0)
            rc = n < 0 ? -1 : write_all(out, chunk, (size_t)n);
        if (rc == 0)
            rc = fdatasync(out);
        if (in >= 0)
            close(in);
        if (out >= 0 && close(out) != 0)
            rc = -1;
        if (rc != 0)
            return -1;
    }
    return rename(tmp, final);
}

long
state_finish(state *s, char *const *inputs, size_t ninputs, const char *const *tops, char *err,
             size_t errsize)
{
    long gone = 0;
    for (size_t i = 0; i < s->nentries; i++) {
        if (!s->entries[i]->seen) {
            fprintf(stderr, "textpipe: %s: gone since the last run; its records are dropped\n",
                    s->entries[i]->path);
            gone++;
        }
    }
    /* The compacted parts take the next run number: until the journal
     * names them, recovery deletes them as uncommitted. */
    unsigned run = s->run + 1;
    uint64_t *lengths = xcalloc(s->ncur ? s->ncur : 1, sizeof *lengths);
    for (size_t i = 0; i < s->ncur; i++) {
        if (assemble(s, i, run, inputs, ninputs, tops[i], &lengths[i]) != 0) {
            snprintf(err, errsize, "%s: cannot assemble %s.tsv: %s", s->parts, s->types[s->cur[i]],
                     strerror(errno));
            free(lengths);
            return -1;
        }
    }
    /* The compacted journal: the live inputs, in input order, then the
     * commit that vouches for the compacted parts. */
    buf j = BUF_INIT;
    buf_adds(&j, "textpipe-state\t1\n");
    buf_add(&j, s->manifest_line.data, s->manifest_line.len);
    for (size_t k = 0; k < ninputs; k++) {
        entry *e = find(s, inputs[k]);
        if (e == NULL || e->seen != 1)
            continue;
        e->seen = 2; /* written once, however often it is listed */
        char num[400];
        int ok = !e->failed && strcmp(e->manifest, s->manifest) == 0;
        snprintf(num, sizeof num, "doc\t%u\t%s\t%" PRIu64 "\t%lld.%09ld\t%s\t%s\t", run,
                 ok ? "ok" : "failed", e->size, e->msec, e->mnsec, e->hash, e->manifest);
        buf_adds(&j, num);
        if (!ok || e->nnext == 0)
            buf_addc(&j, '-');
        for (size_t r = 0; ok && r < e->nnext; r++) {
            snprintf(num, sizeof num, "%s%s:%" PRIu64 "+%" PRIu64, r ? "," : "",
                     s->types[e->next[r].type], e->next[r].start, e->next[r].len);
            buf_adds(&j, num);
        }
        buf_addc(&j, '\t');
        tsv_escape_str(&j, e->path);
        buf_addc(&j, '\n');
    }
    add_lengths(s, &j, run, s->cur, lengths, s->ncur);
    free(lengths);

    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->file);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int rc = fd >= 0 ? 0 : -1;
    if (rc == 0)
        rc = write_all(fd, j.data, j.len) == 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    buf_free(&j);
    if (rc == 0)
        rc = rename(tmp, s->file);
    if (rc != 0) {
        snprintf(err, errsize, "--state %s: %s", s->file, strerror(errno));
        unlink(tmp);
        return -1;
    }
    char *parent = parent_dir(s->file);
    state_sync_dir(parent);
    free(parent);

    for (size_t i = 0; i < s->ncur; i++) {
        if (publish(s, run, s->cur[i]) != 0) {
            snprintf(err, errsize, "-o %s: cannot write %s.tsv: %s", s->dir, s->types[s->cur[i]],
                     strerror(errno));
            return -1;
        }
    }
    /* Types the plugins of earlier runs wrote and these do not: their
     * files would add stale records to a merge of every DIR file. */
    for (size_t t = 0; t < s->ntypes; t++) {
        int current = 0;
        for (size_t i = 0; i < s->ncur; i++)
            current |= s->cur[i] == t;
        if (!current) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s.tsv", s->dir, s->types[t]);
            unlink(path);
        }
    }
    state_sync_dir(s->dir);
    DIR *d = opendir(s->parts);
    struct dirent *de;
    while (d != NULL && (de = readdir(d)) != NULL) {
        unsigned r;
        const char *type;
        size_t tl;
        if (part_name(de->d_name, &r, &type, &tl) && r != run) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", s->parts, de->d_name);
            unlink(path);
        }
    }
    if (d != NULL)
        closedir(d);
    return gone;
}
