/* report.c: `textpipe report`: the records of nightly runs drawn as one
 * HTML page that opens from disk: every chart is inline SVG drawn here,
 * styles are inline, and there is no script and no URL to fetch, so the
 * page looks the same in a mail attachment, an archive or a sandbox. */
#include "config.h"

#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "tsv.h"

#define TOP_DEFAULT 15
#define TREND_LINES 8 /* more lines than this on one chart are a tangle */
#define MAX_FIELDS 64

/* ---- a string table ----------------------------------------------------- */

/* Key -> dense index, in order of insertion.  A few thousand keys at most
 * (entities, targets, documents): one allocation per key is fine here. */
typedef struct strtab {
    char **keys;
    size_t n, cap;
    uint32_t *slots; /* index + 1; 0: free */
    size_t nslots;
} strtab;

static uint64_t
hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void
strtab_grow(strtab *t)
{
    size_t nslots = t->nslots ? 2 * t->nslots : 256;
    uint32_t *slots = xcalloc(nslots, sizeof *slots);
    for (size_t i = 0; i < t->n; i++) {
        size_t j = hash_str(t->keys[i]) & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = (uint32_t)i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
}

/* Index of key; *added says whether it is new. */
static size_t
strtab_put(strtab *t, const char *key, int *added)
{
    if (2 * (t->n + 1) > t->nslots)
        strtab_grow(t);
    size_t mask = t->nslots - 1, j = hash_str(key) & mask;
    while (t->slots[j]) {
        size_t i = t->slots[j] - 1;
        if (strcmp(t->keys[i], key) == 0) {
            *added = 0;
            return i;
        }
        j = (j + 1) & mask;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->keys = xrealloc(t->keys, t->cap * sizeof *t->keys);
    }
    t->keys[t->n] = xstrdup(key);
    t->slots[j] = (uint32_t)t->n + 1;
    *added = 1;
    return t->n++;
}

static long
strtab_get(const strtab *t, const char *key)
{
    if (t->nslots == 0)
        return -1;
    size_t mask = t->nslots - 1, j = hash_str(key) & mask;
    while (t->slots[j]) {
        size_t i = t->slots[j] - 1;
        if (strcmp(t->keys[i], key) == 0)
            return (long)i;
        j = (j + 1) & mask;
    }
    return -1;
}

static void
strtab_free(strtab *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->keys[i]);
    free(t->keys);
    free(t->slots);
}

/* ---- what the report keeps ---------------------------------------------- */

typedef struct entity_stat {
    double total;   /* over the newest records of each document */
    double *by_run; /* each run's own records */
} entity_stat;

typedef struct stance_stat {
    long favor, against, none; /* documents */
} stance_stat;

typedef struct claim {
    char *doc, *id, *role, *text;
    long start, end;
    long support; /* set before the claims are ranked */
    size_t order;
} claim;

/* Record types the report draws, and the columns it reads. */
enum { T_ENTITY, T_STANCE, T_ARGUMENT, NTYPES };
enum {
    C_ENTITY,
    C_ETYPE,
    C_COUNT,
    C_TARGET,
    C_LABEL,
    C_ID,
    C_ROLE,
    C_START,
    C_END,
    C_HEAD,
    C_TEXT,
    NCOLS
};

static const char *const type_names[NTYPES] = {"entity", "stance", "argument"};
static const char *const col_names[NCOLS] = {"entity", "type",  "count", "target", "label", "id",
                                             "role",   "start", "end",   "head",   "text"};
static const int col_type[NCOLS] = {T_ENTITY,   T_ENTITY,   T_ENTITY,   T_STANCE,
                                    T_STANCE,   T_ARGUMENT, T_ARGUMENT, T_ARGUMENT,
                                    T_ARGUMENT, T_ARGUMENT, T_ARGUMENT};
/* Field numbers (0: the type, 1: doc) in the shipped plugins' layout. */
static const int col_default[NCOLS] = {2, 3, 4, 2, 3, 2, 3, 4, 5, 8, 11};

struct report {
    size_t nruns;
    int has_current; /* run nruns: the corpus as it is now, for totals */
    char **labels;
    long records; /* counted toward the totals */
    int col[NCOLS];
    int nfields_needed[NTYPES];

    strtab docs;     /* document -> index */
    size_t *doc_run; /* the newest run that has it */
    size_t doc_cap;

    strtab entities; /* "name\ttype" */
    entity_stat *ent;
    size_t ent_cap;

    strtab targets;
    stance_stat *st;
    size_t st_cap;

