/* sentence.c: the sentence splitter: after each token, whether the open
 * sentence ends there (stops, abbreviations, initials, closing quotes),
 * which whole lines are headings, and where paragraphs start, in both
 * one-paragraph-per-line and hard-wrapped text. */
#include "config.h"

#include "sentence.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "alloc.h"

/* Hard-wrapped prose is wrapped at 80 characters or less; a line longer
 * than this shows that the text puts one paragraph on a line. */
#define WRAP_MAX_CHARS 100
/* A heading is a short line. */
#define HEADING_MAX_WORDS 12
#define HEADING_MAX_TOKENS 40
/* Abbreviations are short; a longer word before a dot is not one. */
#define ABBREV_MAX 62

struct splitter {
    const wordlist *abbrevs;
    uint64_t nsent;         /* sentences ended (or cut by the caller) so far */
    uint64_t para;          /* paragraph index of the last ended sentence */
    int pending_para;       /* the open sentence starts a paragraph */
    int last_ended;         /* the previous call ended a sentence */
    int doc_start;          /* no token of the document seen yet */
    int sent_at_line_start; /* the open sentence began a line */
    int sent_multiline;     /* a line break inside the open sentence */
    /* What the document has shown of its line structure so far. */
    uint64_t wrapped;    /* short lines that broke inside a sentence */
    uint64_t long_lines; /* lines too long to be hard-wrapped */
    /* The current line: where its first token starts, and how many UTF-8
     * continuation bytes its tokens hold (to count characters). */
    uint64_t line_start;
    uint64_t line_extra;
    uint64_t line_len; /* characters in the current line so far */
    /* The longest line so far that could be wrapped: the wrap width. */
    uint64_t max_line;
    int heading; /* decide() ended the sentence as a heading line */
    size_t cut;  /* sentence_cut(): where a glued title ends, or 0 */
};

splitter *
sentence_new(const wordlist *abbrevs)
{
    splitter *sp = xcalloc(1, sizeof *sp);
    sp->abbrevs = abbrevs;
    sentence_reset(sp);
    return sp;
}

void
sentence_free(splitter *sp)
{
    free(sp);
}

void
sentence_reset(splitter *sp)
{
    const wordlist *abbrevs = sp->abbrevs;
    memset(sp, 0, sizeof *sp);
    sp->abbrevs = abbrevs;
    sp->last_ended = 1;
    sp->doc_start = 1;
}

/* ---- token classes --------------------------------------------------- */

static int
attached(const tp_token *t)
{
    return (t->flags & (TP_TOK_SPACE | TP_TOK_NEWLINE)) == 0;
}

static int
surface_is(const tp_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->surface_len == n && memcmp(t->surface, s, n) == 0;
}

static int32_t
first_codepoint(const char *s, size_t len)
{
    utf8proc_int32_t c = -1;
    if (len > 0)
        utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    return c;
}

static size_t
codepoints(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* A word that begins with a lowercase letter continues a sentence.  Words
 * of scripts without case are not lowercase. */
static int
is_lower_word(const tp_token *t)
{
    if ((t->flags & TP_TOK_WORD) == 0 || (t->flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS)) != 0)
        return 0;
    unsigned char c = (unsigned char)t->surface[0];
    if (c < 0x80)
        return c >= 'a' && c <= 'z';
    int32_t cp = first_codepoint(t->surface, t->surface_len);
    return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static int
is_word(const tp_token *t)
{
    return (t->flags & (TP_TOK_WORD | TP_TOK_NUMBER | TP_TOK_ABBREV)) != 0;
}

static int
is_capitalised(const tp_token *t)
{
    return (t->flags & (TP_TOK_CAPITAL | TP_TOK_ALLCAPS | TP_TOK_NUMBER)) != 0;
}

/* What may follow a stop inside its sentence: a closing bracket, or a
 * quotation mark glued to what precedes it. */
static int
is_closer(const tp_token *t)
{
    if ((t->flags & TP_TOK_PUNCT) == 0)
        return 0;
    if (surface_is(t, ")") || surface_is(t, "]") || surface_is(t, "}"))
        return 1;
    return (t->flags & TP_TOK_QUOTE) != 0 && attached(t);
}

/* Punctuation that may start a sentence: opening quotes and brackets,
 * inverted marks, dashes and bullets. */
static int
is_opener(const tp_token *t)
{
    if ((t->flags & TP_TOK_QUOTE) != 0)
        return 1;
    if ((t->flags & TP_TOK_PUNCT) == 0)
        return 0;
    static const char *const openers[] = {
        "(",
        "[",
        "{",
        "\xC2\xBF" /* ¿ */,
        "\xC2\xA1" /* ¡ */,
        "-",
        "*",
        "\xE2\x80\x93" /* – */,
        "\xE2\x80\x94" /* — */,
        "\xE2\x80\xA2" /* • */,
    };
    for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++)
        if (surface_is(t, openers[i]))
            return 1;
    return 0;
}

