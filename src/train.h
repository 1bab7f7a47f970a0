/* train.h: `textpipe train`: the host reads a labelled TSV file, runs the
 * core over each example's text and hands the plugin sentences and labels. */
#ifndef TP_TRAIN_H
#define TP_TRAIN_H

#include "loader.h"

/* Returns the exit status (0, 1 for an unreadable file or a plugin error,
 * 2 when the plugin cannot learn). */
int train_main(plugin *p, const char *lang_code, const char *path, const char *model_out);

#endif
