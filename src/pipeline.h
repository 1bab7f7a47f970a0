/* pipeline.h: the streaming core of one worker: bytes in, sentences of
 * analysed tokens out (tokenise, normalise, stem, flag, split).  Memory is
 * bounded by the longest sentence, which a hard cap bounds in turn. */
#ifndef TP_PIPELINE_H
#define TP_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"
#include "textpipe/plugin.h"
#include "tokenize.h"

/* The hard cap: a sentence is cut after this many tokens or bytes. */
#define PIPELINE_MAX_TOKENS 2000
#define PIPELINE_MAX_BYTES (256 * 1024)

typedef struct pipeline pipeline;

/* Called once per sentence; what it gets lives until it returns.  A
 * non-zero return stops the document and is passed back. */
typedef int (*pipeline_fn)(void *arg, const tp_sentence *s);

pipeline *pipeline_new(const lang *l);
void pipeline_free(pipeline *p); /* NULL is fine */

/* Stemming on (the default) or off (stems are then the normal forms). */
void pipeline_set_stemming(pipeline *p, int on);

/* Start a document: offsets, sentence and paragraph indexes restart at 0. */
void pipeline_begin(pipeline *p);

/* Zero-copy feeding: room for at least `want` bytes, to be filled by the
 * caller and announced with pipeline_fed(). */
char *pipeline_space(pipeline *p, size_t want);
int pipeline_fed(pipeline *p, size_t n, pipeline_fn fn, void *arg);

/* Copying feed: the same as space + memcpy + fed. */
int pipeline_feed(pipeline *p, const char *data, size_t len, pipeline_fn fn,
                  void *arg);

/* The end of the document: the last sentences are sent. */
int pipeline_end(pipeline *p, pipeline_fn fn, void *arg);

/* What the document held (valid after pipeline_end, until the next
 * pipeline_begin): input oddities and sentences cut at the cap. */
const tokenize_counts *pipeline_counts(const pipeline *p);
uint64_t pipeline_capped(const pipeline *p);
uint64_t pipeline_bytes(const pipeline *p);

#endif
