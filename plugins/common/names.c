/* names.c: the name chunker (see names.h). */
#include "names.h"

#include <string.h>

/* How much of one token belongs to a name: cuts at hyphenated lower-case
 * parts and at an attached possessive. */
typedef struct word_cut {
    uint32_t skip, keep, nskip, nkeep;
} word_cut;

void
names_connectors_init(names_connectors *set, const char *const *list)
{
    set->list = list;
    memset(set->first, 0, sizeof set->first);
    set->lengths = 0;
    for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
        unsigned char c = (unsigned char)list[i][0];
        size_t len = strlen(list[i]);
        set->first[c >> 6] |= 1ull << (c & 63);
        set->lengths |= len < 63 ? 1ull << len : 1ull << 63;
    }
}

static int
is_connector(const names_connectors *set, const char *w, size_t len)
{
    const char *const *connectors = set->list;
    if (connectors == NULL || len == 0)
        return 0;
    unsigned char c0 = (unsigned char)w[0];
    if (!(set->first[c0 >> 6] & (1ull << (c0 & 63))) ||
        !(set->lengths & (len < 63 ? 1ull << len : 1ull << 63)))
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

static inline int
has_zero_byte(uint64_t x)
{
    return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0;
}

/* Is there a '-' in s[0, n), or, when `elided`, an apostrophe (' or the
 * first byte of ’) second?  Words are short: a few loads of four or eight
 * bytes, tested all at once, instead of a loop or a call. */
static inline int
has_hyphen_or(const char *s, uint32_t n, int elided)
{
    const uint64_t dashes = 0x2d2d2d2d2d2d2d2dull;
    /* the tokeniser keeps a hyphen inside a word only, never at its ends */
    if (n < 4)
        return n == 3 && s[1] == '-';
    uint64_t x, y;
    if (n <= 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        x = ((uint64_t)b << 32) | a;
        y = x;
    } else {
        memcpy(&x, s, 8);
        memcpy(&y, s + n - 8, 8);
        for (uint32_t i = 8; i + 8 < n; i += 8) {
            uint64_t z;
            memcpy(&z, s + i, 8);
            if (has_zero_byte(z ^ dashes))
                return 1;
        }
    }
    if (elided) {
        unsigned char second = (unsigned char)(x >> 8);
        if (second == '\'' || second == 0xe2)
            return 1;
    }
    return has_zero_byte(x ^ dashes) || has_zero_byte(y ^ dashes);
}

static inline int
has_hyphen(const char *s, uint32_t n)
{
    return has_hyphen_or(s, n, 0);
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

#define NAMES_REFUSE                                                                               \
    (TP_TOK_URL | TP_TOK_EMAIL | TP_TOK_MENTION | TP_TOK_HASHTAG | TP_TOK_POSSESSIVE |             \
     TP_TOK_NUMBER)

/* Where a sentence's text has its hyphens and apostrophes, looked up one
 * at a time as the tokens come: a word in lower case with neither (and no
 * ’ second) is no name word, and most words are that, so one strcspn()
 * over the text replaces a look into most words.  (’ is left to a look at
 * the two places it matters: typographic quotes and dashes hold its first
 * byte too, and each would cost a call.) */
typedef struct special_scan {
    const char *text; /* the sentence's text; NULL: look into every word */
    uint64_t base;    /* the input offset of text[0] */
    uint64_t end;     /* the input offset of the text's end */
    uint64_t hyphen, apostrophe; /* offsets of the next of each, or `end` */
    uint64_t at;      /* the offset of the next such byte not yet passed,
                         or of the text's end */
    int more;         /* text[at - base] is such a byte: the scan goes on */
} special_scan;

/* The offset of the next byte c at or after `from`, or sc->end.  memchr
 * (vectorised in libc, unlike strcspn) finds each of the two bytes in its
 * own pass, and a pass is taken up again only once its byte is behind. */
static uint64_t
special_next(const special_scan *sc, uint64_t from, int c)
{
    const char *p = sc->text + (from - sc->base);
    const char *q = memchr(p, c, (size_t)(sc->end - from));
    return q != NULL ? from + (uint64_t)(q - p) : sc->end;
}

static void
special_from(special_scan *sc, uint64_t from)
{
    if (sc->hyphen < from)
        sc->hyphen = special_next(sc, from, '-');
    if (sc->apostrophe < from)
        sc->apostrophe = special_next(sc, from, '\'');
    sc->at = sc->hyphen < sc->apostrophe ? sc->hyphen : sc->apostrophe;
    sc->more = sc->at < sc->end;
}

/* The host lends a sentence's text with every token's surface at its
 * offset; a sentence made otherwise (no text) has its words looked into. */
static void
special_init(special_scan *sc, const tp_sentence *s)
{
    sc->text = s->text;
    sc->base = s->start;
    sc->end = s->end;
    sc->more = 0;
    sc->at = 0;
    if (sc->text != NULL) {
        sc->hyphen = special_next(sc, sc->base, '-');
        sc->apostrophe = special_next(sc, sc->base, '\'');
        special_from(sc, sc->base);
    }
}

/* Does the text show no hyphen or apostrophe in t's surface?
 * 0 when it cannot tell: no text (`at` stays 0), or a token that is not
 * where its offsets say.  Tokens come in text order, so the scan only
 * moves on. */
static inline int
special_none_in(special_scan *sc, const tp_token *t)
{
    if (t->end - t->start != t->surface_len)
        return 0;
    if (t->end <= sc->at)
        return 1;
    while (sc->more && sc->at < t->start)
        special_from(sc, sc->at + 1);
    return t->end <= sc->at;
}

/* Could `t` be a name word at all?  Most tokens are not: punctuation, and
 * words in lower case with neither a hyphen nor an elided article.
 * `sc`: the sentence's special_scan, or NULL; *whole is set when the
 * scan shows the word whole, with nothing for name_word_cut() to cut
 * (no hyphen, no elided article, no attached possessive). */
static inline int
may_be_name_word(const tp_token *t, uint32_t *seen, special_scan *sc, int *whole)
{
    uint32_t f = t->flags;
    *whole = 0;
    if (!(f & (TP_TOK_WORD | TP_TOK_ABBREV)))
        return 0;
    const unsigned char *u = (const unsigned char *)t->surface;
    if ((f & TP_TOK_WORD) && u[0] >= 0xd6)
        *seen |= NAMES_SEEN_CASELESS;
    if (f & NAMES_REFUSE)
        return 0;
    /* ’ after the first letter (l’UE) or before a final s: u[1] is the
     * NUL of a one-byte surface */
    uint32_t n = t->surface_len;
    int plain = sc != NULL && special_none_in(sc, t);
    if (f & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)) {
        /* without branches on the length, which no predictor learns */
        int curly = (u[1] == 0xe2) | ((n > 5) & (u[n > 5 ? n - 4 : 0] == 0xe2));
        *whole = plain & !curly;
        return 1;
    }
    if (plain)
        return (n >= 4) & (u[1] == 0xe2);
    /* a hyphen, or an elided article ("l'UE", "l’UE") */
    return has_hyphen_or(t->surface, n, 1);
}

/* Which part of `t`, a token may_be_name_word() let through, is a name
 * (0: none)? */
static int
name_word_cut(const tp_token *t, const names_connectors *connectors, word_cut *cut)
{
    int capital = (t->flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)) != 0;
    uint32_t elided = elision(t);
    int hyphen = has_hyphen(t->surface, t->surface_len);
    /* most words: lower case, no hyphen */
    if (!capital && elided == 0 && !hyphen)
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
    size_t hy = hyphen ? count_hyphens(t->surface, t->surface_len) : 0;
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

/* Is `t` a name word, and which part of it is the name? */
static int
name_word(const tp_token *t, const names_connectors *connectors, word_cut *cut)
{
    uint32_t seen = 0;
    int whole;
    return may_be_name_word(t, &seen, NULL, &whole) && name_word_cut(t, connectors, cut);
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
    /* every first byte may start a connector: no list to prepare */
    names_connectors set = {connectors, {~0ull, ~0ull, ~0ull, ~0ull}, ~0ull};
    uint32_t seen;
    return names_find_set(s, &set, out, cap, &seen);
}

size_t
names_find_set(const tp_sentence *s, const names_connectors *connectors, names_chunk *out,
               size_t cap, uint32_t *seen)
{
    *seen = 0;
    const tp_token *t = s->tokens;
    size_t n = s->ntokens, found = 0;
    uint32_t style = 0;
    int style_known = 0;
    word_cut c, d;
    special_scan sc;
    special_init(&sc, s);

    /* The scan goes by tokens in text order: this loop's, not the ones a
     * run looks ahead at. */
    for (size_t i = 0; i < n && found < cap;) {
        int whole;
        if (!may_be_name_word(&t[i], seen, &sc, &whole)) {
            i++;
            continue;
        }
        if (whole) {
            c.skip = c.nskip = 0;
            c.keep = t[i].surface_len;
            c.nkeep = t[i].norm_len;
        } else if (!name_word_cut(&t[i], connectors, &c)) {
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
            if ((t[w].flags & TP_TOK_WORD) && (unsigned char)t[w].surface[0] >= 0xd6)
                *seen |= NAMES_SEEN_CASELESS;
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

/* ---- keys of list entries ------------------------------------------------ */

static int
ascii_letter(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u;
}

/* Bytes of x equal to b, as 0x80 in each such byte (exact). */
static inline uint64_t
bytes_equal(uint64_t x, uint64_t b)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    uint64_t z = x ^ b;
    return ~(((z & low7) + low7) | z | low7);
}

int
names_plain_key(const char *name, size_t len, char *out, size_t *ntok)
{
    /* letters at both ends: a space or hyphen is then always between a
     * letter and (checked below) a letter */
    if (len == 0 || len > 64 || !ascii_letter((unsigned char)name[0]) ||
        !ascii_letter((unsigned char)name[len - 1]))
        return 0;
    /* A capital after a small letter in a word ("MacDonald") and two
     * separators in a row are both pairs of neighbours: eight bytes at a
     * time, each byte classed as a small letter, a capital or a separator,
     * then neighbours compared by shifting the classes one byte. */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t words = 1, i = 0;
    uint64_t prev_small = 0, prev_sep = 0; /* the byte before this chunk */
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, name + i, 8);
        if (w & highs)
            return 0;
        uint64_t lw = w | 0x2020202020202020ull;
        uint64_t letters = (lw + 0x1f * ones) & ~(lw + 0x05 * ones) & highs;
        uint64_t spaces = bytes_equal(w, 0x20 * ones) & highs;
        uint64_t hyphens = bytes_equal(w, 0x2d * ones) & highs;
        if ((letters | spaces | hyphens) != highs)
            return 0;
        uint64_t small = letters & (w << 2) & highs, capital = letters & ~(w << 2) & highs;
        uint64_t sep = spaces | hyphens;
        if ((((small << 8) | prev_small) & capital) || (((sep << 8) | prev_sep) & sep))
            return 0;
        prev_small = small >> 56;
        prev_sep = sep >> 56;
        words += (size_t)(((spaces >> 7) * ones) >> 56); /* a byte each: their sum */
        memcpy(out + i, &lw, 8);
    }
    int was_small = prev_small != 0, was_sep = prev_sep != 0;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (ascii_letter(c)) {
            int small = (c & 0x20) != 0;
            if (!small && was_small)
                return 0;
            was_small = small;
            was_sep = 0;
            out[i] = (char)(c | 0x20);
            continue;
        }
        if (c != ' ' && c != '-')
            return 0;
        if (was_sep)
            return 0;
        words += c == ' ';
        was_small = 0;
        was_sep = 1;
        out[i] = (char)c;
    }
    *ntok = words;
    return 1;
}

