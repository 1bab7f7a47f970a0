/* merge.c: the generic reducer behind `textpipe merge`: one pass, one
 * open-addressing hash table, keys and aggregates stored once in an arena.
 *
 * Every choice here serves one property: merging the merged outputs of any
 * split of the input (concatenated in order) gives the same bytes as
 * merging the whole.  Hence exact arithmetic (integers, and decimals in
 * fixed point), output in order of first appearance per record type, text
 * lists that keep the first TEXT_ITEMS_MAX distinct items, and fields
 * brought to one canonical escaped form before they are compared. */
#include "config.h"

#include "merge.h"

#include "alloc.h"
#include "buf.h"
#include "tsv.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Keeping the first N distinct items (not the N most frequent) is what
 * makes the cap split-invariant. */
#define TEXT_ITEMS_MAX 32
#define FRAC_DIGITS 6
#define FRAC_ONE 1000000

/* value = units + frac / FRAC_ONE, 0 <= frac < FRAC_ONE: addition is exact
 * and so independent of the order records arrive in. */
typedef struct number {
    int64_t units;
    int32_t frac;
} number;

/* Distinct `|`-separated items, joined, in order of first appearance. */
typedef struct text_list {
    char *data;
    uint32_t len, cap, nitems;
} text_list;

typedef union cell {
    number num;
    text_list text;
} cell;

/* One distinct key of one record type; lives in the arena. */
typedef struct entry {
    struct entry *next; /* next key of its type, in order of appearance */
    uint32_t type;
    uint32_t keylen;
    cell cells[]; /* one per non-key column; the key bytes follow */
} entry;

typedef struct slot {
    uint64_t hash;
    entry *e; /* NULL: free */
} slot;

typedef struct rtype {
    char *name;
    size_t namelen;
    const tp_record_type *decl;
    uint32_t *cell_of; /* column -> index in entry.cells (key columns: 0) */
    size_t ncells;
    entry *head, *tail;
    int header_done; /* sorted mode: its --header line is out */
} rtype;

typedef struct chunk {
    struct chunk *prev;
    size_t size, used;
    alignas(max_align_t) char data[];
} chunk;

struct merger {
    merge_lookup_fn lookup;
    void *arg;

    rtype *types;
    size_t ntypes, captypes;
    size_t last_type; /* runs of one type are the common case */

    slot *slots;
    size_t nslots, nentries; /* nslots: a power of two */

    chunk *arena;
    size_t arena_next; /* bytes of the next chunk, header included */

    /* Per-line scratch, sized for the widest type seen. */
    char **fields;
    size_t *lens;
    number *nums;
    size_t maxfields;
    buf key, text;

    /* Sorted mode: the run of lines being merged is one type (seg_type)
     * and, when its first column is a key, one raw first field (seg_key). */
    FILE *stream;
    int stream_header, write_error, unsorted_reported;
    long seg_type; /* -1: no run yet */
    buf seg_key, seg_next, out;
};

/* ---- memory ------------------------------------------------------------- */

#define HUGE_PAGE ((size_t)2 << 20)
#define CHUNK_MAX ((size_t)8 << 20)

/* Big blocks ask for transparent huge pages: with many thousand keys every
 * lookup touches a random slot and a random entry, and on 4 KB pages the
 * TLB misses cost more than the rest of the line (measured: 60k keys, 1.6x
 * faster).  Only advice: where it is not granted, nothing changes. */
static void *
big_alloc(size_t n, int zero)
{
#if defined(MADV_HUGEPAGE)
    void *p;
    if (n >= HUGE_PAGE && posix_memalign(&p, HUGE_PAGE, n) == 0) {
        madvise(p, n, MADV_HUGEPAGE);
        if (zero)
            memset(p, 0, n);
        return p;
    }
#endif
    return zero ? xcalloc(1, n) : xmalloc(n);
}