    strtab heads; /* "doc\tid" -> index into supports */
    long *supports;
    size_t sup_cap;

    claim *claims;
    size_t nclaims, claims_cap;

    char *fields[MAX_FIELDS];
};

static void
columns_default(report *r)
{
    memset(r->nfields_needed, 0, sizeof r->nfields_needed);
    for (int c = 0; c < NCOLS; c++) {
        r->col[c] = col_default[c];
        if (r->col[c] + 1 > r->nfields_needed[col_type[c]])
            r->nfields_needed[col_type[c]] = r->col[c] + 1;
    }
}

report *
report_new(size_t nruns, int current)
{
    report *r = xcalloc(1, sizeof *r);
    r->nruns = nruns;
    r->has_current = current != 0;
    r->labels = xcalloc(nruns + 1, sizeof *r->labels);
    columns_default(r);
    return r;
}

void
report_free(report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->nruns; i++)
        free(r->labels[i]);
    free(r->labels);
    strtab_free(&r->docs);
    free(r->doc_run);
    for (size_t i = 0; i < r->entities.n; i++)
        free(r->ent[i].by_run);
    strtab_free(&r->entities);
    free(r->ent);
    strtab_free(&r->targets);
    free(r->st);
    strtab_free(&r->heads);
    free(r->supports);
    for (size_t i = 0; i < r->nclaims; i++) {
        free(r->claims[i].doc);
        free(r->claims[i].id);
        free(r->claims[i].role);
        free(r->claims[i].text);
    }
    free(r->claims);
    free(r);
}

void
report_set_label(report *r, size_t run, const char *label)
{
    free(r->labels[run]);
    r->labels[run] = xstrdup(label);
}

/* Grows an array of n used elements of size sz to hold index i. */
static void *
grow_to(void *p, size_t *cap, size_t i, size_t sz)
{
    if (i < *cap)
        return p;
    size_t n = *cap ? *cap : 64;
    while (n <= i)
        n *= 2;
    p = xrealloc(p, n * sz);
    memset((char *)p + *cap * sz, 0, (n - *cap) * sz);
    *cap = n;
    return p;
}

/* A '#TYPE<TAB>doc<TAB>col...' line: where this input keeps each column. */
static void
read_header(report *r, char **f, size_t n)
{
    const char *type = f[0] + 1;
    int t;
    for (t = 0; t < NTYPES; t++)
        if (strcmp(type, type_names[t]) == 0)
            break;
    if (t == NTYPES)
        return;
    r->nfields_needed[t] = 0;
    for (int c = 0; c < NCOLS; c++) {
        if (col_type[c] != t)
            continue;
        r->col[c] = col_default[c];
        for (size_t i = 2; i < n; i++)
            if (strcmp(f[i], col_names[c]) == 0)
                r->col[c] = (int)i;
        if (r->col[c] + 1 > r->nfields_needed[t])
            r->nfields_needed[t] = r->col[c] + 1;
    }
}

static double
number(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return end == s ? 0 : v;
}

static void
add_claim(report *r, char **f)
{
    if (r->nclaims == r->claims_cap) {
        r->claims_cap = r->claims_cap ? 2 * r->claims_cap : 64;
        r->claims = xrealloc(r->claims, r->claims_cap * sizeof *r->claims);
    }
    claim *c = &r->claims[r->nclaims];
    c->doc = xstrdup(f[1]);
    c->id = xstrdup(f[r->col[C_ID]]);
    c->role = xstrdup(f[r->col[C_ROLE]]);
    c->text = xstrdup(f[r->col[C_TEXT]]);
    c->start = (long)number(f[r->col[C_START]]);
    c->end = (long)number(f[r->col[C_END]]);
    c->order = r->nclaims++;
}

/* One more unit of the document points at each id in head ("A2", or
 * "A2|A3" after a merge). */
static void
add_supports(report *r, const char *doc, char *head)
{
    buf key = BUF_INIT;
    for (char *save = NULL, *id = strtok_r(head, "|", &save); id; id = strtok_r(NULL, "|", &save)) {
        if (strcmp(id, "-") == 0)
            continue;
        buf_clear(&key);
        buf_adds(&key, doc);
        buf_addc(&key, '\t');
        buf_adds(&key, id);
        int added;
        size_t i = strtab_put(&r->heads, key.data, &added);
        r->supports = grow_to(r->supports, &r->sup_cap, i, sizeof *r->supports);
        r->supports[i]++;
    }
    buf_free(&key);
}