#define FOLD_DROP 0u
#define FOLD_UNKNOWN UINT32_MAX

/* The case-folded form of one letter, when NFKC and the case fold keep it
 * one letter; FOLD_DROP for punctuation and spaces whose normal form is
 * punctuation or a space; FOLD_UNKNOWN for anything else (compatibility
 * characters, combining marks, letters that fold to several). */
static uint32_t
fold_cp(uint32_t c)
{
    /* Han, kana and Hangul first: the most letters of a name in them */
    if (c >= 0x3041 && c <= 0x9fff) {
        if (c == 0x30fb)
            return FOLD_DROP;
        if ((c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa) || c == 0x30fc ||
            (c >= 0x3400 && c <= 0x4dbf) || c >= 0x4e00)
            return c;
        return FOLD_UNKNOWN;
    }
    if (c >= 0xac00)
        return c <= 0xd7a3 ? c : FOLD_UNKNOWN;
    if (c == 0xa0 || c == 0xab || c == 0xbb || c == 0xb7 || (c >= 0x2010 && c <= 0x2015) ||
        (c >= 0x2018 && c <= 0x201f) || c == 0x3000 || c == 0x3001 || c == 0x3002 || c == 0x30fb)
        return FOLD_DROP;
    /* Latin-1 and Latin Extended-A */
    if (c >= 0xc0 && c <= 0xff) {
        if (c == 0xd7 || c == 0xf7 || c == 0xdf)
            return FOLD_UNKNOWN;
        return c <= 0xde ? c + 0x20 : c;
    }
    if (c >= 0x100 && c <= 0x17e) {
        if (c == 0x130 || c == 0x132 || c == 0x133 || c == 0x13f || c == 0x140 || c == 0x149)
            return FOLD_UNKNOWN;
        if (c == 0x178)
            return 0xff;
        if (c == 0x138)
            return c;
        if ((c >= 0x139 && c <= 0x148) || c >= 0x179)
            return c + (c & 1);
        return c | 1;
    }
    /* Greek */
    if (c == 0x386)
        return 0x3ac;
    if (c >= 0x388 && c <= 0x38a)
        return c + 0x25;
    if (c == 0x38c)
        return 0x3cc;
    if (c == 0x38e || c == 0x38f)
        return c + 0x3f;
    if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
        return c + 0x20;
    if (c == 0x3c2)
        return 0x3c3;
    if ((c >= 0x3ac && c <= 0x3ce && c != 0x3b0))
        return c;
    /* Cyrillic */
    if (c >= 0x400 && c <= 0x40f)
        return c + 0x50;
    if (c >= 0x410 && c <= 0x42f)
        return c + 0x20;
    if (c >= 0x430 && c <= 0x45f)
        return c;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) || (c >= 0x4d0 && c <= 0x52f))
        return c | 1;
    if (c == 0x4c0)
        return 0x4cf;
    if (c >= 0x4c1 && c <= 0x4ce)
        return c + (c & 1);
    if (c == 0x4cf)
        return c;
    /* Armenian */
    if (c >= 0x531 && c <= 0x556)
        return c + 0x30;
    if (c >= 0x561 && c <= 0x586)
        return c;
    /* scripts without case, minus characters with compatibility or
     * composed forms (Arabic hamza marks, Devanagari nukta letters, Thai
     * sara am, kana voicing marks) */
    if ((c >= 0x5d0 && c <= 0x5ea) || (c >= 0x620 && c <= 0x652) ||
        (c >= 0x66e && c <= 0x6d3 && !(c >= 0x675 && c <= 0x678)) || c == 0x6d5 ||
        (c >= 0x900 && c <= 0x97f && c != 0x929 && c != 0x931 && c != 0x934 && c != 0x93c &&
         !(c >= 0x958 && c <= 0x95f)) ||
        (c >= 0xe01 && c <= 0xe4e && c != 0xe33) || (c >= 0x10d0 && c <= 0x10fa) ||
        (c >= 0x3041 && c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa) || c == 0x30fc ||
        (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
        (c >= 0xac00 && c <= 0xd7a3))
        return c;
    return FOLD_UNKNOWN;
}