static void *
arena_alloc(merger *m, size_t n)
{
    n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    chunk *c = m->arena;
    if (c == NULL || c->size - c->used < n) {
        size_t size = m->arena_next - sizeof(chunk);
        if (m->arena_next < CHUNK_MAX)
            m->arena_next *= 2;
        if (size < n)
            size = n;
        c = big_alloc(sizeof(chunk) + size, 0);
        c->size = size;
        c->used = 0;
        /* A big one-off object gets its own chunk, behind the current one,
         * so the rest of the current chunk stays in use. */
        if (m->arena && size == n && m->arena->size - m->arena->used > 256) {
            c->prev = m->arena->prev;
            m->arena->prev = c;
        } else {
            c->prev = m->arena;
            m->arena = c;
        }
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

/* ---- numbers ------------------------------------------------------------ */

enum { NUMBER_OK = 0, NUMBER_INVALID = -1, NUMBER_RANGE = -2 };

/* [+-]digits[.digits]; more than FRAC_DIGITS decimals are rounded, half
 * away from zero, which depends on the value alone. */
static int
number_parse(const char *s, size_t len, number *out)
{
    const char *p = s, *end = s + len;
    int negative = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        negative = *p == '-';
        p++;
    }
    uint64_t whole = 0;
    int digits = 0, too_big = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
        unsigned d = (unsigned)(*p - '0');
        if (whole > (UINT64_MAX - d) / 10)
            too_big = 1;
        else
            whole = whole * 10 + d;
    }
    uint32_t frac = 0;
    int round_up = 0;
    if (p < end && *p == '.') {
        p++;
        int n = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++, n++, digits++) {
            if (n < FRAC_DIGITS)
                frac = frac * 10 + (uint32_t)(*p - '0');
            else if (n == FRAC_DIGITS)
                round_up = *p >= '5';
        }
        for (; n < FRAC_DIGITS; n++)
            frac *= 10;
    }
    if (p != end || digits == 0)
        return NUMBER_INVALID;
    if (too_big)
        return NUMBER_RANGE;
    if (round_up && ++frac == FRAC_ONE) {
        frac = 0;
        if (whole == UINT64_MAX)
            return NUMBER_RANGE;
        whole++;
    }
    if (!negative) {
        if (whole > (uint64_t)INT64_MAX)
            return NUMBER_RANGE;
        out->units = (int64_t)whole;
        out->frac = (int32_t)frac;
    } else if (frac == 0) {
        if (whole > (uint64_t)INT64_MAX + 1)
            return NUMBER_RANGE;
        out->units = whole ? -(int64_t)(whole - 1) - 1 : 0;
        out->frac = 0;
    } else {
        /* -(w + f) = -(w + 1) + (1 - f) keeps frac non-negative. */
        if (whole > (uint64_t)INT64_MAX)
            return NUMBER_RANGE;
        out->units = -(int64_t)whole - 1;
        out->frac = (int32_t)(FRAC_ONE - frac);
    }
    return NUMBER_OK;
}

static int
add_overflows(int64_t a, int64_t b, int64_t *sum)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return 1;
    *sum = a + b;
    return 0;
}

/* Returns -1 when the exact sum leaves the int64 range. */
static int
number_add(number a, number b, number *sum)
{
    int32_t frac = a.frac + b.frac;
    if (frac >= FRAC_ONE) {
        frac -= FRAC_ONE;
        /* Carry into whichever side has room, so the check below fails
         * only when the true sum is out of range. */
        if (a.units < INT64_MAX)
            a.units++;
        else if (b.units < INT64_MAX)
            b.units++;
        else
            return -1;
    }
    if (add_overflows(a.units, b.units, &sum->units))
        return -1;
    sum->frac = frac;
    return 0;
}

static int
number_cmp(number a, number b)
{
    if (a.units != b.units)
        return a.units < b.units ? -1 : 1;
    return (a.frac > b.frac) - (a.frac < b.frac);
}

