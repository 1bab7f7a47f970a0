/* names.c: the name chunker (see names.h). */
#include "names.h"

#include <string.h>

/* How much of one token belongs to a name: cuts at hyphenated lower-case
 * parts and at an attached possessive. */
typedef struct word_cut {
    uint32_t skip, keep, nskip, nkeep;
} word_cut;

static int
is_connector(const char *const *connectors, const char *w, size_t len)
{
    if (connectors == NULL || len == 0)
        return 0;
    for (size_t i = 0; connectors[i] != NULL; i++)
        if (connectors[i][0] == w[0] && strncmp(connectors[i], w, len) == 0 &&
            connectors[i][len] == '\0')
            return 1;
    return 0;
}

static size_t
utf8_char_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xf0)
        return 4;
    if (c >= 0xe0)
        return 3;
    return 2;
}

/* Letter case of the first character of a piece: 1 capital, 0 lower-case,
 * -1 neither (a digit, a symbol).  Outside ASCII the case fold tells: a
 * character the fold changed was a capital. */
static int
piece_case(const char *s, size_t slen, const char *n, size_t nlen)
{
    if (slen == 0)
        return -1;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            return 1;
        if (c >= 'a' && c <= 'z')
            return 0;
        return -1;
    }
    size_t cl = utf8_char_len(c);
    if (cl > slen || cl > nlen || memcmp(s, n, cl) != 0)
        return 1;
    return 0;
}

static size_t
count_hyphens(const char *s, size_t len)
{
    size_t k = 0;
    const char *end = s + len;
    while ((s = memchr(s, '-', (size_t)(end - s))) != NULL) {
        k++;
        s++;
    }
    return k;
}

/* Start and end of piece `k` (pieces split at '-') of s[0, len). */
static void
piece_span(const char *s, size_t len, size_t k, size_t *b, size_t *e)
{
    size_t i = 0;
    for (size_t seen = 0; seen < k; i++)
        if (s[i] == '-')
            seen++;
    *b = i;
    while (i < len && s[i] != '-')
        i++;
    *e = i;
}

/* Bytes of a possessive the tokeniser left on the end ('s, ’s). */
static uint32_t
attached_possessive(const char *s, size_t len)
{
    if (len > 3 && (s[len - 1] == 's' || s[len - 1] == 'S')) {
        if (s[len - 2] == '\'')
            return 2;
        if (len > 5 && memcmp(s + len - 4, "\xe2\x80\x99", 3) == 0)
            return 4;
    }
    return 0;
}

/* Bytes of a French or Italian elided article before a capital ("l'UE",
 * "d'Italia"; not "D'Alema", "O'Brien"), or 0. */
static uint32_t
elision(const tp_token *t)
{
    const char *s = t->surface;
    if (t->surface_len < 4 || !(s[0] == 'l' || s[0] == 'L' || s[0] == 'd') || t->norm[1] != '\'')
        return 0;
    size_t q = s[1] == '\'' ? 1 : memcmp(s + 1, "\xe2\x80\x99", 3) == 0 ? 3 : 0;
    if (q == 0 || 1 + q >= t->surface_len || !(s[1 + q] >= 'A' && s[1 + q] <= 'Z'))
        return 0;
    return (uint32_t)(1 + q);
}

/* Is `t` a name word, and which part of it is the name? */
static int
name_word(const tp_token *t, const char *const *connectors, word_cut *cut)
{
    const uint32_t refuse = TP_TOK_URL | TP_TOK_EMAIL | TP_TOK_MENTION | TP_TOK_HASHTAG |
                            TP_TOK_POSSESSIVE | TP_TOK_NUMBER;
    if (!(t->flags & (TP_TOK_WORD | TP_TOK_ABBREV)) || (t->flags & refuse))
        return 0;
    int capital = (t->flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)) != 0;
    uint32_t elided = elision(t);
    /* most words: lower case, no hyphen */
    if (!capital && elided == 0 && memchr(t->surface, '-', t->surface_len) == NULL)
        return 0;
    if (elided) {
        cut->skip = elided;
        cut->nskip = 2;
        cut->keep = t->surface_len;
        cut->nkeep = t->norm_len;
        return 1;
    }
    cut->skip = cut->nskip = 0;
    cut->keep = t->surface_len;
    cut->nkeep = t->norm_len;
    size_t hy = count_hyphens(t->surface, t->surface_len);
    if (hy == 0 || hy != count_hyphens(t->norm, t->norm_len)) {
        if (!capital)
            return 0;
    } else {
        size_t np = hy + 1, first_cap = np, last_cap = 0;
        for (size_t k = 0; k < np; k++) {
            size_t sb, se, nb, ne;
            piece_span(t->surface, t->surface_len, k, &sb, &se);
            piece_span(t->norm, t->norm_len, k, &nb, &ne);
            if (piece_case(t->surface + sb, se - sb, t->norm + nb, ne - nb) == 1) {
                if (first_cap == np)
                    first_cap = k;
                last_cap = k;
            }
        }
        if (first_cap == np)
            return 0;
        int particles = 1;
        for (size_t k = 0; k < first_cap; k++) {
            size_t nb, ne;
            piece_span(t->norm, t->norm_len, k, &nb, &ne);
            if (!is_connector(connectors, t->norm + nb, ne - nb))
                particles = 0;
        }
        if (!particles) {
            size_t sb, se, nb, ne;
            piece_span(t->surface, t->surface_len, first_cap, &sb, &se);
            piece_span(t->norm, t->norm_len, first_cap, &nb, &ne);
            cut->skip = (uint32_t)sb;
            cut->nskip = (uint32_t)nb;
        }
        if (last_cap + 1 < np) {
            size_t sb, se, nb, ne;
            piece_span(t->surface, t->surface_len, last_cap + 1, &sb, &se);
            piece_span(t->norm, t->norm_len, last_cap + 1, &nb, &ne);
            if (piece_case(t->surface + sb, se - sb, t->norm + nb, ne - nb) == 0) {
                cut->keep = (uint32_t)sb - 1;
                cut->nkeep = (uint32_t)nb - 1;
                return 1;
            }
        }
    }
    uint32_t ps = attached_possessive(t->surface, cut->keep);
    if (ps != 0 && cut->keep - ps > cut->skip) {
        cut->keep -= ps;
        cut->nkeep -= 2;
    }
    return 1;
}

