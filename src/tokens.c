/* tokens.c: the built-in plugins that expose the core's own analysis:
 * `tokens` (one record per token: offsets, normal form, stem, flags) and
 * `sentences` (one per sentence: span, paragraph, heading flag, text). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

static const tp_column token_columns[] = {
    {"sentence", TP_ROLE_KEY}, {"index", TP_ROLE_KEY}, {"start", TP_ROLE_KEY},
    {"end", TP_ROLE_KEY},      {"surface", TP_ROLE_KEY}, {"norm", TP_ROLE_KEY},
    {"stem", TP_ROLE_KEY},     {"flags", TP_ROLE_KEY},
};
static const tp_record_type token_records[] = {
    {"token", token_columns, sizeof token_columns / sizeof token_columns[0]},
};

static const char *const flag_names[] = {
    "word",    "number", "punct",   "symbol",  "capital", "allcaps",  "sent_start",
    "stop",    "url",    "email",   "mention", "hashtag", "emoji",    "abbrev",
    "possessive", "quote", "newline", "space", "invalid",
};

/* Digits of v into the end of buf; returns where they start. */
static char *
utoa(char *end, unsigned long long v)
{
    *--end = '\0';
    do
        *--end = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    return end;
}

/* The flags column names every flag set; a document has few distinct flag
 * sets, so their names are kept in a small table, not spelt per token. */
#define FLAG_SETS 64

typedef struct flag_set {
    uint32_t flags;
    int known;
    char names[192];
} flag_set;

typedef struct tokens {
    const tp_host *host;
    flag_set sets[FLAG_SETS];
} tokens;

static int
tokens_create(const tp_host *host, tp_ctx *ctx, void **instance)
{
    tokens *tk = calloc(1, sizeof *tk);
    if (tk == NULL)
        return host->fail(ctx, "out of memory");
    tk->host = host;
    *instance = tk;
    return TP_OK;
}

static void
tokens_destroy(void *instance)
{
    free(instance);
}

/* The names of the flags set in `flags`, comma-separated ("-": none). */
static const char *
flag_names_of(tokens *tk, uint32_t flags)
{
    flag_set *fs = &tk->sets[(flags * 2654435761u) >> 26];
    if (fs->known && fs->flags == flags)
        return fs->names;
    size_t n = 0;
    for (size_t b = 0; b < sizeof flag_names / sizeof flag_names[0]; b++) {
        if (flags & (1u << b)) {
            size_t l = strlen(flag_names[b]);
            if (n)
                fs->names[n++] = ',';
            memcpy(fs->names + n, flag_names[b], l);
            n += l;
        }
    }
    if (n == 0)
        fs->names[n++] = '-';
    fs->names[n] = '\0';
    fs->flags = flags;
    fs->known = 1;
    return fs->names;
}

static int
tokens_sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    tokens *tk = instance;
    char sb[24], ib[24], stb[24], eb[24];
    const char *sent = utoa(sb + sizeof sb, s->index);
    for (size_t i = 0; i < s->ntokens; i++) {
        const tp_token *t = &s->tokens[i];
        const char *f[] = {sent,       utoa(ib + sizeof ib, i), utoa(stb + sizeof stb, t->start),
                           utoa(eb + sizeof eb, t->end), t->surface, t->norm, t->stem,
                           flag_names_of(tk, t->flags)};
        if (tk->host->write(ctx, "token", f, 8) != TP_OK)
            return TP_ERROR;
    }
    return TP_OK;
}

static const tp_plugin tokens_descriptor = {
    .size = sizeof(tp_plugin),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .name = "tokens",
    .version = PACKAGE_VERSION,
    .summary = "the core's tokens: offsets, surface, normal form, stem, flags",
    .records = token_records,
    .nrecords = 1,
    .create = tokens_create,
    .sentence = tokens_sentence,
    .destroy = tokens_destroy,
};

const tp_plugin *
tokens_plugin(void)
{
    return &tokens_descriptor;
}

static const tp_column sentence_columns[] = {
    {"index", TP_ROLE_KEY}, {"paragraph", TP_ROLE_KEY}, {"start", TP_ROLE_KEY},
    {"end", TP_ROLE_KEY},   {"tokens", TP_ROLE_SUM},    {"flags", TP_ROLE_KEY},
    {"text", TP_ROLE_KEY},
};
static const tp_record_type sentence_records[] = {
    {"sentence", sentence_columns, sizeof sentence_columns / sizeof sentence_columns[0]},
};
static const char *const sentence_flag_names[] = {"heading", "capped", "para_start"};

static int
sentences_create(const tp_host *host, tp_ctx *ctx, void **instance)
{
    (void)ctx;
    *instance = (void *)host;
    return TP_OK;
}

static int
sentences_sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    const tp_host *h = instance;
    char ib[24], pb[24], sb[24], eb[24], nb[24], fl[64];
    size_t n = 0;
    for (size_t b = 0; b < sizeof sentence_flag_names / sizeof sentence_flag_names[0]; b++) {
        if (s->flags & (1u << b)) {
            size_t l = strlen(sentence_flag_names[b]);
            if (n)
                fl[n++] = ',';
            memcpy(fl + n, sentence_flag_names[b], l);
            n += l;
        }
    }
    if (n == 0)
        fl[n++] = '-';
    fl[n] = '\0';
    const char *f[] = {utoa(ib + sizeof ib, s->index), utoa(pb + sizeof pb, s->paragraph),
                       utoa(sb + sizeof sb, s->start), utoa(eb + sizeof eb, s->end),
                       utoa(nb + sizeof nb, s->ntokens), fl, s->text};
    return h->write(ctx, "sentence", f, 7);
}

static const tp_plugin sentences_descriptor = {
    .size = sizeof(tp_plugin),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .name = "sentences",
    .version = PACKAGE_VERSION,
    .summary = "the core's sentences: span, paragraph, heading flag, text",
    .records = sentence_records,
    .nrecords = 1,
    .create = sentences_create,
    .sentence = sentences_sentence,
};

const tp_plugin *
sentences_plugin(void)
{
    return &sentences_descriptor;
}
