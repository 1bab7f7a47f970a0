/* targets.c: stance targets and their mentions, matched by stem so that a
 * target's words match their inflections and close derivations. */
#include "config.h"

#include "targets.h"

#include "grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A target's words may be this many tokens further apart than their count
 * ("recognition of the group as formal" still mentions "formal
 * recognition"; a whole paragraph does not). */
#define WINDOW_SLACK 3
/* At most this many content words of a name or alias take part in
 * matching (a mask of matched words is kept in an unsigned). */
#define MAX_FORM_WORDS 16

/* One way of naming a target: its name or an alias. */
typedef struct target_form {
    size_t target;
    uint32_t first, nstems; /* its content stems: tl->stems[first ...] */
    uint32_t joined;        /* its words' norms run together, for #tags */
    mention_kind kind;
} target_form;

typedef struct target {
    uint32_t name, key; /* offsets into tl->text */
} target;

struct target_list {
    char *text; /* NUL-terminated strings, referred to by offset */
    size_t text_len, text_cap;
    uint32_t *stems; /* offsets into text */
    size_t nstems, stems_cap;
    target_form *forms;
    size_t nforms, forms_cap;
    target *targets;
    size_t ntargets, targets_cap;
    /* The targets (bit t % 64) with a form stem in each targets_slot(): a
     * token whose slot lacks its bit names none of them (stems_match
     * wants the stems equal, or their first TARGETS_SHARED bytes); the
     * last slot, TARGETS_SLOT_ANY, has them all. */
    uint64_t by_start[TARGETS_SLOT_ANY + 1];
    int failed; /* out of memory inside an analyzer callback */
};

/* Append bytes to the text (not terminated); -1 when out of memory. */
static int
text_add(target_list *tl, const char *s, size_t len)
{
    if (grow((void **)&tl->text, &tl->text_cap, tl->text_len + len + 1, 1))
        return -1;
    memcpy(tl->text + tl->text_len, s, len);
    tl->text_len += len;
    return 0;
}

static int
text_end(target_list *tl)
{
    return text_add(tl, "", 1);
}

target_list *
targets_new(void)
{
    target_list *tl = calloc(1, sizeof(target_list));
    if (tl)
        tl->by_start[TARGETS_SLOT_ANY] = ~(uint64_t)0;
    return tl;
}

void
targets_free(target_list *tl)
{
    if (!tl)
        return;
    free(tl->text);
    free(tl->stems);
    free(tl->forms);
    free(tl->targets);
    free(tl);
}

void
targets_clear(target_list *tl)
{
    /* the slots the stems set, not the whole table: --lines clears it
     * for every line */
    for (size_t k = 0; k < tl->nstems; k++) {
        const char *stem = tl->text + tl->stems[k];
        tl->by_start[targets_stem_slot(stem, strlen(stem))] = 0;
    }
    tl->text_len = tl->nstems = tl->nforms = tl->ntargets = 0;
}

size_t
targets_count(const target_list *tl)
{
    return tl->ntargets;
}

const char *
targets_name(const target_list *tl, size_t t)
{
    return tl->text + tl->targets[t].name;
}

const char *
targets_key(const target_list *tl, size_t t)
{
    return tl->text + tl->targets[t].key;
}

/* '#' and '@' are not part of what a tag or handle names. */
static void
strip_sigil(const char **s, size_t *len)
{
    if (*len > 1 && (**s == '#' || **s == '@')) {
        (*s)++;
        (*len)--;
    }
}

/* What one analysed name or alias yields: its words, kept until the form
 * is stored. */
typedef struct form_scratch {
    target_list *tl;
    struct {
        const char *stem, *norm;
        size_t stem_len, norm_len;
        int stop;
    } words[MAX_FORM_WORDS];
    char store[MAX_FORM_WORDS][2][64];
    size_t nwords;
} form_scratch;

static void
keep_copy(char *dst, const char *src, size_t *len)
{
    if (*len > 63)
        *len = 63;
    memcpy(dst, src, *len);
    dst[*len] = '\0';
}

static int
collect_words(void *arg, const tp_sentence *s)
{
    form_scratch *fs = arg;
    for (size_t i = 0; i < s->ntokens && fs->nwords < MAX_FORM_WORDS; i++) {
        const tp_token *t = &s->tokens[i];
        if (!(t->flags & (TP_TOK_WORD | TP_TOK_NUMBER | TP_TOK_HASHTAG | TP_TOK_MENTION)))
            continue;
        size_t k = fs->nwords++;
        const char *stem = t->stem, *norm = t->norm;
        size_t stem_len = t->stem_len, norm_len = t->norm_len;
        strip_sigil(&stem, &stem_len);
        strip_sigil(&norm, &norm_len);
        keep_copy(fs->store[k][0], stem, &stem_len);
        keep_copy(fs->store[k][1], norm, &norm_len);
        fs->words[k].stem = fs->store[k][0];
        fs->words[k].stem_len = stem_len;
        fs->words[k].norm = fs->store[k][1];
        fs->words[k].norm_len = norm_len;
        fs->words[k].stop = (t->flags & TP_TOK_STOPWORD) != 0;
    }
    return TP_OK;
}

static int
analyze_form(const tp_host *host, tp_ctx *ctx, const char *s, size_t len, form_scratch *fs)
{
    fs->nwords = 0;
    return host->analyze(ctx, s, len, collect_words, fs);
}

int
targets_make_key(const tp_host *host, tp_ctx *ctx, const char *text, size_t len, char *buf,
                 size_t bufsize)
{
    form_scratch fs;
    if (analyze_form(host, ctx, text, len, &fs) != TP_OK)
        return TP_ERROR;
    size_t at = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < fs.nwords; k++) {
        int n = snprintf(buf + at, bufsize - at, "%s%s", k ? " " : "", fs.words[k].norm);
        if (n < 0 || (size_t)n >= bufsize - at)
            break;
        at += (size_t)n;
    }
    return TP_OK;
}