int
report_line(report *r, size_t run, char *line, size_t len, char *err, size_t errsize)
{
    if (len && line[len - 1] == '\r')
        len--;
    line[len] = '\0';
    if (len == 0)
        return 0;
    size_t n = tsv_split(line, len, r->fields, MAX_FIELDS);
    if (n > MAX_FIELDS)
        n = MAX_FIELDS;
    char **f = r->fields;
    if (line[0] == '#') {
        if (line[1] != '#' && n >= 2 && strcmp(f[1], "doc") == 0)
            read_header(r, f, n);
        return 0;
    }
    int t;
    for (t = 0; t < NTYPES; t++)
        if (strcmp(f[0], type_names[t]) == 0)
            break;
    if (t == NTYPES)
        return 0;
    if (n < (size_t)r->nfields_needed[t] || n < 2) {
        snprintf(err, errsize, "%s record with %zu fields, expected %d", type_names[t], n,
                 r->nfields_needed[t]);
        return -1;
    }
    for (size_t i = 1; i < n; i++)
        tsv_unescape(f[i], strlen(f[i]));

    int added, current;
    if (r->has_current) {
        current = run == r->nruns;
        if (current)
            strtab_put(&r->docs, f[1], &added);
    } else {
        size_t d = strtab_put(&r->docs, f[1], &added);
        r->doc_run = grow_to(r->doc_run, &r->doc_cap, d, sizeof *r->doc_run);
        if (added)
            r->doc_run[d] = run;
        /* Runs come newest first: a document already seen in a newer run
         * has been superseded here. */
        current = r->doc_run[d] == run;
    }
    r->records += current;

    switch (t) {
    case T_ENTITY: {
        buf key = BUF_INIT;
        buf_adds(&key, f[r->col[C_ENTITY]]);
        buf_addc(&key, '\t');
        buf_adds(&key, f[r->col[C_ETYPE]]);
        size_t i = strtab_put(&r->entities, key.data, &added);
        buf_free(&key);
        r->ent = grow_to(r->ent, &r->ent_cap, i, sizeof *r->ent);
        if (added)
            r->ent[i].by_run = xcalloc(r->nruns + 1, sizeof(double));
        double count = number(f[r->col[C_COUNT]]);
        r->ent[i].by_run[run] += count;
        if (current)
            r->ent[i].total += count;
        break;
    }
    case T_STANCE:
        if (current) {
            size_t i = strtab_put(&r->targets, f[r->col[C_TARGET]], &added);
            r->st = grow_to(r->st, &r->st_cap, i, sizeof *r->st);
            const char *label = f[r->col[C_LABEL]];
            if (strcmp(label, "FAVOR") == 0)
                r->st[i].favor++;
            else if (strcmp(label, "AGAINST") == 0)
                r->st[i].against++;
            else
                r->st[i].none++;
        }
        break;
    case T_ARGUMENT:
        if (current) {
            const char *role = f[r->col[C_ROLE]];
            if (strcmp(role, "major_claim") == 0 || strcmp(role, "claim") == 0)
                add_claim(r, f);
            add_supports(r, f[1], f[r->col[C_HEAD]]);
        }
        break;
    }
    return 0;
}

/* ---- drawing ------------------------------------------------------------ */

static void
html(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_adds(b, "&amp;"); break;
        case '<': buf_adds(b, "&lt;"); break;
        case '>': buf_adds(b, "&gt;"); break;
        case '"': buf_adds(b, "&quot;"); break;
        case '\'': buf_adds(b, "&#39;"); break;
        default: buf_addc(b, *s); break;
        }
    }
}

/* s cut to at most max code points, with an ellipsis when cut. */
static void
html_cut(buf *b, const char *s, size_t max)
{
    size_t chars = 0;
    const char *p = s;
    for (; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && chars++ == max)
            break;
    }
    if (*p == '\0') {
        html(b, s);
        return;
    }
    char *cut = xstrndup(s, (size_t)(p - s));
    html(b, cut);
    free(cut);
    buf_adds(b, "\xE2\x80\xA6");
}