/* A list item begins with a bullet at the start of a line. */
static int
is_bullet(const tp_token *t)
{
    static const char *const bullets[] = {
        "-",
        "*",
        "\xE2\x80\xA2" /* • */,
        "\xC2\xB7" /* · */,
        "\xE2\x80\x93" /* – */,
        "\xE2\x80\x94" /* — */,
        "\xE2\x96\xAA" /* ▪ */,
        "\xE2\x96\xBA" /* ► */,
    };
    if ((t->flags & (TP_TOK_PUNCT | TP_TOK_SYMBOL)) == 0)
        return 0;
    for (size_t i = 0; i < sizeof bullets / sizeof bullets[0]; i++)
        if (surface_is(t, bullets[i]))
            return 1;
    return 0;
}

enum stop_kind { STOP_NONE, STOP_PERIOD, STOP_STRONG, STOP_ELLIPSIS, STOP_ABBREV };

/* The kind of stop a token is: . ! ? … and their counterparts in other
 * scripts, alone or in runs (?!, ...). */
static enum stop_kind
stop_kind(const tp_token *t)
{
    if ((t->flags & TP_TOK_ABBREV) != 0)
        return t->norm_len > 0 && t->norm[t->norm_len - 1] == '.' ? STOP_ABBREV : STOP_NONE;
    if ((t->flags & TP_TOK_PUNCT) == 0 || t->norm_len == 0)
        return STOP_NONE;
    size_t dots = 0, strong = 0, ellipses = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)t->norm;
    utf8proc_ssize_t left = (utf8proc_ssize_t)t->norm_len;
    while (left > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
        if (k <= 0)
            return STOP_NONE;
        p += k;
        left -= k;
        switch (c) {
        case '.':
        case 0x3002: /* ideographic full stop */
        case 0x0589: /* Armenian full stop */
        case 0x06D4: /* Arabic full stop */
        case 0x0964: /* Devanagari danda */
        case 0x0965: /* double danda */
        case 0x1362: /* Ethiopic full stop */ dots++; break;
        case '!':
        case '?':
        case 0x061F: /* Arabic question mark */ strong++; break;
        case 0x2026: /* horizontal ellipsis, if NFKC left one */ ellipses++; break;
        default: return STOP_NONE;
        }
    }
    if (strong > 0)
        return STOP_STRONG;
    if (ellipses > 0 || dots > 1)
        return STOP_ELLIPSIS;
    return STOP_PERIOD;
}

/* ---- abbreviations --------------------------------------------------- */

enum abbrev_kind { ABBR_NONE, ABBR_TITLE, ABBR_OTHER };

/* A title ("dr.", "mr.") stands before a name and never ends a sentence;
 * the list marks it with a leading '>' (">dr.").  Any other abbreviation,
 * and an initial, ends one only before a sentence opener. */