/* Shortest exact form: "3", "-0.25", never trailing zeros.  out holds 32. */
static size_t
number_format(number v, char *out)
{
    char *p = out;
    uint64_t whole;
    uint32_t frac = (uint32_t)v.frac;
    if (v.units < 0) {
        *p++ = '-';
        if (frac) {
            whole = (uint64_t)(-(v.units + 1));
            frac = FRAC_ONE - frac;
        } else {
            whole = (uint64_t)(-(v.units + 1)) + 1;
        }
    } else {
        whole = (uint64_t)v.units;
    }
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (n)
        *p++ = digits[--n];
    if (frac) {
        *p++ = '.';
        int keep = FRAC_DIGITS;
        while (frac % 10 == 0) {
            frac /= 10;
            keep--;
        }
        for (int i = keep - 1; i >= 0; i--) {
            p[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += keep;
    }
    return (size_t)(p - out);
}

/* ---- text lists --------------------------------------------------------- */

static int
text_has(const text_list *t, const char *item, size_t n)
{
    if (t->len == 0)
        return 0;
    const char *p = t->data, *end = t->data + t->len;
    while (p < end) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        if ((size_t)(stop - p) == n && memcmp(p, item, n) == 0)
            return 1;
        p = stop + 1;
    }
    return 0;
}

/* Unites the items of s[0, len) into t: new distinct ones appended. */
static void
text_add(merger *m, text_list *t, const char *s, size_t len)
{
    if (t->nitems >= TEXT_ITEMS_MAX)
        return;
    if (len == t->len && (len == 0 || memcmp(s, t->data, len) == 0))
        return; /* the common case: the same list again */
    const char *p = s, *end = s + len;
    for (;;) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        size_t n = (size_t)(stop - p);
        if (n > 0 && !text_has(t, p, n)) {
            size_t need = t->len + (t->len ? 1 : 0) + n;
            if (need > t->cap) {
                /* A new key reserves its first field whole; later growth
                 * doubles, so the arena wastes at most what it keeps. */
                size_t cap = t->cap ? 2 * (size_t)t->cap : len;
                if (cap < need)
                    cap = need;
                if (cap > UINT32_MAX)
                    return; /* 32 items of 128 MB each: keep what we have */
                char *data = arena_alloc(m, cap);
                if (t->len)
                    memcpy(data, t->data, t->len);
                t->data = data;
                t->cap = (uint32_t)cap;
            }
            if (t->len)
                t->data[t->len++] = '|';
            memcpy(t->data + t->len, p, n);
            t->len += (uint32_t)n;
            if (++t->nitems == TEXT_ITEMS_MAX)
                return;
        }
        if (bar == NULL)
            return;
        p = bar + 1;
    }
}

/* ---- keys --------------------------------------------------------------- */

static uint64_t
hash_bytes(const char *s, size_t n, uint64_t seed)
{
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15u);
    uint64_t w;
    while (n >= 8) {
        memcpy(&w, s, 8);
        h ^= w * 0x87c37b91114253d5u;
        h = ((h << 31) | (h >> 33)) * 0x4cf5ad432745937fu;
        s += 8;
        n -= 8;
    }
    w = 0;
    memcpy(&w, s, n);
    h ^= w * 0x87c37b91114253d5u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

/* Appends a field to out in canonical form, escape(unescape(field)), so
 * that "\q" and "\\q", or a raw CR and "\r", make one key.  The field is
 * NUL-terminated in the line and may be rewritten. */
static void
add_canonical(buf *out, char *f, size_t len)
{
    /* Fields are short: one inline pass beats two library calls. */
    size_t i = 0;
    while (i < len && f[i] != '\\' && f[i] != '\r')
        i++;
    if (i == len) {
        buf_add(out, f, len);
        return;
    }
    len = tsv_unescape(f, len);
    tsv_escape(out, f, len);
}