static void addf(buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
addf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_add(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Counts print as integers when they are. */
static void
add_count(buf *b, double v)
{
    if (v == (double)(long long)v)
        addf(b, "%lld", (long long)v);
    else
        addf(b, "%.2f", v);
}

static const char *
type_colour(const char *type)
{
    static const struct {
        const char *type, *colour;
    } colours[] = {
        {"PERSON", "#4e79a7"}, {"ORG", "#f28e2b"},  {"GPE", "#59a14f"},
        {"LOC", "#76b7b2"},    {"NORP", "#edc948"}, {"MISC", "#b07aa1"},
    };
    for (size_t i = 0; i < sizeof colours / sizeof *colours; i++)
        if (strcmp(type, colours[i].type) == 0)
            return colours[i].colour;
    return "#9c755f";
}

static const char *const line_colours[TREND_LINES] = {
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f",
};

/* A round step for an axis up to max with about n ticks. */
static double
nice_step(double max, int n)
{
    double raw = max / n, step = 1;
    while (step * 10 <= raw)
        step *= 10;
    if (step * 5 <= raw)
        step *= 5;
    else if (step * 2 <= raw)
        step *= 2;
    return step < 1 ? 1 : step;
}

static const report *sort_report; /* qsort has no argument */

static int
by_total(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double ta = sort_report->ent[a].total, tb = sort_report->ent[b].total;
    if (ta != tb)
        return ta < tb ? 1 : -1;
    return (a > b) - (a < b);
}

/* The name part of an entity key "name\ttype". */
static const char *
key_part(const char *key, int second, buf *scratch)
{
    const char *tab = strchr(key, '\t');
    buf_clear(scratch);
    if (second)
        buf_adds(scratch, tab ? tab + 1 : "");
    else
        buf_add(scratch, key, tab ? (size_t)(tab - key) : strlen(key));
    return scratch->data;
}

static void
bar_chart(buf *b, const report *r, const size_t *order, size_t n)
{
    const int width = 960, left = 230, right = 70, row = 26, top = 10;
    int height = top + (int)n * row + 40;
    double max = n ? r->ent[order[0]].total : 1;
    if (max <= 0)
        max = 1;
    addf(b,
         "<svg id=\"chart-entities\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
         "%d\" role=\"img\" aria-label=\"Top entities by mentions\">\n",
         width, height, width, height);
    buf name = BUF_INIT, type = BUF_INIT;
    double scale = (width - left - right) / max;
    for (size_t i = 0; i < n; i++) {
        const entity_stat *e = &r->ent[order[i]];
        key_part(r->entities.keys[order[i]], 0, &name);
        key_part(r->entities.keys[order[i]], 1, &type);
        int y = top + (int)i * row;
        double w = e->total * scale;
        addf(b, "<g class=\"bar\"><title>");
        html(b, name.data);
        addf(b, " (");
        html(b, type.data);
        addf(b, "): ");
        add_count(b, e->total);
        addf(b, " mentions</title>\n<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
             left - 8, y + 17);
        html_cut(b, name.data, 28);
        addf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", left,
             y + 3, w < 1 ? 1 : w, row - 6, type_colour(type.data));
        addf(b, "<text class=\"value\" x=\"%.1f\" y=\"%d\">", left + (w < 1 ? 1 : w) + 6, y + 17);
        add_count(b, e->total);
        addf(b, "</text></g>\n");
    }
    /* The legend: the types drawn, in order of first appearance. */
    int x = left, y = top + (int)n * row + 22;
    const char *seen[16];
    size_t nseen = 0;
    for (size_t i = 0; i < n && nseen < 16; i++) {
        key_part(r->entities.keys[order[i]], 1, &type);
        int dup = 0;
        for (size_t k = 0; k < nseen; k++)
            dup |= strcmp(seen[k], type.data) == 0;
        if (dup)
            continue;
        seen[nseen++] = strchr(r->entities.keys[order[i]], '\t') + 1;
        addf(b,
             "<rect class=\"legend\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
             "<text class=\"legend\" x=\"%d\" y=\"%d\">",
             x, y - 10, type_colour(type.data), x + 16, y);
        html(b, type.data);
        addf(b, "</text>\n");
        x += 24 + 9 * (int)strlen(type.data);
    }
    buf_free(&name);
    buf_free(&type);
    buf_adds(b, "</svg>\n");
}

/* The line chart's plot area, and the legend to its right. */
enum { TREND_LEFT = 100, TREND_RIGHT = 740, TREND_TOP = 20, TREND_BOTTOM = 310 };

/* Entity `entity`'s counts in each run, the i-th line of the chart. */
static void
line_series(buf *b, const report *r, size_t entity, size_t i, double dx, double ymax, buf *name)
{
    const int left = TREND_LEFT, plot_right = TREND_RIGHT, top = TREND_TOP, bottom = TREND_BOTTOM;
    const entity_stat *e = &r->ent[entity];
    const char *colour = line_colours[i % TREND_LINES];
    char dash[64] = "", legend_dash[48] = "";
    if (i % 2) {
        snprintf(dash, sizeof dash, " stroke-dasharray=\"6 10\" stroke-dashoffset=\"%d\"",
                 4 * (int)(i / 2 % 4));
        snprintf(legend_dash, sizeof legend_dash, " stroke-dasharray=\"6 3\"");
    }
    key_part(r->entities.keys[entity], 0, name);
    addf(b, "<g class=\"series\"><title>");
    html(b, name->data);
    addf(b, "</title><polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s points=\"",
         colour, dash);
    for (size_t k = 0; k < r->nruns; k++)
        addf(b, "%s%.1f,%.1f", k ? " " : "", left + dx * (double)k,
             bottom - e->by_run[k] / ymax * (bottom - top));
    addf(b, "\"/>");
    for (size_t k = 0; k < r->nruns; k++)
        addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>", left + dx * (double)k,
             bottom - e->by_run[k] / ymax * (bottom - top), colour);
    int ly = top + 6 + (int)i * 24;
    addf(b,
         "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
         "stroke-width=\"3\"%s/><text class=\"legend\" x=\"%d\" y=\"%d\">",
         plot_right + 16, ly + 2, plot_right + 40, ly + 2, colour, legend_dash, plot_right + 46,
         ly + 6);
    html_cut(b, name->data, 24);
    addf(b, "</text></g>\n");
}

