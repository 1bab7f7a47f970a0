/* loader.c: plugin search, dlopen and the descriptor handshake.  A plugin
 * is refused, with the file and the reason, before any of its callbacks
 * runs; plugins stay loaded until exit (no dlclose mid-run, so nothing a
 * plugin handed out can dangle). */
#include "config.h"

#include "loader.h"

#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "paths.h"

static char **search_dirs;
static size_t nsearch_dirs;

static void
add_dirs(const char *list)
{
    if (list == NULL)
        return;
    const char *p = list;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        if (n > 0) {
            search_dirs = xrealloc(search_dirs, (nsearch_dirs + 1) * sizeof *search_dirs);
            search_dirs[nsearch_dirs++] = xstrndup(p, n);
        }
        p += n + (colon != NULL);
    }
}

void
loader_path_init(const char *plugin_path)
{
    loader_path_free();
    add_dirs(plugin_path);
    add_dirs(getenv("TEXTPIPE_PLUGIN_PATH"));
    for (const char *const *d = paths_plugin_dirs(); *d; d++)
        add_dirs(*d);
}

void
loader_path_free(void)
{
    for (size_t i = 0; i < nsearch_dirs; i++)
        free(search_dirs[i]);
    free(search_dirs);
    search_dirs = NULL;
    nsearch_dirs = 0;
}

static int
readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* Where NAME.so is: each search dir, then (uninstalled) the build tree's
 * plugins/NAME/.libs, where libtool leaves the freshly built module. */
static int
find_plugin(const char *name, char *buf, size_t bufsize)
{
    for (size_t i = 0; i < nsearch_dirs; i++) {
        int n = snprintf(buf, bufsize, "%s/%s.so", search_dirs[i], name);
        if (n > 0 && (size_t)n < bufsize && readable(buf))
            return 0;
    }
    if (paths_uninstalled()) {
        int n = snprintf(buf, bufsize, "%s/plugins/%s/.libs/%s.so", TP_BUILDDIR, name, name);
        if (n > 0 && (size_t)n < bufsize && readable(buf))
            return 0;
    }
    return -1;
}

static int
valid_name(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

int
loader_check(const tp_plugin *d, char *err, size_t errsize)
{
    size_t min_size = offsetof(tp_plugin, destroy) + sizeof d->destroy;
    if (d == NULL) {
        snprintf(err, errsize, "textpipe_plugin_v1() returned NULL, expected a descriptor");
        return -1;
    }
    if (d->size < min_size) {
        snprintf(err, errsize, "descriptor is %zu bytes, expected at least %zu (ABI %d.0)",
                 d->size, min_size, TP_ABI_MAJOR);
        return -1;
    }
    if (d->abi_major != TP_ABI_MAJOR) {
        snprintf(err, errsize, "built for plugin ABI %u.%u, expected ABI %d.x", d->abi_major,
                 d->abi_minor, TP_ABI_MAJOR);
        return -1;
    }
    if (!valid_name(d->name)) {
        snprintf(err, errsize, "descriptor name \"%s\" is not [a-z0-9_-]+",
                 d->name ? d->name : "(null)");
        return -1;
    }
    if (d->version == NULL || d->summary == NULL) {
        snprintf(err, errsize, "descriptor has no %s", d->version == NULL ? "version" : "summary");
        return -1;
    }
    if (d->create == NULL) {
        snprintf(err, errsize, "descriptor has no create callback");
        return -1;
    }
    if (d->nrecords > 0 && d->records == NULL) {
        snprintf(err, errsize, "descriptor declares %zu record types but no list", d->nrecords);
        return -1;
    }
    for (size_t i = 0; i < d->nrecords; i++) {
        const tp_record_type *r = &d->records[i];
        if (!valid_name(r->name) || r->ncolumns == 0 || r->columns == NULL) {
            snprintf(err, errsize, "record type %zu (\"%s\") needs a [a-z0-9_-]+ name and columns",
                     i, r->name ? r->name : "(null)");
            return -1;
        }
        for (size_t c = 0; c < r->ncolumns; c++) {
            if (r->columns[c].name == NULL || r->columns[c].role > TP_ROLE_TEXT) {
                snprintf(err, errsize, "record type %s: column %zu has no name or an unknown role",
                         r->name, c + 1);
                return -1;
            }
        }
    }
    if (d->noptions > 0 && d->options == NULL) {
        snprintf(err, errsize, "descriptor declares %zu options but no list", d->noptions);
        return -1;
    }
    for (size_t i = 0; i < d->noptions; i++) {
        if (d->options[i].key == NULL || d->options[i].help == NULL) {
            snprintf(err, errsize, "option %zu has no key or no help line", i + 1);
            return -1;
        }
    }
    return 0;
}

static plugin *
plugin_new(const char *path, const tp_plugin *d)
{
    plugin *p = xcalloc(1, sizeof *p);
    p->path = xstrdup(path);
    p->desc = d;
    return p;
}

static plugin *
open_path(const char *path, char *err, size_t errsize)
{
    char why[512];
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        snprintf(err, errsize, "%s: cannot load: %s", path, dlerror());
        return NULL;
    }
    dlerror();
    void *sym = dlsym(h, TP_ENTRY_SYMBOL);
    if (sym == NULL) {
        snprintf(err, errsize, "%s: no entry point %s() (not a textpipe plugin, or built for another ABI)",
                 path, TP_ENTRY_SYMBOL);
        dlclose(h);
        return NULL;
    }
    tp_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry); /* object to function pointer, POSIX-style */
    const tp_plugin *d = entry();
    if (loader_check(d, why, sizeof why) != 0) {
        snprintf(err, errsize, "%s: refused: %s", path, why);
        dlclose(h);
        return NULL;
    }
    return plugin_new(path, d);
}