static void
grow_table(merger *m)
{
    size_t nslots = m->nslots ? 2 * m->nslots : 1024;
    slot *slots = big_alloc(nslots * sizeof(slot), 1);
    size_t mask = nslots - 1;
    for (size_t i = 0; i < m->nslots; i++) {
        if (m->slots[i].e == NULL)
            continue;
        size_t j = m->slots[i].hash & mask;
        while (slots[j].e)
            j = (j + 1) & mask;
        slots[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
}

static inline const char *
entry_key(const entry *e, size_t ncells)
{
    return (const char *)(e->cells + ncells);
}

/* ---- record types ------------------------------------------------------- */

static const char *
role_name(tp_role role)
{
    switch (role) {
    case TP_ROLE_KEY: return "key";
    case TP_ROLE_SUM: return "sum";
    case TP_ROLE_MIN: return "min";
    case TP_ROLE_MAX: return "max";
    case TP_ROLE_TEXT: return "text";
    }
    return NULL;
}

/* Returns the index of the type named name[0, len) (NUL-terminated), or
 * -1 with a message. */
static long
type_find(merger *m, const char *name, size_t len, char *err, size_t errsize)
{
    if (m->ntypes) {
        rtype *t = &m->types[m->last_type];
        if (t->namelen == len && memcmp(t->name, name, len) == 0)
            return (long)m->last_type;
    }
    for (size_t i = 0; i < m->ntypes; i++) {
        rtype *t = &m->types[i];
        if (t->namelen == len && memcmp(t->name, name, len) == 0) {
            m->last_type = i;
            return (long)i;
        }
    }
    /* Unknown names are not remembered: a garbage input must not grow
     * memory, and the lookup is the caller's to make fast. */
    const tp_record_type *decl = m->lookup(m->arg, name);
    if (decl == NULL) {
        snprintf(err, errsize, "unknown record type \"%.*s\"", len > 64 ? 64 : (int)len, name);
        return -1;
    }
    for (size_t c = 0; c < decl->ncolumns; c++) {
        if (role_name(decl->columns[c].role) == NULL) {
            snprintf(err, errsize, "record type \"%s\": column %s has an unknown role (%d)",
                     decl->name, decl->columns[c].name, (int)decl->columns[c].role);
            return -1;
        }
    }
    if (m->ntypes == m->captypes) {
        m->captypes = m->captypes ? 2 * m->captypes : 8;
        m->types = xrealloc(m->types, m->captypes * sizeof(rtype));
    }
    rtype *t = &m->types[m->ntypes];
    memset(t, 0, sizeof *t);
    t->name = xstrndup(name, len);
    t->namelen = len;
    t->decl = decl;
    t->cell_of = xcalloc(decl->ncolumns, sizeof(uint32_t));
    for (size_t c = 0; c < decl->ncolumns; c++) {
        if (decl->columns[c].role != TP_ROLE_KEY)
            t->cell_of[c] = (uint32_t)t->ncells++;
    }
    size_t nfields = decl->ncolumns + 2;
    if (nfields > m->maxfields) {
        m->maxfields = nfields;
        m->fields = xrealloc(m->fields, nfields * sizeof(char *));
        m->lens = xrealloc(m->lens, nfields * sizeof(size_t));
        m->nums = xrealloc(m->nums, nfields * sizeof(number));
    }
    m->last_type = m->ntypes;
    return (long)m->ntypes++;
}

/* ---- the merger --------------------------------------------------------- */

merger *
merge_new(merge_lookup_fn lookup, void *arg)
{
    merger *m = xcalloc(1, sizeof *m);
    m->lookup = lookup;
    m->arg = arg;
    m->arena_next = 64 * 1024;
    grow_table(m);
    /* Allocated up front: an empty key is hashed from data, never NULL. */
    buf_reserve(&m->key, 64);
    buf_reserve(&m->text, 64);
    m->seg_type = -1;
    return m;
}

void
merge_free(merger *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->ntypes; i++) {
        free(m->types[i].name);
        free(m->types[i].cell_of);
    }
    free(m->types);
    free(m->slots);
    while (m->arena) {
        chunk *prev = m->arena->prev;
        free(m->arena);
        m->arena = prev;
    }
    free(m->fields);
    free(m->lens);
    free(m->nums);
    buf_free(&m->key);
    buf_free(&m->text);
    buf_free(&m->seg_key);
    buf_free(&m->seg_next);
    buf_free(&m->out);
    free(m);
}

static int fail(char *err, size_t errsize, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
fail(char *err, size_t errsize, const char *fmt, ...)
{
    if (errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsize, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- output ------------------------------------------------------------- */

static int
flush(buf *b, FILE *out)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
        return -1;
    buf_clear(b);
    return 0;
}

static void
add_header(buf *b, const rtype *t)
{
    buf_addc(b, '#');
    buf_add(b, t->name, t->namelen);
    buf_adds(b, "\tdoc");
    for (size_t c = 0; c < t->decl->ncolumns; c++) {
        buf_addc(b, '\t');
        buf_adds(b, t->decl->columns[c].name);
    }
    buf_addc(b, '\n');
}

/* Appends t's records to b, writing b to out whenever it passes 64 KB. */
static int
add_records(buf *b, const rtype *t, FILE *out)
{
    const tp_column *cols = t->decl->columns;
    for (const entry *e = t->head; e; e = e->next) {
        const char *k = entry_key(e, t->ncells);
        const char *kend = k + e->keylen;
        buf_add(b, t->name, t->namelen);
        buf_add(b, "\t*", 2);
        for (size_t c = 0; c < t->decl->ncolumns; c++) {
            const cell *cl = &e->cells[t->cell_of[c]];
            buf_addc(b, '\t');
            switch (cols[c].role) {
            case TP_ROLE_KEY: {
                const char *tab = memchr(k, '\t', (size_t)(kend - k));
                const char *stop = tab ? tab : kend;
                buf_add(b, k, (size_t)(stop - k));
                k = stop + 1;
                break;
            }
            case TP_ROLE_SUM:
            case TP_ROLE_MIN:
            case TP_ROLE_MAX:
                buf_reserve(b, 32);
                b->len += number_format(cl->num, b->data + b->len);
                b->data[b->len] = '\0';
                break;
            case TP_ROLE_TEXT:
                if (cl->text.len)
                    buf_add(b, cl->text.data, cl->text.len);
                break;
            }
        }
        buf_addc(b, '\n');
        if (b->len >= 64 * 1024 && flush(b, out) != 0)
            return -1;
    }
    return 0;
}

/* ---- sorted mode -------------------------------------------------------- */

void
merge_stream_to(merger *m, FILE *out, int header)
{
    m->stream = out;
    m->stream_header = header;
}

/* Byte order, a prefix first: how `LC_ALL=C sort` compares two fields. */
static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return (alen > blen) - (alen < blen);
}

/* Keeps the arena's newest chunk, emptied: a run of lines needs the same
 * few kilobytes again and again. */
static void
arena_reset(merger *m)
{
    chunk *c = m->arena;
    if (c == NULL)
        return;
    while (c->prev) {
        chunk *prev = c->prev->prev;
        free(c->prev);
        c->prev = prev;
    }
    c->used = 0;
}

/* Writes the run's records and forgets them: the memory of sorted mode is
 * that of one run. */
static void
segment_flush(merger *m)
{
    if (m->seg_type < 0)
        return;
    rtype *t = &m->types[m->seg_type];
    if (m->stream_header && !t->header_done) {
        add_header(&m->out, t);
        t->header_done = 1;
    }
    if (add_records(&m->out, t, m->stream) != 0)
        m->write_error = 1;
    /* A short run empties its own slots (found before any is cleared, as
     * clearing breaks probe chains); a long one clears the table. */
    enum { FEW = 16 };
    size_t found[FEW], n = 0;
    if (m->nentries <= FEW) {
        size_t mask = m->nslots - 1;
        for (const entry *e = t->head; e; e = e->next) {
            const char *k = entry_key(e, t->ncells);
            size_t i = hash_bytes(k, e->keylen, (uint64_t)m->seg_type) & mask;
            while (m->slots[i].e != e)
                i = (i + 1) & mask;
            found[n++] = i;
        }
        for (size_t i = 0; i < n; i++)
            m->slots[found[i]].e = NULL;
    } else if (m->nslots > 4096) {
        free(m->slots);
        m->slots = NULL;
        m->nslots = 0;
        grow_table(m);
    } else {
        memset(m->slots, 0, m->nslots * sizeof(slot));
    }
    m->nentries = 0;
    t->head = t->tail = NULL;
    arena_reset(m);
}

/* ---- the merger, line by line -------------------------------------------- */

int
merge_line(merger *m, char *line, size_t len, char *err, size_t errsize)
{
    /* A CRLF file is read as if it were LF: the CR is line ending, not
     * data. */
    if (len && line[len - 1] == '\r')
        len--;
    if (len == 0 || line[0] == '#')
        return 0;

    char *tab = memchr(line, '\t', len);
    size_t namelen = tab ? (size_t)(tab - line) : len;
    char saved = line[namelen];
    line[namelen] = '\0';
    long ti = type_find(m, line, namelen, err, errsize);
    line[namelen] = saved;
    if (ti < 0)
        return -1;
    rtype *t = &m->types[ti];
    const tp_record_type *decl = t->decl;
    const tp_column *cols = decl->columns;

    size_t want = decl->ncolumns + 2;
    size_t got = tsv_split(line, len, m->fields, want);
    if (got != want)
        return fail(err, errsize,
                    "record type \"%s\": wrong number of fields (got %zu, "
                    "expected %zu)",
                    t->name, got, want);
    char **f = m->fields + 2;
    size_t *flen = m->lens;
    for (size_t c = 0; c + 1 < decl->ncolumns; c++)
        flen[c] = (size_t)(f[c + 1] - f[c]) - 1;
    if (decl->ncolumns)
        flen[decl->ncolumns - 1] = (size_t)(line + len - f[decl->ncolumns - 1]);

    /* Sorted mode compares raw fields, as sort does, before the key is
     * made canonical (which may rewrite the field). */
    int new_run = 0, early = 0;
    if (m->stream) {
        int keyed = decl->ncolumns && cols[0].role == TP_ROLE_KEY;
        int cmp = 1;
        if (m->seg_type >= 0) {
            const rtype *run = &m->types[m->seg_type];
            cmp = ti == m->seg_type ? 0 : bytes_cmp(t->name, t->namelen, run->name, run->namelen);
            if (cmp == 0 && keyed)
                cmp = bytes_cmp(f[0], flen[0], m->seg_key.data, m->seg_key.len);
        }
        early = cmp < 0;
        new_run = cmp != 0;
        if (new_run) {
            buf_clear(&m->seg_next);
            if (keyed)
                buf_add(&m->seg_next, f[0], flen[0]);
        }
    }

    /* Everything that can fail is checked before anything changes, so a
     * refused line leaves no trace. */
    buf_clear(&m->key);
    size_t nkeys = 0;
    for (size_t c = 0; c < decl->ncolumns; c++) {
        switch (cols[c].role) {
        case TP_ROLE_KEY:
            if (nkeys++)
                buf_addc(&m->key, '\t');
            add_canonical(&m->key, f[c], flen[c]);
            break;
        case TP_ROLE_SUM:
        case TP_ROLE_MIN:
        case TP_ROLE_MAX: {
            int r = number_parse(f[c], flen[c], &m->nums[c]);
            if (r != NUMBER_OK)
                return fail(err, errsize, "\"%.*s\" is %s in column %s",
                            flen[c] > 40 ? 40 : (int)flen[c], f[c],
                            r == NUMBER_RANGE ? "out of range" : "not a number", cols[c].name);
            break;
        }
        case TP_ROLE_TEXT: break;
        }
    }
    if (m->key.len > UINT32_MAX)
        return fail(err, errsize, "key longer than 4 GB");

    if (new_run) {
        segment_flush(m);
        m->seg_type = ti;
        buf swap = m->seg_key;
        m->seg_key = m->seg_next;
        m->seg_next = swap;
    }

    uint64_t h = hash_bytes(m->key.data, m->key.len, (uint64_t)ti);
    size_t mask = m->nslots - 1;
    size_t i = h & mask;
    entry *e;
    while ((e = m->slots[i].e) != NULL) {
        if (m->slots[i].hash == h && e->type == (uint32_t)ti && e->keylen == m->key.len &&
            memcmp(entry_key(e, t->ncells), m->key.data, m->key.len) == 0)
            break;
        i = (i + 1) & mask;
    }

    if (e != NULL) {
        for (size_t c = 0; c < decl->ncolumns; c++) {
            if (cols[c].role == TP_ROLE_KEY || cols[c].role == TP_ROLE_TEXT)
                continue;
            number acc = e->cells[t->cell_of[c]].num;
            number *v = &m->nums[c];
            if (cols[c].role == TP_ROLE_SUM) {
                if (number_add(acc, *v, v) < 0)
                    return fail(err, errsize, "sum out of range in column %s", cols[c].name);
            } else if (cols[c].role == TP_ROLE_MIN) {
                if (number_cmp(acc, *v) < 0)
                    *v = acc;
            } else if (number_cmp(acc, *v) > 0) {
                *v = acc;
            }
        }
    } else {
        /* Load at most 3/4: short probes at 16 bytes a slot. */
        if (4 * (m->nentries + 1) > 3 * m->nslots) {
            grow_table(m);
            mask = m->nslots - 1;
            i = h & mask;
            while (m->slots[i].e)
                i = (i + 1) & mask;
        }
        e = arena_alloc(m, sizeof(entry) + t->ncells * sizeof(cell) + m->key.len);
        e->next = NULL;
        e->type = (uint32_t)ti;
        e->keylen = (uint32_t)m->key.len;
        memset(e->cells, 0, t->ncells * sizeof(cell));
        memcpy((char *)entry_key(e, t->ncells), m->key.data, m->key.len);
        m->slots[i].hash = h;
        m->slots[i].e = e;
        m->nentries++;
        if (t->tail)
            t->tail->next = e;
        else
            t->head = e;
        t->tail = e;
    }

    for (size_t c = 0; c < decl->ncolumns; c++) {
        cell *cl = &e->cells[t->cell_of[c]];
        switch (cols[c].role) {
        case TP_ROLE_SUM:
        case TP_ROLE_MIN:
        case TP_ROLE_MAX: cl->num = m->nums[c]; break;
        case TP_ROLE_TEXT:
            if (cl->text.nitems >= TEXT_ITEMS_MAX)
                break;
            buf_clear(&m->text);
            add_canonical(&m->text, f[c], flen[c]);
            text_add(m, &cl->text, m->text.data, m->text.len);
            break;
        case TP_ROLE_KEY: break;
        }
    }
    if (early && !m->unsorted_reported) {
        m->unsorted_reported = 1;
        return fail(
            err, errsize,
            "input not sorted (this line belongs before the one above; merged all the same, "
            "but groups may come out twice): sort with %s",
            MERGE_SORT_COMMAND);
    }
    return 0;
}

int
merge_write(merger *m, FILE *out, int header)
{
    if (m->stream) {
        segment_flush(m);
        m->seg_type = -1;
        int rc = m->write_error || flush(&m->out, m->stream) != 0;
        if (fflush(m->stream) != 0 || ferror(m->stream))
            rc = 1;
        return rc ? -1 : 0;
    }
    buf b = BUF_INIT;
    int rc = 0;
    if (header)
        for (size_t ti = 0; ti < m->ntypes; ti++)
            add_header(&b, &m->types[ti]);
    for (size_t ti = 0; ti < m->ntypes && rc == 0; ti++)
        rc = add_records(&b, &m->types[ti], out);
    if (rc == 0)
        rc = flush(&b, out);
    buf_free(&b);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}