static void
line_chart(buf *b, const report *r, const size_t *order, size_t n)
{
    const int width = 960, height = 380, left = TREND_LEFT, plot_right = TREND_RIGHT,
              top = TREND_TOP, bottom = TREND_BOTTOM;
    double max = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < r->nruns; k++)
            if (r->ent[order[i]].by_run[k] > max)
                max = r->ent[order[i]].by_run[k];
    double step = nice_step(max, 5);
    double ymax = step * (double)(long)((max + step - 1e-9) / step);
    if (ymax < max)
        ymax += step;
    addf(b,
         "<svg id=\"chart-trend\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
         "role=\"img\" aria-label=\"Entity mentions in each run\">\n",
         width, height, width, height);
    for (double v = 0; v <= ymax + 1e-9; v += step) {
        double y = bottom - v / ymax * (bottom - top);
        addf(b,
             "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
             "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
             left, y, plot_right, y, left - 6, y + 4);
        add_count(b, v);
        addf(b, "</text>\n");
    }
    double dx = r->nruns > 1 ? (double)(plot_right - left) / (double)(r->nruns - 1) : 0;
    /* At most about twelve run labels fit under the axis. */
    size_t every = r->nruns / 12 + 1;
    for (size_t k = 0; k < r->nruns; k++) {
        if (k % every && k != r->nruns - 1)
            continue;
        addf(b,
             "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
             "transform=\"rotate(-30 %.1f %d)\">",
             left + dx * (double)k, bottom + 18, left + dx * (double)k, bottom + 18);
        html_cut(b, r->labels[k] ? r->labels[k] : "", 24);
        addf(b, "</text>\n");
    }
    buf name = BUF_INIT;
    /* Entities with the same count in every run draw one line.  So every
     * other line is dashed and drawn after the solid ones, each dashed
     * line's dashes shifted into the gaps of the others: where lines
     * coincide, all their colours show. */
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = pass; i < n; i += 2)
            line_series(b, r, order[i], i, dx, ymax, &name);
    }
    buf_free(&name);
    buf_adds(b, "</svg>\n");
}

static const report *sort_stance;

static int
by_documents(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const stance_stat *sa = &sort_stance->st[a], *sb = &sort_stance->st[b];
    long ta = sa->favor + sa->against, tb = sb->favor + sb->against;
    if (ta != tb)
        return ta < tb ? 1 : -1;
    return (a > b) - (a < b);
}