/* The code point at u[i] (of cl bytes), or FOLD_UNKNOWN when cut short. */
static uint32_t
decode_at(const unsigned char *u, size_t i, size_t len, size_t cl)
{
    uint32_t c = u[i];
    if (i + cl > len)
        return FOLD_UNKNOWN;
    if (cl == 2)
        return ((c & 0x1fu) << 6) | (u[i + 1] & 0x3fu);
    if (cl == 3)
        return ((c & 0x0fu) << 12) | ((u[i + 1] & 0x3fu) << 6) | (u[i + 2] & 0x3fu);
    return ((c & 0x07u) << 18) | ((u[i + 1] & 0x3fu) << 12) | ((u[i + 2] & 0x3fu) << 6) |
           (u[i + 3] & 0x3fu);
}

int
names_keeps_letter(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t cl = utf8_char_len(u[i]);
        uint32_t c = decode_at(u, i, len, cl);
        if (c != FOLD_UNKNOWN && (c = fold_cp(c)) != FOLD_UNKNOWN && c != FOLD_DROP)
            return 1;
        i += cl;
    }
    return 0;
}

unsigned
names_fold_hash(const char *s, size_t len, uint32_t *hash)
{
    uint32_t h = 2166136261u; /* FNV-1a over the folded characters */
    unsigned seen = 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t c = u[i];
        size_t cl = 1;
        if (c < 0x80) {
            if (ascii_letter((unsigned char)c))
                c |= 0x20;
            else if (!(c >= '0' && c <= '9'))
                c = FOLD_DROP;
        } else {
            cl = utf8_char_len((unsigned char)c);
            if (i + cl > len) {
                seen |= NAMES_FOLD_UNKNOWN;
                break;
            }
            c = decode_at(u, i, len, cl);
            c = fold_cp(c);
            if (c == FOLD_UNKNOWN) {
                seen |= NAMES_FOLD_UNKNOWN;
                c = FOLD_DROP;
            } else if (c != FOLD_DROP) {
                seen |= NAMES_FOLD_LETTER;
            }
        }
        i += cl;
        if (c == FOLD_DROP)
            continue;
        for (; c != 0; c >>= 8)
            h = (h ^ (c & 0xffu)) * 16777619u;
    }
    *hash = h;
    return seen;
}

