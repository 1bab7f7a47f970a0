/* loader.h: finds plugins by name on the search path, dlopens them and
 * checks their descriptor before any plugin callback runs. */
#ifndef TP_LOADER_H
#define TP_LOADER_H

#include <stddef.h>

#include "textpipe/plugin.h"

typedef struct plugin {
    char *path; /* the shared object, or "(built-in)" */
    const tp_plugin *desc;
    /* -O NAME.key=value for this plugin, in the order given */
    char **keys, **values;
    size_t nopts;
} plugin;

/* The search path: --plugin-path dirs (colon-separated, may be NULL), then
 * TEXTPIPE_PLUGIN_PATH, then the build tree (uninstalled) or the install
 * directory.  Kept until loader_path_free. */
void loader_path_init(const char *plugin_path);
void loader_path_free(void);

/* Load a plugin by name (searched) or by path (a name containing '/').
 * NULL on refusal, with a message naming the file, what was found and what
 * was expected in err. */
plugin *loader_open(const char *name, char *err, size_t errsize);
void loader_free(plugin *p); /* NULL is fine; never dlcloses (see .c) */

/* Check a descriptor: ABI major, size, name, records, columns, options,
 * callbacks.  0, or -1 with the reason in err. */
int loader_check(const tp_plugin *d, char *err, size_t errsize);

/* Add -O key=value; -1 with the list of valid keys in err when the plugin
 * declares no such key. */
int loader_set_option(plugin *p, const char *key, const char *value,
                      char *err, size_t errsize);
const char *loader_option(const plugin *p, const char *key);

/* Call fn for every plugin found on the search path (built-ins first, then
 * each directory in order, names sorted, the first of a name wins).
 * Plugins that are refused are passed with p == NULL and the reason. */
typedef void (*loader_each_fn)(void *arg, const char *name, plugin *p,
                               const char *err);
void loader_each(loader_each_fn fn, void *arg);

/* The record type `type` declared by plugin p, or NULL. */
const tp_record_type *loader_record_type(const plugin *p, const char *type);

/* Built-in plugins (no shared object): `tokens` and `sentences`. */
const tp_plugin *tokens_plugin(void);
const tp_plugin *sentences_plugin(void);

#endif
