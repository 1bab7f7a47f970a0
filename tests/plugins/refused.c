/* refused.c: deliberately broken plugins for the loader's refusal tests,
 * one per -D flag: BAD_ABI (another ABI major), SHORT_DESC (a descriptor
 * smaller than ABI 1.0's), FAIL_CREATE (create fails with a reason),
 * NO_ENTRY (exports another symbol than textpipe_plugin_v1), BAD_WRITE
 * (writes a record with the wrong number of fields). */
#include <textpipe/plugin.h>

static int
create(const tp_host *host, tp_ctx *ctx, void **instance)
{
#ifdef FAIL_CREATE
    (void)instance;
    return host->fail(ctx, "cannot open lexicon /nonexistent/words.tsv");
#else
    (void)ctx;
    *instance = (void *)host;
    return TP_OK;
#endif
}

static int
sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    const tp_host *host = instance;
    (void)s;
#ifdef BAD_WRITE
    const char *fields[] = {"only-one"};
    if (host->write(ctx, "pair", fields, 1) != TP_OK)
        return host->fail(ctx, "the host refused a record");
#else
    (void)host;
    (void)ctx;
#endif
    return TP_OK;
}

static const tp_column columns[] = {{"a", TP_ROLE_KEY}, {"b", TP_ROLE_SUM}};
static const tp_record_type records[] = {{"pair", columns, 2}};

static const tp_plugin descriptor = {
#ifdef SHORT_DESC
    .size = 16,
#else
    .size = sizeof(tp_plugin),
#endif
#ifdef BAD_ABI
    .abi_major = 99,
#else
    .abi_major = TP_ABI_MAJOR,
#endif
    .abi_minor = 0,
    .name = "refused",
    .version = "0",
    .summary = "a plugin the loader must refuse",
    .records = records,
    .nrecords = 1,
    .create = create,
    .sentence = sentence,
};

#ifdef NO_ENTRY
const tp_plugin *textpipe_plugin_v0(void);
const tp_plugin *
textpipe_plugin_v0(void)
#else
const tp_plugin *
textpipe_plugin_v1(void)
#endif
{
    return &descriptor;
}
