/* stem_hashes.c: a test plugin that checks the host's per-token stem
 * hashes (tp_sentence.stem_hashes, ABI 1.2) against tp_stem_hash() of the
 * stems, and writes per sentence how many tokens it saw and how many
 * agreed. */
#include <stdio.h>

#include <textpipe/plugin.h>

static int
create(const tp_host *host, tp_ctx *ctx, void **instance)
{
    (void)ctx;
    *instance = (void *)host;
    return TP_OK;
}

static int
sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    const tp_host *host = instance;
    size_t agree = 0;
    for (size_t i = 0; TP_HAS(s, stem_hashes) && s->stem_hashes && i < s->ntokens; i++)
        agree += s->stem_hashes[i] == tp_stem_hash(s->tokens[i].stem, s->tokens[i].stem_len);
    char n[32], a[32];
    snprintf(n, sizeof n, "%zu", s->ntokens);
    snprintf(a, sizeof a, "%zu", agree);
    const char *fields[] = {n, a};
    return host->write(ctx, "hashes", fields, 2);
}

static const tp_column columns[] = {{"tokens", TP_ROLE_SUM}, {"agree", TP_ROLE_SUM}};
static const tp_record_type records[] = {{"hashes", columns, 2}};

static const tp_plugin descriptor = {
    .size = sizeof(tp_plugin),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .name = "stem_hashes",
    .version = "0",
    .summary = "checks the host's stem hashes",
    .records = records,
    .nrecords = 1,
    .create = create,
    .sentence = sentence,
};

const tp_plugin *
textpipe_plugin_v1(void)
{
    return &descriptor;
}