/* Characters outside ASCII whose normal form (NFKC, case fold) holds an
 * ASCII letter or digit: ª ² ß ſ ǆ ﬁ, letterlike symbols, Roman
 * numerals, circled and full-width letters, mathematical letters, ...
 * (from Unicode's tables, rounded up to whole ranges); and combining
 * marks, which NFKC may compose with the ASCII letter before them
 * ("H" + U+0331 -> "ẖ"). */
static int
may_become_ascii(uint32_t c)
{
    static const uint32_t ranges[][2] = {
        {0x300, 0x36f},   {0x1ab0, 0x1aff},    {0x1dc0, 0x1dff}, {0xfe20, 0xfe2f}, {0xaa, 0xaa},
        {0xb2, 0xb3},     {0xb9, 0xba},        {0xbc, 0xbe},     {0xdf, 0xdf},     {0x130, 0x130},
        {0x132, 0x133},   {0x13f, 0x140},      {0x149, 0x149},   {0x17f, 0x17f},   {0x1c4, 0x1cc},
        {0x1f1, 0x1f3},   {0x2b0, 0x2e3},      {0x1d2c, 0x1dbf}, {0x1e9a, 0x1e9a}, {0x1e9e, 0x1e9e},
        {0x2070, 0x24ff}, {0x2c7c, 0x2c7d},    {0x3250, 0x33ff}, {0xa7f2, 0xa7f4}, {0xfb00, 0xfb06},
        {0xff00, 0xffef}, {0x10000, 0x10ffff},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (c >= ranges[i][0] && c <= ranges[i][1])
            return 1;
    return 0;
}

uint32_t
names_skeleton_hash(const char *s, size_t len, int *safe)
{
    uint32_t h = 2166136261u;
    int ok = 1;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t c = u[i];
        if (c < 0x80) {
            i++;
            if (ascii_letter((unsigned char)c))
                c |= 0x20;
            else if (!(c >= '0' && c <= '9'))
                continue;
            h = (h ^ c) * 16777619u;
            continue;
        }
        size_t cl = utf8_char_len((unsigned char)c);
        if (i + cl > len || c < 0xc2) {
            ok = 0; /* not UTF-8: the core makes it U+FFFD */
            break;
        }
        c = decode_at(u, i, len, cl); /* all of 4 bytes may become ASCII */
        if (may_become_ascii(c))
            ok = 0;
        i += cl;
    }
    *safe = ok;
    return h;
}