static void
diverging_chart(buf *b, const report *r, const size_t *order, size_t n)
{
    const int width = 960, label_w = 220, centre = 560, half = 300, row = 26, top = 34;
    int height = top + (int)n * row + 12;
    long max = 1;
    for (size_t i = 0; i < n; i++) {
        const stance_stat *s = &r->st[order[i]];
        if (s->favor > max)
            max = s->favor;
        if (s->against > max)
            max = s->against;
    }
    double scale = (double)half / (double)max;
    addf(b,
         "<svg id=\"chart-stance\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
         "%d\" role=\"img\" aria-label=\"Documents for and against each target\">\n"
         "<text class=\"axis against\" x=\"%d\" y=\"16\" text-anchor=\"end\">\xE2\x86\x90 against"
         "</text><text class=\"axis favor\" x=\"%d\" y=\"16\">in favour \xE2\x86\x92</text>\n",
         width, height, width, height, centre - 8, centre + 8);
    for (size_t i = 0; i < n; i++) {
        const stance_stat *s = &r->st[order[i]];
        const char *target = r->targets.keys[order[i]];
        int y = top + (int)i * row;
        double wa = (double)s->against * scale, wf = (double)s->favor * scale;
        addf(b, "<g class=\"target\"><title>");
        html(b, target);
        addf(b, ": %ld against, %ld in favour, %ld neither (documents)</title>\n", s->against,
             s->favor, s->none);
        addf(b, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w, y + 17);
        html_cut(b, target, 26);
        addf(b, "</text>");
        if (s->against)
            addf(b,
                 "<rect class=\"against\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                 "fill=\"#e15759\"/><text class=\"value\" x=\"%.1f\" y=\"%d\" "
                 "text-anchor=\"end\">%ld</text>",
                 centre - wa, y + 3, wa, row - 6, centre - wa - 6, y + 17, s->against);
        if (s->favor)
            addf(b,
                 "<rect class=\"favor\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                 "fill=\"#4e79a7\"/><text class=\"value\" x=\"%.1f\" y=\"%d\">%ld</text>",
                 centre, y + 3, wf, row - 6, centre + wf + 6, y + 17, s->favor);
        if (s->none)
            addf(b, "<text class=\"none\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%ld neither</text>",
                 width - 4, y + 17, s->none);
        addf(b, "</g>\n");
    }
    addf(b, "<line class=\"centre\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", centre, top - 4,
         centre, height - 8);
    buf_adds(b, "</svg>\n");
}

static long
claim_support(const report *r, const claim *c, buf *key)
{
    buf_clear(key);
    buf_adds(key, c->doc);
    buf_addc(key, '\t');
    buf_adds(key, c->id);
    long i = strtab_get(&r->heads, key->data);
    return i < 0 ? 0 : r->supports[i];
}

static int
by_support(const void *pa, const void *pb)
{
    const claim *a = pa, *b = pb;
    if (a->support != b->support)
        return a->support < b->support ? 1 : -1;
    int ma = strcmp(a->role, "major_claim") == 0, mb = strcmp(b->role, "major_claim") == 0;
    if (ma != mb)
        return mb - ma;
    return (a->order > b->order) - (a->order < b->order);
}

static void
claims_table(buf *b, report *r, size_t top)
{
    buf key = BUF_INIT;
    for (size_t i = 0; i < r->nclaims; i++)
        r->claims[i].support = claim_support(r, &r->claims[i], &key);
    buf_free(&key);
    qsort(r->claims, r->nclaims, sizeof *r->claims, by_support);
    size_t n = r->nclaims < top ? r->nclaims : top;
    buf_adds(b, "<table id=\"claims\">\n<thead><tr><th>#</th><th>claim</th><th>role</th>"
                "<th title=\"units of the document that support or attack it\">support</th>"
                "<th>document</th><th>bytes</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const claim *c = &r->claims[i];
        addf(b, "<tr><td>%zu</td><td class=\"text\">", i + 1);
        html_cut(b, c->text, 400);
        addf(b, "</td><td>%s</td><td class=\"num\">%ld</td><td class=\"doc\">",
             strcmp(c->role, "major_claim") == 0 ? "major claim" : "claim", c->support);
        html(b, c->doc);
        addf(b, "</td><td class=\"num\">%ld&ndash;%ld</td></tr>\n", c->start, c->end);
    }
    buf_adds(b, "</tbody>\n</table>\n");
}

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;"
    "color:#222;background:#fff;margin:2em auto;max-width:1000px;padding:0 1em}\n"
    "h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.8em 0 .5em;"
    "border-bottom:1px solid #ddd;padding-bottom:.2em}\n"
    ".summary,.note{color:#555}\n"
    "svg.chart{display:block;max-width:100%;height:auto}\n"
    "svg text{font-size:13px;fill:#222}svg text.value,svg text.tick,svg text.none{fill:#555;"
    "font-size:12px}\n"
    "svg line.grid{stroke:#e4e4e4}svg line.centre{stroke:#888}\n"
    "svg text.against{fill:#c03a3c}svg text.favor{fill:#3b6390}\n"
    "table{border-collapse:collapse;width:100%}th,td{padding:.35em .5em;border-bottom:1px solid "
    "#eee;vertical-align:top;text-align:left}th{background:#f6f6f6}\n"
    "td.num{text-align:right;white-space:nowrap}td.doc{font-family:monospace;font-size:.9em;"
    "min-width:14em;word-break:break-all}\n";

