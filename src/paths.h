/* paths.h: where plugins and data files are: the build tree when the
 * binary runs uninstalled from it, else the install directories. */
#ifndef TP_PATHS_H
#define TP_PATHS_H

#include <stddef.h>

/* Is this process the textpipe binary of the build tree? */
int paths_uninstalled(void);

/* Directories searched for plugin NAME.so after --plugin-path and
 * TEXTPIPE_PLUGIN_PATH: a NULL-terminated static list (empty when
 * uninstalled: the loader then looks in plugins/NAME/.libs). */
const char *const *paths_plugin_dirs(void);

/* Find data file `name` of `group` ("lang", or a plugin's name): the build
 * tree's plugins/GROUP/data or data/GROUP first when uninstalled (build
 * dir, then source dir), else $(pkgdatadir)/GROUP; TEXTPIPE_DATA_DIR, when
 * set, is searched first.  0 and the path in buf, or -1. */
int paths_find_data(const char *group, const char *name, char *buf,
                    size_t bufsize);

/* The data directory of a group as plugins are told it. */
const char *paths_data_dir(const char *group, char *buf, size_t bufsize);

#endif
