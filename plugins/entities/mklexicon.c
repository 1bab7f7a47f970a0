/* mklexicon.c: the build-time tool that writes lexicon.idx, the entities
 * plugin's lexicon as its own loader leaves it after reading the data
 * files (see lexicon_map() in entities.c), so the plugin maps it at
 * start-up instead of reading them.  It includes the plugin's source to
 * load them with the very same code, through the core's own analyze(). */
#include "entities.c"

#include <errno.h>

#include "host.h"
#include "lang.h"
#include "paths.h"

static const char *
no_option(tp_ctx *ctx, const char *key)
{
    (void)ctx;
    (void)key;
    return NULL;
}

/* The data files as the uninstalled plugin finds them: generated ones in
 * the build tree, shipped ones in the source tree. */
static int
build_tree_data(tp_ctx *ctx, const char *name, char *buf, size_t bufsize)
{
    (void)ctx;
    return paths_find_data("entities", name, buf, bufsize) == 0 ? TP_OK : TP_ERROR;
}

typedef struct image {
    char *p;
    size_t len, cap;
} image;

/* Append n bytes (zeros when src is NULL) at the next aligned offset. */
static lexidx_section
image_add(image *im, const void *src, size_t n)
{
    size_t off = (im->len + LEXIDX_ALIGN - 1) / LEXIDX_ALIGN * LEXIDX_ALIGN;
    if (grow((void **)&im->p, &im->cap, off + n, 1) != 0) {
        fputs("mklexicon: out of memory\n", stderr);
        exit(1);
    }
    memset(im->p + im->len, 0, off - im->len);
    if (src != NULL)
        memcpy(im->p + off, src, n);
    else
        memset(im->p + off, 0, n);
    im->len = off + n;
    return (lexidx_section){off, n};
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: mklexicon OUTPUT\n", stderr);
        return 2;
    }
    char err[256];
    lang *l = lang_load("en", err, sizeof err);
    if (l == NULL) {
        fprintf(stderr, "mklexicon: %s\n", err);
        return 1;
    }
    host_env env = {.lang = l};
    tp_ctx *ctx = calloc(1, sizeof *ctx);
    entities *e = calloc(1, sizeof *e);
    if (ctx == NULL || e == NULL)
        return 1;
    host_ctx_init(ctx, &env, NULL);
    tp_host host = host_table;
    host.option = no_option;
    host.find_data = build_tree_data;
    e->host = e->lex.host = &host;
    e->lex.ctx = ctx;
    if (lexicon_from_files(e, ctx, NULL) != TP_OK) {
        fprintf(stderr, "mklexicon: %s\n", ctx->error);
        return 1;
    }
    lexicon *lx = &e->lex;
    /* Key every pending name here, with the core, so that the plugin never
     * has to at run time (a lookup that missed cost some 1,700
     * instructions a pending name; the shipped names share no key, which
     * tests check, so keying them all at once finds what keying them on
     * demand would) */
    if (index_reserve(&lx->ix, lx->nlazy) != 0)
        return 1;
    if (lx->later > 0)
        file_later(lx);
    for (size_t i = 0; i < lx->nlazy; i++)
        if (lx->ents[lx->lazy[i].ent].pending)
            key_pending(lx, lx->lazy[i].ent);
    if (lx->oom)
        return 1;
    /* nothing pending: no chains to walk */
    lx->unresolved = lx->unresolved_weak = lx->later = 0;
    lx->nlazy = 0;
    memset(lx->lazy_head, 0xff, (lx->lazy_mask + 1) * sizeof *lx->lazy_head);

    lexidx_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, lexidx_magic, sizeof h.magic);
    h.version = LEXIDX_VERSION;
    h.header_size = sizeof h;
    h.lexent_size = sizeof(lexent);
    h.slot_size = sizeof(slot);
    h.lazyname_size = sizeof(lazyname);
    h.ndata = NDATA_FILES;
    h.layout = lexidx_layout();
    for (size_t i = 0; i < NDATA_FILES; i++) {
        char path[4096];
        struct stat st;
        if (build_tree_data(ctx, data_files[i].file, path, sizeof path) != TP_OK ||
            stat(path, &st) != 0) {
            fprintf(stderr, "mklexicon: %s: %s\n", data_files[i].file, strerror(errno));
            return 1;
        }
        h.data_size[i] = (uint64_t)st.st_size;
    }
    h.n = lx->n;
    h.text_len = lx->text.len;
    h.ix_cap = lx->ix.cap;
    h.ix_used = lx->ix.used;
    h.max_tokens = lx->max_tokens;
    h.nlazy = lx->nlazy;
    h.unresolved = lx->unresolved;
    h.unresolved_weak = lx->unresolved_weak;
    h.later = lx->later;
    h.lazy_mask = lx->lazy_mask;
    h.nsuffixes = lx->nsuffixes;
    h.nconnectors = 0;
    uint32_t *conn = calloc(lx->n + 1, sizeof *conn);
    if (conn == NULL)
        return 1;
    for (size_t i = 0; i < lx->n; i++)
        if (lx->ents[i].cues & C_LINKS)
            conn[h.nconnectors++] = (uint32_t)i;

    image im = {0};
    image_add(&im, NULL, sizeof h);
    h.raw = image_add(&im, lx->raw.p, lx->raw.len);
    h.ents = image_add(&im, lx->ents, lx->n * sizeof *lx->ents);
    h.slots = image_add(&im, lx->ix.slot, lx->ix.cap * sizeof *lx->ix.slot);
    h.lazy = image_add(&im, lx->lazy, lx->nlazy * sizeof *lx->lazy);
    h.heads = image_add(&im, lx->lazy_head, (lx->lazy_mask + 1) * sizeof *lx->lazy_head);
    h.suffixes = image_add(&im, lx->suffixes, lx->nsuffixes * sizeof *lx->suffixes);
    h.connectors = image_add(&im, conn, h.nconnectors * sizeof *conn);
    size_t nowners = lx->n ? lx->n : 1;
    h.owners = image_add(&im, NULL, nowners * sizeof *e->lex_owner);
    memset(im.p + h.owners.off, 0xff, h.owners.len);
    /* the keys last */
    h.text = image_add(&im, NULL, lx->text.len);
    memcpy(im.p + h.text.off, lx->text.p, h.text_len);
    memcpy(im.p, &h, sizeof h);

    FILE *out = fopen(argv[1], "wb");
    if (out == NULL || fwrite(im.p, 1, im.len, out) != im.len || fclose(out) != 0) {
        fprintf(stderr, "mklexicon: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    free(conn);
    free(im.p);
    destroy(e);
    if (env.aux != NULL)
        pipeline_free(env.aux);
    lang_free(l);
    free(ctx);
    return 0;
}
