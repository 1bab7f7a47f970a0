/* tsv.c: escaping, unescaping and splitting of records (PostgreSQL COPY
 * text convention), the one place that knows the field syntax. */
#include "tsv.h"

#include <string.h>

/* The escape letter for each byte that needs one, 0 for the rest: a table
 * keeps the scan to one load and one test per byte. */
static const char escape_letter[256] = {
    ['\\'] = '\\',
    ['\t'] = 't',
    ['\n'] = 'n',
    ['\r'] = 'r',
};

void
tsv_escape(buf *out, const char *s, size_t len)
{
    /* Reserve the worst case once so the loop writes without checks. */
    buf_reserve(out, 2 * len);
    char *d = out->data + out->len;
    const char *end = s + len;
    while (s < end) {
        const char *run = s;
        while (s < end && !escape_letter[(unsigned char)*s])
            s++;
        memcpy(d, run, (size_t)(s - run));
        d += s - run;
        if (s == end)
            break;
        *d++ = '\\';
        *d++ = escape_letter[(unsigned char)*s++];
    }
    out->len = (size_t)(d - out->data);
    out->data[out->len] = '\0';
}

void
tsv_escape_str(buf *out, const char *s)
{
    /* A run at a time: libc's strcspn scans 16 bytes a step, and stops at
     * the NUL too. */
    for (;;) {
        size_t n = strcspn(s, "\\\t\n\r");
        buf_reserve(out, n + 2);
        memcpy(out->data + out->len, s, n);
        out->len += n;
        s += n;
        if (*s == '\0')
            break;
        out->data[out->len++] = '\\';
        out->data[out->len++] = escape_letter[(unsigned char)*s++];
    }
    out->data[out->len] = '\0';
}

/* What follows a backslash, mapped back to the byte it stands for. */
static const char unescape_byte[256] = {
    ['\\'] = '\\',
    ['t'] = '\t',
    ['n'] = '\n',
    ['r'] = '\r',
};

size_t
tsv_unescape(char *s, size_t len)
{
    char *bs = memchr(s, '\\', len);
    if (bs == NULL) {
        s[len] = '\0';
        return len;
    }
    char *end = s + len;
    char *d = bs;
    const char *r = bs;
    while (r < end) {
        /* r is at a backslash here. */
        char v = r + 1 < end ? unescape_byte[(unsigned char)r[1]] : 0;
        if (v) {
            *d++ = v;
            r += 2;
        } else {
            /* Not one of ours: the backslash stands for itself. */
            *d++ = *r++;
        }
        const char *next = memchr(r, '\\', (size_t)(end - r));
        const char *stop = next ? next : end;
        memmove(d, r, (size_t)(stop - r));
        d += stop - r;
        r = stop;
    }
    *d = '\0';
    return (size_t)(d - s);
}

size_t
tsv_split(char *line, size_t len, char **fields, size_t max)
{
    char *p = line;
    char *end = line + len;
    size_t n = 0;
    for (;;) {
        if (n < max)
            fields[n] = p;
        n++;
        char *tab = memchr(p, '\t', (size_t)(end - p));
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    *end = '\0';
    return n;
}
