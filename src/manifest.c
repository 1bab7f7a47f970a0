/* manifest.c: the run manifest.  Its lines start with "##" so that they
 * can never be taken for a "#TYPE" header line, and every reader of
 * records (merge, awk 'NR > 1' after a filter on #) can skip them. */
#include "config.h"

#include "manifest.h"

#include <dlfcn.h>
#include <libstemmer.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "sha256.h"
#include "tsv.h"

static void
add_field(buf *out, const char *s)
{
    buf_addc(out, '\t');
    tsv_escape_str(out, s);
}

/* The shared object a symbol comes from, and its hash: the only exact
 * identity libstemmer has, since it reports no version. */
static void
add_library(buf *out, const char *what, void *symbol)
{
    Dl_info info;
    char real[PATH_MAX], hex[SHA256_HEX_SIZE];
    buf_adds(out, what);
    if (dladdr(symbol, &info) == 0 || info.dli_fname == NULL ||
        realpath(info.dli_fname, real) == NULL || sha256_file(real, hex) != 0) {
        add_field(out, "unknown");
    } else {
        const char *slash = strrchr(real, '/');
        add_field(out, slash ? slash + 1 : real);
        buf_adds(out, "\tsha256 ");
        buf_adds(out, hex);
    }
    buf_addc(out, '\n');
}

void
manifest_build(buf *out, plugin *const *plugins, size_t nplugins, const lang *l, int lines)
{
    buf_adds(out, "##textpipe\t" PACKAGE_VERSION "\tmanifest 1\n");
    for (size_t i = 0; i < nplugins; i++) {
        const plugin *p = plugins[i];
        char abi[64], hex[SHA256_HEX_SIZE];
        buf_adds(out, "##plugin");
        add_field(out, p->desc->name);
        add_field(out, p->desc->version);
        snprintf(abi, sizeof abi, "\tabi %d.%d", p->desc->abi_major, p->desc->abi_minor);
        buf_adds(out, abi);
        if (p->path[0] != '/' && strchr(p->path, '/') == NULL)
            buf_adds(out, "\tbuilt-in");
        else if (sha256_file(p->path, hex) != 0)
            buf_adds(out, "\tsha256 unknown");
        else {
            buf_adds(out, "\tsha256 ");
            buf_adds(out, hex);
        }
        buf_addc(out, '\n');
    }
    /* The options that shape records, in a canonical spelling: the same
     * run spelt differently has the same manifest. */
    buf opts = BUF_INIT;
    buf_adds(&opts, "-p ");
    if (nplugins == 0)
        buf_adds(&opts, "none");
    for (size_t i = 0; i < nplugins; i++) {
        if (i > 0)
            buf_addc(&opts, ',');
        buf_adds(&opts, plugins[i]->desc->name);
    }
    for (size_t i = 0; i < nplugins; i++) {
        for (size_t k = 0; k < plugins[i]->nopts; k++) {
            buf_adds(&opts, " -O ");
            buf_adds(&opts, plugins[i]->desc->name);
            buf_addc(&opts, '.');
            buf_adds(&opts, plugins[i]->keys[k]);
            buf_addc(&opts, '=');
            buf_adds(&opts, plugins[i]->values[k]);
        }
    }
    buf_adds(&opts, " --lang ");
    buf_adds(&opts, l->code);
    if (lines)
        buf_adds(&opts, " --lines");
    buf_adds(out, "##options");
    add_field(out, opts.data);
    buf_addc(out, '\n');
    buf_free(&opts);
    buf_adds(out, "##lang");
    add_field(out, l->code);
    add_field(out, l->snowball);
    buf_addc(out, '\n');
    buf_adds(out, "##utf8proc");
    add_field(out, utf8proc_version());
    buf_adds(out, "\tunicode ");
    buf_adds(out, utf8proc_unicode_version());
    buf_addc(out, '\n');
    add_library(out, "##libstemmer", (void *)sb_stemmer_new);
}