plugin *
loader_open(const char *name, char *err, size_t errsize)
{
    if (strchr(name, '/') != NULL)
        return open_path(name, err, errsize);
    if (strcmp(name, "tokens") == 0)
        return plugin_new("(built-in)", tokens_plugin());
    if (strcmp(name, "sentences") == 0)
        return plugin_new("(built-in)", sentences_plugin());
    char path[4096];
    if (find_plugin(name, path, sizeof path) != 0) {
        size_t n = (size_t)snprintf(err, errsize, "no plugin \"%s\" (looked for %s.so in:", name, name);
        for (size_t i = 0; i < nsearch_dirs && n < errsize; i++)
            n += (size_t)snprintf(err + n, errsize - n, " %s", search_dirs[i]);
        if (paths_uninstalled() && n < errsize)
            n += (size_t)snprintf(err + n, errsize - n, " %s/plugins/%s/.libs", TP_BUILDDIR, name);
        if (n < errsize)
            snprintf(err + n, errsize - n, "); see textpipe --list-plugins");
        return NULL;
    }
    return open_path(path, err, errsize);
}

void
loader_free(plugin *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nopts; i++) {
        free(p->keys[i]);
        free(p->values[i]);
    }
    free(p->keys);
    free(p->values);
    free(p->path);
    free(p);
}

int
loader_set_option(plugin *p, const char *key, const char *value, char *err, size_t errsize)
{
    const tp_plugin *d = p->desc;
    size_t i;
    for (i = 0; i < d->noptions; i++)
        if (strcmp(d->options[i].key, key) == 0)
            break;
    if (i == d->noptions) {
        size_t n = (size_t)snprintf(err, errsize, "%s: unknown option \"%s\"; valid keys:", d->name, key);
        for (size_t k = 0; k < d->noptions && n < errsize; k++)
            n += (size_t)snprintf(err + n, errsize - n, " %s", d->options[k].key);
        if (d->noptions == 0 && n < errsize)
            snprintf(err + n, errsize - n, " (none)");
        return -1;
    }
    for (size_t k = 0; k < p->nopts; k++) {
        if (strcmp(p->keys[k], key) == 0) { /* the last -O wins */
            free(p->values[k]);
            p->values[k] = xstrdup(value);
            return 0;
        }
    }
    p->keys = xrealloc(p->keys, (p->nopts + 1) * sizeof *p->keys);
    p->values = xrealloc(p->values, (p->nopts + 1) * sizeof *p->values);
    p->keys[p->nopts] = xstrdup(key);
    p->values[p->nopts] = xstrdup(value);
    p->nopts++;
    return 0;
}