static enum abbrev_kind
abbrev_kind(const splitter *sp, const tp_token *toks, size_t stop)
{
    const tp_token *s = &toks[stop];
    char key[ABBREV_MAX + 3];
    size_t len;
    int chain = 0; /* a dotted chain such as "U.S.", an abbreviation by form */
    int initial = 0;
    if ((s->flags & TP_TOK_ABBREV) != 0) {
        if (s->norm_len > ABBREV_MAX)
            return ABBR_NONE;
        memcpy(key + 1, s->norm, s->norm_len);
        len = s->norm_len;
        chain = 1;
        initial = codepoints(s->surface, s->surface_len) == 2 && (s->flags & TP_TOK_CAPITAL) != 0;
    } else {
        if (stop == 0 || !attached(s))
            return ABBR_NONE;
        const tp_token *w = &toks[stop - 1];
        if ((w->flags & TP_TOK_WORD) == 0 || w->norm_len + 1 > ABBREV_MAX)
            return ABBR_NONE;
        memcpy(key + 1, w->norm, w->norm_len);
        key[1 + w->norm_len] = '.';
        len = w->norm_len + 1;
        initial = (w->flags & TP_TOK_CAPITAL) != 0 && codepoints(w->surface, w->surface_len) == 1;
    }
    key[0] = '>';
    if (wordlist_has(sp->abbrevs, key, len + 1))
        return ABBR_TITLE;
    if (chain || initial || wordlist_has(sp->abbrevs, key + 1, len))
        return ABBR_OTHER;
    return ABBR_NONE;
}

/* After an abbreviation, a capitalised function word ("The", "It", "He")
 * starts a new sentence, where a capitalised name ("U.S. Congress") does
 * not.  The caller flags stopwords before splitting. */
static int
opens_sentence(const tp_token *t)
{
    return (t->flags & TP_TOK_CAPITAL) != 0 && (t->flags & TP_TOK_STOPWORD) != 0;
}

/* Text scraped from web pages loses spaces ("the end.The next"): a
 * capitalised function word glued to a stop still opens a sentence, where
 * other glued words ("Ph.D", "ASP.NET") do not. */
static int
glued_opener(const tp_token *t)
{
    return opens_sentence(t) && (t->flags & TP_TOK_ALLCAPS) == 0 && t->norm_len >= 2;
}

/* ---- headings -------------------------------------------------------- */

/* A function word that a title-case heading leaves in lowercase. */
static int
is_small_word(const tp_token *t)
{
    return (t->flags & TP_TOK_STOPWORD) != 0 || t->norm_len <= 3;
}

/* Is this whole line (toks[0, n)) a heading: short, not ending in . ! , ;
 * : and either a question or mostly capitalised words?  `alone`: the line
 * is a paragraph of its own (a blank line or the end follows, or the text
 * puts a paragraph on a line), where a short line without a stop is a
 * heading even in sentence case ("Use of CCTV cameras"); inside
 * hard-wrapped prose only title case tells a heading from a cut line. */
static int
heading_like(const tp_token *toks, size_t n, int alone)
{
    if (n > HEADING_MAX_TOKENS)
        return 0;
    size_t last = n;
    while (last > 0 && is_closer(&toks[last - 1]))
        last--;
    if (last == 0)
        return 0;
    const tp_token *e = &toks[last - 1];
    int question = 0;
    if (!is_word(e)) {
        if (stop_kind(e) != STOP_STRONG || memchr(e->norm, '?', e->norm_len) == NULL)
            return 0;
        question = 1;
    }
    /* A list item ("1. Check the gauge", "- open it") is a heading only in
     * title case ("1. Introduction"). */
    if (is_bullet(&toks[0]) || ((toks[0].flags & TP_TOK_NUMBER) && n > 1 &&
                                (surface_is(&toks[1], ".") || surface_is(&toks[1], ")"))))
        alone = 0;
    size_t words = 0, caps = 0, lower = 0;
    const tp_token *first = NULL, *lastw = NULL;
    for (size_t i = 0; i < last; i++) {
        const tp_token *t = &toks[i];
        if (!is_word(t))
            continue;
        words++;
        if (first == NULL)
            first = t;
        lastw = t;
        caps += is_capitalised(t);
        if (is_lower_word(t) && !is_small_word(t))
            lower++;
    }
    if (words == 0 || words > HEADING_MAX_WORDS)
        return 0;
    if (question)
        return 1;
    if (!is_capitalised(first) || caps == 0)
        return 0;
    /* Headings do not end in "of", "the", "and": such a line is cut prose. */
    if (is_lower_word(lastw) && is_small_word(lastw))
        return 0;
    return alone || 4 * lower <= caps + lower;
}

