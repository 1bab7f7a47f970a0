/* wordfreq.c: the example plugin of the authoring guide: stem frequencies
 * per document.  `count` sums and `docs` (1 per document) sums too, so
 * `textpipe merge` turns per-document records into corpus term and
 * document frequencies. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textpipe/plugin.h>

/* One distinct stem of the document.  Strings live in one pool. */
typedef struct entry {
    size_t word; /* offset in pool, NUL-terminated */
    uint64_t count;
    uint64_t first; /* byte offset of the first occurrence */
} entry;

typedef struct wordfreq {
    const tp_host *host;
    long min_count;
    int keep_stopwords;
    entry *slots; /* open addressing; count == 0: empty */
    size_t nslots, used;
    char *pool;
    size_t pool_len, pool_cap;
} wordfreq;

static uint64_t
hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int
grow(wordfreq *wf)
{
    size_t n = wf->nslots ? 2 * wf->nslots : 1024;
    entry *slots = calloc(n, sizeof *slots);
    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < wf->nslots; i++) {
        entry *e = &wf->slots[i];
        if (e->count == 0)
            continue;
        const char *w = wf->pool + e->word;
        size_t j = hash(w, strlen(w)) & (n - 1);
        while (slots[j].count != 0)
            j = (j + 1) & (n - 1);
        slots[j] = *e;
    }
    free(wf->slots);
    wf->slots = slots;
    wf->nslots = n;
    return 0;
}

static int
add(wordfreq *wf, const char *w, size_t n, uint64_t at)
{
    if (2 * (wf->used + 1) > wf->nslots && grow(wf) != 0)
        return -1;
    size_t j = hash(w, n) & (wf->nslots - 1);
    while (wf->slots[j].count != 0) {
        const char *s = wf->pool + wf->slots[j].word;
        if (strncmp(s, w, n) == 0 && s[n] == '\0') {
            wf->slots[j].count++;
            return 0;
        }
        j = (j + 1) & (wf->nslots - 1);
    }
    if (wf->pool_len + n + 1 > wf->pool_cap) {
        size_t cap = wf->pool_cap ? 2 * wf->pool_cap : 16384;
        while (cap < wf->pool_len + n + 1)
            cap *= 2;
        char *p = realloc(wf->pool, cap);
        if (p == NULL)
            return -1;
        wf->pool = p;
        wf->pool_cap = cap;
    }
    memcpy(wf->pool + wf->pool_len, w, n);
    wf->pool[wf->pool_len + n] = '\0';
    wf->slots[j] = (entry){wf->pool_len, 1, at};
    wf->pool_len += n + 1;
    wf->used++;
    return 0;
}

static int
create(const tp_host *host, tp_ctx *ctx, void **instance)
{
    wordfreq *wf = calloc(1, sizeof *wf);
    if (wf == NULL)
        return host->fail(ctx, "out of memory");
    wf->host = host;
    const char *mc = host->option(ctx, "min-count");
    wf->min_count = mc ? strtol(mc, NULL, 10) : 1;
    if (wf->min_count < 1) {
        free(wf);
        return host->fail(ctx, "min-count must be a whole number of at least 1, not \"%s\"", mc);
    }
    const char *sw = host->option(ctx, "stopwords");
    wf->keep_stopwords = sw != NULL && strcmp(sw, "keep") == 0;
    if (sw != NULL && !wf->keep_stopwords && strcmp(sw, "skip") != 0) {
        free(wf);
        return host->fail(ctx, "stopwords must be keep or skip, not \"%s\"", sw);
    }
    *instance = wf;
    return TP_OK;
}

static int
begin_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)ctx;
    (void)doc;
    wordfreq *wf = instance;
    if (wf->slots != NULL)
        memset(wf->slots, 0, wf->nslots * sizeof *wf->slots);
    wf->used = 0;
    wf->pool_len = 0;
    return TP_OK;
}

static int
sentence(tp_ctx *ctx, void *instance, const tp_sentence *s)
{
    wordfreq *wf = instance;
    for (size_t i = 0; i < s->ntokens; i++) {
        const tp_token *t = &s->tokens[i];
        if (!(t->flags & TP_TOK_WORD) || (!wf->keep_stopwords && (t->flags & TP_TOK_STOPWORD)))
            continue;
        if (add(wf, t->stem, t->stem_len, t->start) != 0)
            return wf->host->fail(ctx, "out of memory");
    }
    return TP_OK;
}

/* Most frequent first; ties by first occurrence, so output is stable. */
static int
by_count(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int
end_document(tp_ctx *ctx, void *instance, const tp_document *doc)
{
    (void)doc;
    wordfreq *wf = instance;
    size_t n = 0;
    for (size_t i = 0; i < wf->nslots; i++)
        if (wf->slots[i].count != 0)
            wf->slots[n++] = wf->slots[i]; /* compact in place: the table is rebuilt next document */
    qsort(wf->slots, n, sizeof *wf->slots, by_count);
    int rc = TP_OK;
    for (size_t i = 0; i < n && rc == TP_OK; i++) {
        if (wf->slots[i].count < (uint64_t)wf->min_count)
            break;
        char count[24], first[24];
        snprintf(count, sizeof count, "%llu", (unsigned long long)wf->slots[i].count);
        snprintf(first, sizeof first, "%llu", (unsigned long long)wf->slots[i].first);
        const char *fields[] = {wf->pool + wf->slots[i].word, count, "1", first};
        rc = wf->host->write(ctx, "wordfreq", fields, 4);
    }
    memset(wf->slots, 0, wf->nslots * sizeof *wf->slots);
    wf->used = 0;
    return rc;
}

static void
destroy(void *instance)
{
    wordfreq *wf = instance;
    if (wf == NULL)
        return;
    free(wf->slots);
    free(wf->pool);
    free(wf);
}

static const tp_column columns[] = {
    {"stem", TP_ROLE_KEY},
    {"count", TP_ROLE_SUM},
    {"docs", TP_ROLE_SUM},
    {"first", TP_ROLE_MIN},
};
static const tp_record_type records[] = {{"wordfreq", columns, 4}};
static const tp_option options[] = {
    {"min-count", "write stems seen at least this often in the document", "1"},
    {"stopwords", "keep or skip stopwords of --lang", "skip"},
};

static const tp_plugin descriptor = {
    .size = sizeof(tp_plugin),
    .abi_major = TP_ABI_MAJOR,
    .abi_minor = TP_ABI_MINOR,
    .name = "wordfreq",
    .version = "1.0",
    .summary = "stem frequencies per document (merge sums them over a corpus)",
    .records = records,
    .nrecords = 1,
    .options = options,
    .noptions = 2,
    .create = create,
    .begin_document = begin_document,
    .sentence = sentence,
    .end_document = end_document,
    .destroy = destroy,
};

const tp_plugin *
textpipe_plugin_v1(void)
{
    return &descriptor;
}
