/* host.c: the services plugins call.  Records are checked against the
 * plugin's declaration and escaped by the one writer; messages get the
 * host's context; analyze() runs the worker's pipeline between documents,
 * a second one of the same worker inside them. */
#include "config.h"

#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "paths.h"

void
host_ctx_init(tp_ctx *ctx, host_env *env, const plugin *pl)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->env = env;
    ctx->pl = pl;
}

void
host_report(const tp_ctx *ctx, const char *message)
{
    char line[2048];
    const tp_document *doc = ctx->env ? ctx->env->doc : NULL;
    if (doc != NULL)
        snprintf(line, sizeof line, "textpipe: %s: doc %s: %s\n", ctx->pl->desc->name, doc->id,
                 message);
    else
        snprintf(line, sizeof line, "textpipe: %s: %s\n", ctx->pl->desc->name, message);
    fputs(line, stderr);
}

const char *
host_ctx_error(tp_ctx *ctx, const char *callback)
{
    if (ctx->error[0] == '\0')
        snprintf(ctx->error, sizeof ctx->error, "%s failed (the plugin gave no reason)", callback);
    return ctx->error;
}

static int
host_write(tp_ctx *ctx, const char *type, const char *const *fields, size_t nfields)
{
    const tp_record_type *rt = type ? loader_record_type(ctx->pl, type) : NULL;
    char msg[512];
    if (rt == NULL) {
        snprintf(msg, sizeof msg, "write: record type \"%s\" is not declared by the plugin",
                 type ? type : "(null)");
        host_report(ctx, msg);
        return TP_ERROR;
    }
    if (nfields != rt->ncolumns) {
        snprintf(msg, sizeof msg, "write: %s record with %zu fields, declared %zu", type, nfields,
                 rt->ncolumns);
        host_report(ctx, msg);
        return TP_ERROR;
    }
    if (ctx->env->out == NULL || ctx->env->doc == NULL) {
        snprintf(msg, sizeof msg, "write: records belong to a document (called outside one)");
        host_report(ctx, msg);
        return TP_ERROR;
    }
    /* the declared name, not the plugin's string: its pointer lasts */
    output_record(ctx->env->out, rt->name, ctx->env->doc->id, fields, nfields);
    return TP_OK;
}

static void
host_log(tp_ctx *ctx, int level, const char *fmt, ...)
{
    char msg[1536];
    int n = snprintf(msg, sizeof msg, "%s", level >= TP_LOG_WARNING ? "warning: " : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    host_report(ctx, msg);
}

static int
host_fail(tp_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
    return TP_ERROR;
}

static const char *
host_option(tp_ctx *ctx, const char *key)
{
    return loader_option(ctx->pl, key);
}

static const char *
host_data_dir(tp_ctx *ctx)
{
    return paths_data_dir(ctx->pl->desc->name, ctx->datadir, sizeof ctx->datadir);
}

static int
host_find_data(tp_ctx *ctx, const char *name, char *buf, size_t bufsize)
{
    return paths_find_data(ctx->pl->desc->name, name, buf, bufsize) == 0 ? TP_OK : TP_ERROR;
}

static int
host_analyze_flags(tp_ctx *ctx, const char *text, size_t len, unsigned flags,
                   int (*fn)(void *arg, const tp_sentence *s), void *arg)
{
    host_env *env = ctx->env;
    if (env->aux_busy)
        return host_fail(ctx, "analyze: called from inside analyze");
    if (flags & ~(unsigned)TP_ANALYZE_NO_STEM)
        return host_fail(ctx, "analyze: unknown flags 0x%x", flags);
    pipeline *p = env->doc == NULL ? env->idle : NULL;
    if (p == NULL) {
        if (env->aux == NULL)
            env->aux = pipeline_new(env->lang);
        p = env->aux;
    }
    env->aux_busy = 1;
    pipeline_set_stemming(p, !(flags & TP_ANALYZE_NO_STEM));
    pipeline_begin(p);
    int rc = pipeline_feed(p, text, len, fn, arg);
    if (rc == 0)
        rc = pipeline_end(p, fn, arg);
    pipeline_set_stemming(p, 1);
    env->aux_busy = 0;
    return rc == 0 ? TP_OK : TP_ERROR;
}

static int
host_analyze(tp_ctx *ctx, const char *text, size_t len, int (*fn)(void *arg, const tp_sentence *s),
             void *arg)
{
    return host_analyze_flags(ctx, text, len, 0, fn, arg);
}

const tp_host host_table = {
    .size = sizeof(tp_host),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .write = host_write,
    .log = host_log,
    .fail = host_fail,
    .option = host_option,
    .data_dir = host_data_dir,
    .find_data = host_find_data,
    .analyze = host_analyze,
    .analyze_flags = host_analyze_flags,
};