/* Store an analysed form for target t. */
static int
store_form(target_list *tl, size_t t, const form_scratch *fs, mention_kind kind)
{
    size_t content = 0;
    for (size_t k = 0; k < fs->nwords; k++)
        content += !fs->words[k].stop;
    if (fs->nwords == 0)
        return 0;
    if (grow((void **)&tl->forms, &tl->forms_cap, tl->nforms + 1, sizeof *tl->forms) ||
        grow((void **)&tl->stems, &tl->stems_cap, tl->nstems + fs->nwords, sizeof *tl->stems))
        return -1;
    target_form *f = &tl->forms[tl->nforms];
    f->target = t;
    f->kind = kind;
    f->first = (uint32_t)tl->nstems;
    f->nstems = 0;
    /* "Legalization of Abortion" is matched by its content words; a name
     * made only of stopwords ("The Who") by all of them. */
    for (size_t k = 0; k < fs->nwords; k++) {
        if (content && fs->words[k].stop)
            continue;
        tl->stems[tl->nstems++] = (uint32_t)tl->text_len;
        if (text_add(tl, fs->words[k].stem, fs->words[k].stem_len) || text_end(tl))
            return -1;
        if (fs->words[k].stem_len)
            tl->by_start[targets_stem_slot(fs->words[k].stem, fs->words[k].stem_len)] |=
                (uint64_t)1 << (t & 63);
        f->nstems++;
    }
    f->joined = (uint32_t)tl->text_len;
    for (size_t k = 0; k < fs->nwords; k++)
        if (text_add(tl, fs->words[k].norm, fs->words[k].norm_len))
            return -1;
    if (text_end(tl))
        return -1;
    tl->nforms++;
    return 0;
}

static const char *
trim(const char *s, size_t *len)
{
    while (*len && (*s == ' ' || *s == '\t')) {
        s++;
        (*len)--;
    }
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t' || s[*len - 1] == '\r' ||
                    s[*len - 1] == '\n'))
        (*len)--;
    return s;
}

long
targets_add(target_list *tl, const tp_host *host, tp_ctx *ctx, const char *name, size_t len)
{
    name = trim(name, &len);
    if (len == 0)
        return host->fail(ctx, "empty target name"), -1;
    form_scratch fs;
    if (analyze_form(host, ctx, name, len, &fs) != TP_OK)
        return -1;
    if (grow((void **)&tl->targets, &tl->targets_cap, tl->ntargets + 1, sizeof *tl->targets))
        goto oom;
    target *t = &tl->targets[tl->ntargets];
    t->name = (uint32_t)tl->text_len;
    if (text_add(tl, name, len) || text_end(tl))
        goto oom;
    t->key = (uint32_t)tl->text_len;
    for (size_t k = 0; k < fs.nwords; k++)
        if ((k && text_add(tl, " ", 1)) || text_add(tl, fs.words[k].norm, fs.words[k].norm_len))
            goto oom;
    mention_kind plain = {1, 0, 0};
    if (text_end(tl) || store_form(tl, tl->ntargets, &fs, plain))
        goto oom;
    return (long)tl->ntargets++;
oom:
    return host->fail(ctx, "out of memory adding a target"), -1;
}