int
report_write(report *r, FILE *out, const char *title, size_t top)
{
    if (top == 0)
        top = TOP_DEFAULT;
    if (title == NULL)
        title = "textpipe report";
    buf b = BUF_INIT;
    buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"textpipe " PACKAGE_VERSION "\">\n<title>");
    html(&b, title);
    addf(&b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
    html(&b, title);
    buf_adds(&b, "</h1>\n<p class=\"summary\">");
    long records = r->records;
    addf(&b, "%zu document%s, %ld record%s, from %zu run%s", r->docs.n, r->docs.n == 1 ? "" : "s",
         records, records == 1 ? "" : "s", r->nruns, r->nruns == 1 ? "" : "s");
    if (r->nruns) {
        buf_adds(&b, ": ");
        html(&b, r->labels[0] ? r->labels[0] : "");
        if (r->nruns > 1) {
            buf_adds(&b, " to ");
            html(&b, r->labels[r->nruns - 1] ? r->labels[r->nruns - 1] : "");
        }
    }
    buf_adds(&b, r->has_current ? ". Totals are over the corpus as it is now.</p>\n"
                                : ". Totals count each document once, from the newest run "
                                  "that has it.</p>\n");

    size_t *order = xmalloc((r->entities.n + 1) * sizeof *order);
    for (size_t i = 0; i < r->entities.n; i++)
        order[i] = i;
    sort_report = r;
    qsort(order, r->entities.n, sizeof *order, by_total);
    size_t nent = 0;
    while (nent < r->entities.n && nent < top && r->ent[order[nent]].total > 0)
        nent++;

    buf_adds(&b, "<section id=\"entities\">\n<h2>Top entities</h2>\n");
    if (nent)
        bar_chart(&b, r, order, nent);
    else
        buf_adds(&b, "<p class=\"note\">No entity records.</p>\n");
    buf_adds(&b, "</section>\n<section id=\"trend\">\n<h2>Entity mentions in each run</h2>\n");
    if (r->nruns > 1 && nent)
        line_chart(&b, r, order, nent < TREND_LINES ? nent : TREND_LINES);
    else
        buf_adds(&b, "<p class=\"note\">One run so far: the chart needs two.</p>\n");
    free(order);

    buf_adds(&b, "</section>\n<section id=\"stance\">\n<h2>Stance by target</h2>\n");
    size_t *targets = xmalloc((r->targets.n + 1) * sizeof *targets);
    size_t nt = 0;
    for (size_t i = 0; i < r->targets.n; i++)
        if (r->st[i].favor + r->st[i].against > 0)
            targets[nt++] = i;
    sort_stance = r;
    qsort(targets, nt, sizeof *targets, by_documents);
    if (nt > top)
        nt = top;
    if (nt)
        diverging_chart(&b, r, targets, nt);
    else
        buf_adds(&b, "<p class=\"note\">No document takes a side on a target.</p>\n");
    free(targets);

    buf_adds(&b, "</section>\n<section id=\"claims-section\">\n<h2>Top claims</h2>\n");
    if (r->nclaims)
        claims_table(&b, r, top);
    else
        buf_adds(&b, "<p class=\"note\">No claims.</p>\n");
    buf_adds(&b, "</section>\n<footer class=\"note\"><p>Made by textpipe " PACKAGE_VERSION
                 ". Byte offsets count from the start of each document.</p></footer>\n"
                 "</body>\n</html>\n");
    int rc = fwrite(b.data, 1, b.len, out) == b.len ? 0 : -1;
    buf_free(&b);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}

/* ---- the command -------------------------------------------------------- */

static int
feed_file(report *r, size_t run, const char *path, FILE *f, int *bad)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long long lineno = 0;
    columns_default(r); /* a file's own header names its columns */
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        char err[256];
        if (report_line(r, run, line, (size_t)n, err, sizeof err) != 0) {
            fprintf(stderr, "textpipe: report: %s:%llu: %s\n", path, lineno, err);
            *bad = 1;
        }
    }
    int rc = ferror(f) ? -1 : 0;
    free(line);
    return rc;
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A run is a records file, or a directory of them (`textpipe -o DIR`):
 * its files in name order, hidden and temporary ones left out. */
