/* paths.c: finds plugins and data files, in the build tree when the binary
 * runs uninstalled from it (so the README's main job needs no install),
 * else in the install directories. */
#include "config.h"

#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
exists(const char *path)
{
    return access(path, R_OK) == 0;
}

int
paths_uninstalled(void)
{
    static int known = -1;
    if (known >= 0)
        return known;
    const char *force = getenv("TEXTPIPE_UNINSTALLED");
    if (force != NULL && *force != '\0') {
        known = strcmp(force, "0") != 0;
        return known;
    }
    char exe[PATH_MAX], build[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    known = 0;
    if (n > 0 && realpath(TP_BUILDDIR, build) != NULL) {
        exe[n] = '\0';
        size_t bl = strlen(build);
        known = strncmp(exe, build, bl) == 0 && exe[bl] == '/';
    }
    return known;
}

const char *const *
paths_plugin_dirs(void)
{
    static const char *const installed[] = {TP_PKGLIBDIR, NULL};
    /* Uninstalled, libtool leaves each module in its own plugins/NAME/.libs:
     * the loader looks there by name (see loader.c). */
    static const char *const build[] = {NULL};
    return paths_uninstalled() ? build : installed;
}

static int
try_path(char *buf, size_t bufsize, const char *dir, const char *group,
         const char *sub, const char *name)
{
    int n = snprintf(buf, bufsize, "%s/%s%s%s/%s", dir, group, sub ? "/" : "",
                     sub ? sub : "", name);
    return n > 0 && (size_t)n < bufsize && exists(buf);
}

int
paths_find_data(const char *group, const char *name, char *buf, size_t bufsize)
{
    const char *env = getenv("TEXTPIPE_DATA_DIR");
    if (env != NULL && *env != '\0' && try_path(buf, bufsize, env, group, NULL, name))
        return 0;
    if (paths_uninstalled()) {
        /* Core data lives in data/GROUP, a plugin's in plugins/GROUP/data;
         * generated files are in the build tree, shipped ones in the
         * source tree. */
        const char *roots[] = {TP_BUILDDIR, TP_SRCDIR};
        for (size_t i = 0; i < 2; i++) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s/plugins", roots[i]);
            if (try_path(buf, bufsize, dir, group, "data", name))
                return 0;
            snprintf(dir, sizeof dir, "%s/data", roots[i]);
            if (try_path(buf, bufsize, dir, group, NULL, name))
                return 0;
        }
        return -1;
    }
    return try_path(buf, bufsize, TP_PKGDATADIR, group, NULL, name) ? 0 : -1;
}

const char *
paths_data_dir(const char *group, char *buf, size_t bufsize)
{
    const char *env = getenv("TEXTPIPE_DATA_DIR");
    if (env != NULL && *env != '\0')
        snprintf(buf, bufsize, "%s/%s", env, group);
    else if (!paths_uninstalled())
        snprintf(buf, bufsize, "%s/%s", TP_PKGDATADIR, group);
    else if (strcmp(group, "lang") == 0)
        snprintf(buf, bufsize, "%s/data/lang", TP_SRCDIR);
    else
        snprintf(buf, bufsize, "%s/plugins/%s/data", TP_SRCDIR, group);
    return buf;
}
