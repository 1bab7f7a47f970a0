/* host.h: the services table textpipe hands plugins (tp_host), and the
 * per-instance context (tp_ctx) those services act on. */
#ifndef TP_HOST_H
#define TP_HOST_H

#include "lang.h"
#include "loader.h"
#include "output.h"
#include "pipeline.h"
#include "textpipe/plugin.h"

/* What the services of one worker need; plugins never see it. */
typedef struct host_env {
    const lang *lang;
    pipeline *aux;           /* for analyze(), made on first use */
    int aux_busy;
    outdoc *out;             /* where write() goes; NULL: writing refused */
    const tp_document *doc;  /* the document in progress, or NULL */
    /* The worker's own pipeline, which analyze() borrows while no
     * document is in progress (in create, above all), so that a worker
     * makes the aux pipeline (tables and caches: a fifth of a plugin's
     * start-up page faults) only if a plugin analyses mid-document.  NULL:
     * analyze() always uses aux.  Whoever sets it starts every document
     * with pipeline_begin, as a borrowed pipeline is left mid-string. */
    pipeline *idle;
} host_env;

struct tp_ctx {
    host_env *env;
    const plugin *pl;
    void *instance;
    char error[1024]; /* what fail() said */
    char datadir[4096];
};

extern const tp_host host_table;

void host_ctx_init(tp_ctx *ctx, host_env *env, const plugin *pl);

/* The message of a failed callback: fail()'s text, or a generic one. */
const char *host_ctx_error(tp_ctx *ctx, const char *callback);

/* Print "textpipe: NAME: doc ID: message" on stderr in one write. */
void host_report(const tp_ctx *ctx, const char *message);

#endif