const char *
loader_option(const plugin *p, const char *key)
{
    for (size_t k = 0; k < p->nopts; k++)
        if (strcmp(p->keys[k], key) == 0)
            return p->values[k];
    return NULL;
}

const tp_record_type *
loader_record_type(const plugin *p, const char *type)
{
    for (size_t i = 0; i < p->desc->nrecords; i++)
        if (strcmp(p->desc->records[i].name, type) == 0)
            return &p->desc->records[i];
    return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of NAME.so files in dir, sorted. */
static size_t
scan_dir(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    *names = NULL;
    if (d == NULL)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0 && e->d_name[0] != '.') {
            *names = xrealloc(*names, (n + 1) * sizeof **names);
            (*names)[n++] = xstrndup(e->d_name, len - 3);
        }
    }
    closedir(d);
    qsort(*names, n, sizeof **names, cmp_str);
    return n;
}

typedef struct seen {
    char **names;
    size_t n;
} seen;

static int
seen_add(seen *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return 0;
    s->names = xrealloc(s->names, (s->n + 1) * sizeof *s->names);
    s->names[s->n++] = xstrdup(name);
    return 1;
}

static void
each_in_dir(const char *dir, seen *s, loader_each_fn fn, void *arg)
{
    char **names;
    size_t n = scan_dir(dir, &names);
    for (size_t i = 0; i < n; i++) {
        char path[4096], err[1024];
        int len = snprintf(path, sizeof path, "%s/%s.so", dir, names[i]);
        if (len > 0 && (size_t)len < sizeof path && seen_add(s, names[i])) {
            plugin *p = open_path(path, err, sizeof err);
            fn(arg, names[i], p, p ? NULL : err);
        }
        free(names[i]);
    }
    free(names);
}

/* The build tree keeps each plugin in its own folder: list the folders
 * that hold a built NAME.so. */
static void
each_in_build_tree(seen *s, loader_each_fn fn, void *arg)
{
    char root[4096];
    snprintf(root, sizeof root, "%s/plugins", TP_BUILDDIR);
    DIR *d = opendir(root);
    if (d == NULL)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char so[4096];
        if (e->d_name[0] == '.')
            continue;
        int len = snprintf(so, sizeof so, "%s/%s/.libs/%s.so", root, e->d_name, e->d_name);
        if (len > 0 && (size_t)len < sizeof so && readable(so)) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[4096], err[1024];
        int len = snprintf(path, sizeof path, "%s/%s/.libs/%s.so", root, names[i], names[i]);
        if (len > 0 && (size_t)len < sizeof path && seen_add(s, names[i])) {
            plugin *p = open_path(path, err, sizeof err);
            fn(arg, names[i], p, p ? NULL : err);
        }
        free(names[i]);
    }
    free(names);
}

void
loader_each(loader_each_fn fn, void *arg)
{
    seen s = {NULL, 0};
    seen_add(&s, "sentences");
    fn(arg, "sentences", plugin_new("(built-in)", sentences_plugin()), NULL);
    seen_add(&s, "tokens");
    fn(arg, "tokens", plugin_new("(built-in)", tokens_plugin()), NULL);
    for (size_t i = 0; i < nsearch_dirs; i++)
        each_in_dir(search_dirs[i], &s, fn, arg);
    if (paths_uninstalled())
        each_in_build_tree(&s, fn, arg);
    for (size_t i = 0; i < s.n; i++)
        free(s.names[i]);
    free(s.names);
}