/* Does a capital at token i owe its case to the start of a sentence, of a
 * line or of a quotation? */
static int
starts_clause(const tp_sentence *s, size_t i)
{
    const tp_token *t = s->tokens;
    /* a line break before it: lists, tables and captions capitalise too */
    if (t[i].flags & (TP_TOK_SENT_START | TP_TOK_NEWLINE))
        return 1;
    size_t k = 0;
    while (k < i && !(t[k].flags & (TP_TOK_WORD | TP_TOK_NUMBER)))
        k++;
    if (k == i)
        return 1;
    return i >= 2 && (t[i - 1].flags & TP_TOK_QUOTE) && (t[i - 2].flags & TP_TOK_PUNCT) &&
           !(t[i - 2].flags & TP_TOK_QUOTE);
}

uint32_t
names_line_style(const tp_sentence *s)
{
    size_t words = 0, caps = 0, lower = 0;
    for (size_t i = 0; i < s->ntokens; i++) {
        const tp_token *t = &s->tokens[i];
        if (!(t->flags & TP_TOK_WORD))
            continue;
        /* a lower-case word other than a small one: not title case */
        if (!(t->flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS | TP_TOK_STOPWORD)) && t->surface_len > 3)
            lower++;
        if (t->surface_len < 2)
            continue;
        words++;
        caps += (t->flags & TP_TOK_ALLCAPS) != 0;
    }
    uint32_t style = (s->flags & TP_SENT_HEADING) && lower == 0 ? NAMES_HEADING : 0;
    if (caps >= 2 && caps * 10 >= words * 6)
        style |= NAMES_CAPS_LINE;
    return style;
}

size_t
names_find(const tp_sentence *s, const char *const *connectors, names_chunk *out, size_t cap)
{
    const tp_token *t = s->tokens;
    size_t n = s->ntokens, found = 0;
    uint32_t style = 0;
    int style_known = 0;
    word_cut c, d;

    for (size_t i = 0; i < n && found < cap;) {
        if (!name_word(&t[i], connectors, &c)) {
            i++;
            continue;
        }
        if (!style_known) {
            /* a line in capitals starts with a word in capitals */
            if ((s->flags & TP_SENT_HEADING) || (t[i].flags & TP_TOK_ALLCAPS))
                style = names_line_style(s);
            style_known = 1;
        }
        names_chunk *ch = &out[found++];
        ch->first = ch->last = (uint32_t)i;
        ch->skip = c.skip;
        ch->nskip = c.nskip;
        ch->keep = c.keep;
        ch->nkeep = c.nkeep;
        ch->flags = style | (starts_clause(s, i) ? NAMES_INITIAL : 0);
        int allcaps = (t[i].flags & TP_TOK_ALLCAPS) != 0;
        size_t j = i;
        /* "pro-Moscow" is a word about a name, not the start of one */
        while (ch->skip == 0 && ch->keep == t[j].surface_len && j + 1 < n) {
            size_t next = j + 1, gap = 0;
            const tp_token *u = &t[next];
            if (u->surface_len == 1 && u->surface[0] == '-' && !(u->flags & TP_TOK_SPACE) &&
                next + 1 < n && !(t[next + 1].flags & TP_TOK_SPACE)) {
                gap = 1;
            } else {
                while (gap < 2 && next + gap < n &&
                       (t[next + gap].flags & (TP_TOK_WORD | TP_TOK_SYMBOL)) &&
                       !(t[next + gap].flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)) &&
                       is_connector(connectors, t[next + gap].norm, t[next + gap].norm_len))
                    gap++;
            }
            size_t w = next + gap;
            if (w >= n || !name_word(&t[w], connectors, &d) || d.skip != 0)
                break;
            if (gap > 0)
                ch->flags |= NAMES_CONNECTED;
            allcaps &= (t[w].flags & TP_TOK_ALLCAPS) != 0;
            j = w;
            ch->last = (uint32_t)j;
            ch->keep = d.keep;
            ch->nkeep = d.nkeep;
        }
        if (allcaps)
            ch->flags |= NAMES_ALLCAPS;
        i = j + 1;
    }
    return found;
}