/* The `=for`, `=against` or `=NUMBER` after an alias. */
static int
parse_kind(const char *v, size_t len, mention_kind *kind)
{
    char buf[32], *end;
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, v, len);
    buf[len] = '\0';
    if (strcmp(buf, "for") == 0)
        kind->concern = 1;
    else if (strcmp(buf, "against") == 0)
        kind->concern = -1;
    else {
        kind->charge = strtod(buf, &end);
        if (*end)
            return -1;
    }
    return 0;
}

/* Add the `|`-separated aliases in s[0, len) to target t. */
static int
add_aliases(target_list *tl, const tp_host *host, tp_ctx *ctx, size_t t, const char *s, size_t len)
{
    while (len > 0) {
        const char *bar = memchr(s, '|', len);
        size_t n = bar ? (size_t)(bar - s) : len;
        size_t alen = n;
        const char *a = trim(s, &alen);
        mention_kind kind = {1, 0, 0};
        if (alen && *a == '!') {
            kind.sign = -1;
            a++;
            alen--;
        }
        const char *eq = memchr(a, '=', alen);
        if (eq && parse_kind(eq + 1, (size_t)(a + alen - eq - 1), &kind))
            return host->fail(ctx,
                              "alias '%.*s': after '=' want for, "
                              "against or a number",
                              (int)alen, a);
        if (eq)
            alen = (size_t)(eq - a);
        if (alen) {
            form_scratch fs;
            if (analyze_form(host, ctx, a, alen, &fs) != TP_OK)
                return TP_ERROR;
            if (store_form(tl, t, &fs, kind))
                return host->fail(ctx, "out of memory adding an alias");
        }
        if (!bar)
            break;
        s += n + 1;
        len -= n + 1;
    }
    return TP_OK;
}

/* Each line of an @FILE: name, and after a TAB, aliases.  With
 * `add_missing`, unknown names become targets; otherwise they are
 * skipped. */
static int
read_target_file(target_list *tl, const tp_host *host, tp_ctx *ctx, const char *path,
                 int add_missing)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return host->fail(ctx, "cannot open %s: %s", path, strerror(errno));
    char *line = NULL, key[256];
    size_t cap = 0;
    ssize_t got;
    int rc = TP_OK;
    while (rc == TP_OK && (got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)got;
        const char *s = trim(line, &len);
        if (len == 0 || *s == '#')
            continue;
        const char *tab = memchr(s, '\t', len);
        size_t name_len = tab ? (size_t)(tab - s) : len;
        long t = -1;
        if (add_missing) {
            t = targets_add(tl, host, ctx, s, name_len);
            if (t < 0) {
                rc = TP_ERROR;
                break;
            }
        } else {
            if (targets_make_key(host, ctx, s, name_len, key, sizeof key)) {
                rc = TP_ERROR;
                break;
            }
            for (size_t k = 0; k < tl->ntargets; k++)
                if (strcmp(key, targets_key(tl, k)) == 0)
                    t = (long)k;
        }
        if (t >= 0 && tab)
            rc = add_aliases(tl, host, ctx, (size_t)t, tab + 1, len - name_len - 1);
    }
    if (rc == TP_OK && ferror(f))
        rc = host->fail(ctx, "cannot read %s", path);
    free(line);
    fclose(f);
    return rc;
}

int
targets_parse(target_list *tl, const tp_host *host, tp_ctx *ctx, const char *spec)
{
    if (spec[0] == '@')
        return read_target_file(tl, host, ctx, spec + 1, 1);
    const char *s = spec;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        size_t tn = n;
        trim(s, &tn);
        if (tn && targets_add(tl, host, ctx, s, n) < 0)
            return TP_ERROR;
        if (!comma)
            break;
        s = comma + 1;
    }
    return TP_OK;
}

int
targets_load_aliases(target_list *tl, const tp_host *host, tp_ctx *ctx, const char *path)
{
    return read_target_file(tl, host, ctx, path, 0);
}

/* Stems equal, or one a close derivation of the other: a long shared
 * start that leaves at most one letter of the shorter over
 * ("recognit"/"recognis", "nation"/"nationalist"). */
static int
stems_match(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == blen && memcmp(a, b, alen) == 0)
        return 1;
    size_t m = alen < blen ? alen : blen, k = 0;
    while (k < m && a[k] == b[k])
        k++;
    return k >= TARGETS_SHARED && k + 1 >= m;
}