/* ---- the decision ---------------------------------------------------- */

/* Does the text put a paragraph on a line?  Judged by the majority, so
 * that one long line (a URL, a table row) in wrapped text, or a few cut
 * lines in one-paragraph-per-line text, do not flip the judgement. */
static int
per_line(const splitter *sp)
{
    return sp->long_lines > sp->wrapped;
}

static int
whole_line(const splitter *sp)
{
    return sp->sent_at_line_start && !sp->sent_multiline;
}

static int
line_has_words(const tp_token *toks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_word(&toks[i]) || (toks[i].flags & TP_TOK_EMOJI) != 0)
            return 1;
    return 0;
}

/* Would the next word have fitted on this line?  A line of wrapped prose
 * was broken because it did not; a heading line ends early on purpose.
 * The next token may be only the start of the word that wrapped
 * ("Cochran" of "Cochran's"), hence a margin. */
static int
line_has_room(const splitter *sp, const tp_token *next)
{
    if (sp->max_line == 0)
        return 1; /* the first line: no width to compare with */
    return sp->line_len + 4 + codepoints(next->surface, next->surface_len) <= sp->max_line;
}

static int
decide(splitter *sp, const tp_token *toks, size_t n, const tp_token *next, uint32_t next_newlines)
{
    const tp_token *t = &toks[n - 1];
    if (next == NULL || next_newlines >= 2)
        return 1;
    int at_break = next_newlines > 0;
    /* The common case, a word inside a line, decides nothing. */
    if (!at_break && (t->flags & (TP_TOK_WORD | TP_TOK_NUMBER)) && (t->flags & TP_TOK_ABBREV) == 0)
        return 0;
    /* A break after a line that is too long to be wrapped ends a paragraph,
     * and so does any break in text that puts a paragraph on a line. */
    int long_line = at_break && sp->line_len > WRAP_MAX_CHARS;
    if (long_line)
        sp->long_lines++;
    int cut = at_break && !long_line; /* a break that may be a wrap */
    if (at_break && !is_lower_word(next)) {
        if (long_line || per_line(sp))
            return 1;
        if (whole_line(sp) && heading_like(toks, n, 0) && line_has_room(sp, next)) {
            sp->heading = 1;
            return 1;
        }
        if (whole_line(sp) && !line_has_words(toks, n))
            return 1;
        /* A bullet starts a list item after an item or an introducing
         * colon; elsewhere a dash at the start of a line is wrapped prose. */
        if (is_bullet(next) && (is_bullet(&toks[0]) || surface_is(t, ":")))
            return 1;
    }

    /* Find the stop, looking back past closing quotes and brackets (and
     * emoji) that belong to the sentence it ends. */
    size_t stop = n;
    while (stop > 0 && (is_closer(&toks[stop - 1]) || (toks[stop - 1].flags & TP_TOK_EMOJI)))
        stop--;
    enum stop_kind kind = stop > 0 ? stop_kind(&toks[stop - 1]) : STOP_NONE;
    if (kind == STOP_NONE || (attached(next) && !glued_opener(next)) || is_lower_word(next) ||
        ((next->flags & TP_TOK_PUNCT) && !is_opener(next)) || (next->flags & TP_TOK_EMOJI)) {
        if (cut)
            sp->wrapped++;
        return 0;
    }
    stop--;
    if (kind == STOP_STRONG || kind == STOP_ELLIPSIS)
        return 1;

    switch (abbrev_kind(sp, toks, stop)) {
    case ABBR_TITLE:
        if (cut)
            sp->wrapped++;
        return 0;
    case ABBR_OTHER:
        if (opens_sentence(next))
            return 1;
        if (cut)
            sp->wrapped++;
        return 0;
    case ABBR_NONE: break;
    }
    /* "1." at the start of a line numbers a list item. */
    if (stop == 1 && (toks[0].flags & TP_TOK_NUMBER) && sp->sent_at_line_start)
        return 0;
    return 1;
}

