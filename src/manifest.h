/* manifest.h: the run manifest, "##" lines at the top of an output that
 * say what produced it: textpipe's version, each plugin's name, version,
 * ABI and the SHA-256 of its shared object, the options that shape the
 * records, the language, the utf8proc and libstemmer versions.  Nothing in
 * it depends on the time, the machine or -j, so two runs with the same
 * inputs and the same manifest write the same records. */
#ifndef TP_MANIFEST_H
#define TP_MANIFEST_H

#include <stddef.h>

#include "buf.h"
#include "lang.h"
#include "loader.h"

/* Append the manifest lines (each ends in LF) to out.  Plugins are hashed
 * here, so build it once a run. */
void manifest_build(buf *out, plugin *const *plugins, size_t nplugins, const lang *l, int lines);

#endif