static int
feed_run(report *r, size_t run, const char *path, int *bad)
{
    if (strcmp(path, "-") == 0)
        return feed_file(r, run, "-", stdin, bad);
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "textpipe: report: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            fprintf(stderr, "textpipe: report: %s: %s\n", path, strerror(errno));
            return -1;
        }
        int rc = feed_file(r, run, path, f, bad);
        fclose(f);
        if (rc != 0)
            fprintf(stderr, "textpipe: report: %s: read error\n", path);
        return rc;
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "textpipe: report: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0))
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = xmalloc(len);
        snprintf(full, len, "%s/%s", path, names[i]);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
            rc |= feed_run(r, run, full, bad);
        free(full);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* The run's name on the charts: the file or folder name without .tsv. */
static char *
run_label(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    char *label = xstrndup(path + start, len - start);
    size_t n = strlen(label);
    if (n > 4 && strcmp(label + n - 4, ".tsv") == 0)
        label[n - 4] = '\0';
    return label;
}

static const char report_usage[] =
    "Usage: textpipe report [-o FILE] [--title=TEXT] [--top=N] [--current=DIR] RUN...\n"
    "Draw the records of RUNs (oldest first; each a records file, a directory\n"
    "of them as `textpipe -o DIR` writes, or - for stdin) as one HTML page\n"
    "that opens from disk: top entities, entity mentions in each run (with\n"
    "two runs or more), stance by target, top claims with their document and\n"
    "byte offsets. Totals count each document once, from the newest run that\n"
    "has it, so incremental runs add up. No script, nothing fetched.\n"
    "\n"
    "  -o, --output=FILE  write FILE (whole: renamed into place), not stdout\n"
    "      --title=TEXT   the page's title (default: textpipe report)\n"
    "      --top=N        entities, targets and claims shown (default 15)\n"
    "      --current=DIR  totals, stance and claims from DIR only: the records of\n"
    "                     the corpus as it is now (`textpipe -o DIR --state`);\n"
    "                     the RUNs then only draw mentions in each run\n";

int
report_main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'}, {"title", required_argument, NULL, 'T'},
        {"top", required_argument, NULL, 'n'},    {"current", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *title = NULL, *current = NULL;
    size_t top = TOP_DEFAULT;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longs, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'T': title = optarg; break;
        case 'C': current = optarg; break;
        case 'n': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 1 || v > 1000) {
                fprintf(stderr, "textpipe: report: --top %s: expected a number from 1 to 1000\n",
                        optarg);
                return 2;
            }
            top = (size_t)v;
            break;
        }
        case 'h': fputs(report_usage, stdout); return fflush(stdout) != 0 || ferror(stdout);
        default: fputs("Try 'textpipe report --help' for more information.\n", stderr); return 2;
        }
    }
    if (optind == argc) {
        fputs("textpipe: report: expected at least one RUN (a records file or directory)\n"
              "Try 'textpipe report --help' for more information.\n",
              stderr);
        return 2;
    }
    size_t nruns = (size_t)(argc - optind);
    report *r = report_new(nruns, current != NULL);
    int status = 0, bad = 0;
    if (current != NULL && feed_run(r, nruns, current, &bad) != 0)
        status = 1;
    for (size_t k = 0; k < nruns; k++) {
        char *label = run_label(argv[optind + (int)k]);
        report_set_label(r, k, label);
        free(label);
    }
    /* Newest first: see report_line. */
    for (size_t k = nruns; k-- > 0;)
        if (feed_run(r, k, argv[optind + (int)k], &bad) != 0)
            status = 1;

    if (output == NULL) {
        if (report_write(r, stdout, title, top) != 0) {
            fputs("textpipe: report: write error\n", stderr);
            status = 1;
        }
    } else {
        size_t len = strlen(output) + 16;
        char *tmp = xmalloc(len);
        snprintf(tmp, len, "%s.tmp", output);
        FILE *f = fopen(tmp, "w");
        if (f == NULL) {
            fprintf(stderr, "textpipe: report: %s: %s\n", tmp, strerror(errno));
            status = 1;
        } else {
            int rc = report_write(r, f, title, top);
            if (fclose(f) != 0 || rc != 0 || rename(tmp, output) != 0) {
                fprintf(stderr, "textpipe: report: cannot write %s: %s\n", output, strerror(errno));
                unlink(tmp);
                status = 1;
            }
        }
        free(tmp);
    }
    report_free(r);
    return status ? status : bad;
}