/* A title in sentence case glued to the first sentence of its paragraph
 * ("Une chance pour l'Europe" + line break + "L'accord ... ."): decide()
 * could not tell the break from a wrap, having seen no other line.  At the
 * sentence's end it can: the line before its only break reads as a heading
 * standing alone, and the line after it runs longer than a wrapped line
 * can, so the text puts a paragraph on a line.  Where to cut, or 0. */
static size_t
title_cut(const splitter *sp, const tp_token *toks, const tok_layout *lay, size_t n)
{
    if (!sp->sent_at_line_start || !sp->sent_multiline || sp->line_len <= WRAP_MAX_CHARS)
        return 0;
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (lay[i].newlines == 0)
            continue;
        if (k > 0 || lay[i].newlines > 1)
            return 0;
        k = i;
    }
    if (k == 0 || !is_capitalised(&toks[k]) || !heading_like(toks, k, 1))
        return 0;
    return k;
}

size_t
sentence_cut(const splitter *sp)
{
    return sp->cut;
}

int
sentence_ends(splitter *sp, const tp_token *toks, const tok_layout *lay, size_t n,
              const tp_token *next, uint32_t next_newlines, uint32_t *flags, uint64_t *paragraph)
{
    const tp_token *t = &toks[n - 1];
    uint32_t nl = lay[n - 1].newlines;
    if (n == 1) {
        if (!sp->last_ended) {
            /* The caller cut the last sentence at its cap: it counts. */
            if (sp->pending_para && sp->nsent > 0)
                sp->para++;
            sp->nsent++;
            sp->pending_para = 0;
        }
        sp->sent_at_line_start = sp->doc_start || nl > 0;
        sp->sent_multiline = 0;
    } else if (nl > 0) {
        sp->sent_multiline = 1;
    }
    if (sp->doc_start || nl > 0) {
        sp->line_start = t->start;
        sp->line_extra = 0;
    }
    sp->doc_start = 0;
    sp->line_extra += lay[n - 1].cont;
    sp->line_len = t->end - sp->line_start - sp->line_extra;

    sp->heading = 0;
    sp->cut = 0;
    sp->last_ended = decide(sp, toks, n, next, next_newlines);
    if (next_newlines > 0 && sp->line_len <= WRAP_MAX_CHARS && sp->line_len > sp->max_line)
        sp->max_line = sp->line_len;
    if (!sp->last_ended) {
        /* What the sentence gets should the caller cut it at its cap now. */
        int starts = sp->nsent == 0 || sp->pending_para;
        *flags = starts ? TP_SENT_PARA_START : 0;
        *paragraph = starts && sp->nsent > 0 ? sp->para + 1 : sp->para;
        return 0;
    }

    /* A line that stands as a paragraph of its own was not judged as a
     * heading by decide(): judge it here, leniently. */
    uint32_t f = 0;
    if (sp->heading ||
        (whole_line(sp) &&
         (next == NULL || next_newlines >= 2 || (next_newlines > 0 && per_line(sp))) &&
         heading_like(toks, n, 1)))
        f |= TP_SENT_HEADING;
    if (sp->nsent == 0 || sp->pending_para || (f & TP_SENT_HEADING)) {
        if (!(f & TP_SENT_HEADING))
            sp->cut = title_cut(sp, toks, lay, n);
        if (sp->nsent > 0)
            sp->para++;
        f |= TP_SENT_PARA_START;
    }
    if (sp->cut > 0) {
        /* The title is a sentence and a paragraph of its own, and its line
         * break was no wrap after all. */
        sp->nsent++;
        sp->para++;
        if (sp->wrapped > 0)
            sp->wrapped--;
    }
    *flags = f;
    *paragraph = sp->para;
    sp->nsent++;

    /* Does the next sentence start a paragraph?  A blank line says so; so
     * does a line break after a heading; a plain line break only in text
     * that puts one paragraph on a line, not in hard-wrapped text. */
    if (next_newlines >= 2 || (f & TP_SENT_HEADING))
        sp->pending_para = 1;
    else if (next_newlines == 1)
        sp->pending_para = per_line(sp) || sp->wrapped == 0 || sp->line_len > WRAP_MAX_CHARS;
    else
        sp->pending_para = 0;
    return 1;
}