/* Does token t name a stem of form f?  Returns the word index, or -1. */
static int
token_word(const target_list *tl, const target_form *f, const tp_token *t, unsigned skip_mask)
{
    const char *s = t->stem;
    size_t len = t->stem_len;
    strip_sigil(&s, &len);
    for (uint32_t k = 0; k < f->nstems && k < MAX_FORM_WORDS; k++) {
        if (skip_mask & (1u << k))
            continue;
        const char *w = tl->text + tl->stems[f->first + k];
        if (stems_match(s, len, w, strlen(w)))
            return (int)k;
    }
    return -1;
}

/* A #tag or @handle that runs the form's words together
 * (#hillaryclinton, #legalizeabortion): where they start in its norm,
 * plus 1, or 0. */
static size_t
tag_names(const target_list *tl, const target_form *f, const tp_token *t, size_t *len)
{
    if (!(t->flags & (TP_TOK_HASHTAG | TP_TOK_MENTION)))
        return 0;
    const char *j = tl->text + f->joined;
    size_t jl = strlen(j);
    if (jl < 4 || t->norm_len < jl)
        return 0;
    for (size_t i = 0; i + jl <= t->norm_len; i++)
        if (memcmp(t->norm + i, j, jl) == 0) {
            *len = jl;
            return i + 1;
        }
    return 0;
}

static int
ends_window(const tp_token *t)
{
    if (!(t->flags & TP_TOK_PUNCT) || t->norm_len != 1)
        return 0;
    return strchr(".;:!?()", t->norm[0]) != NULL;
}

/* Length of form f's match starting at toks[i], or 0.  For a #tag, where
 * in it the form lies (*tag_at plus 1, 0 otherwise). */
static size_t
match_form(const target_list *tl, const target_form *f, const tp_token *toks, size_t n, size_t i,
           size_t *tag_at, size_t *tag_len)
{
    if ((*tag_at = tag_names(tl, f, &toks[i], tag_len)) != 0)
        return 1;
    int k = token_word(tl, f, &toks[i], 0);
    if (k < 0)
        return 0;
    uint32_t want = f->nstems < MAX_FORM_WORDS ? f->nstems : MAX_FORM_WORDS;
    unsigned all = (1u << want) - 1, got = 1u << k;
    size_t last = i, limit = i + want + WINDOW_SLACK;
    for (size_t j = i + 1; j < n && j < limit && got != all; j++) {
        if (ends_window(&toks[j]))
            break;
        int w = token_word(tl, f, &toks[j], got);
        if (w >= 0) {
            got |= 1u << w;
            last = j;
        }
    }
    return got == all ? last - i + 1 : 0;
}

uint64_t
targets_screen(const target_list *tl, const tp_token *toks, size_t n, uint64_t *masks)
{
    uint64_t any = 0;
    for (size_t i = 0; i < n; i++)
        any |= masks[i] = tl->by_start[targets_slot(&toks[i])];
    return any;
}

uint64_t
targets_named_slots(const target_list *tl, const uint16_t *slots, size_t n)
{
    uint64_t any = 0;
    for (size_t i = 0; i < n; i++)
        any |= tl->by_start[slots[i]];
    return any;
}

uint64_t
targets_screen_slots(const target_list *tl, const uint16_t *slots, size_t n, uint64_t *masks)
{
    uint64_t any = 0;
    for (size_t i = 0; i < n; i++)
        any |= masks[i] = tl->by_start[slots[i]];
    return any;
}

size_t
targets_find(const target_list *tl, size_t t, const tp_token *toks, size_t n, const uint64_t *masks,
             mention *out, size_t max)
{
    uint64_t bit = (uint64_t)1 << (t & 63);
    size_t found = 0;
    for (size_t i = 0; i < n && found < max; i++) {
        if (masks && !(masks[i] & bit))
            continue;
        size_t best = 0, best_at = 0, best_len = 0;
        mention_kind kind = {1, 0, 0};
        for (size_t f = 0; f < tl->nforms; f++) {
            if (tl->forms[f].target != t)
                continue;
            size_t at, tlen = 0;
            size_t len = match_form(tl, &tl->forms[f], toks, n, i, &at, &tlen);
            if (len > best || (len == best && len && tlen > best_len)) {
                best = len;
                best_at = at;
                best_len = tlen;
                kind = tl->forms[f].kind;
            }
        }
        if (best) {
            out[found].start = (uint32_t)i;
            out[found].end = (uint32_t)(i + best);
            out[found].kind = kind;
            out[found].tag_at = best_at ? (uint32_t)(best_at - 1) : 0;
            out[found].tag_len = best_at ? (uint32_t)best_len : 0;
            found++;
            i += best - 1;
        }
    }
    return found;
}
