/* tokenize.c: finds tokens (words, numbers, URLs, emoji, punctuation) and
 * their kinds in UTF-8 bytes, streaming, with an ASCII fast path. */
#include "tokenize.h"
#include "utf8.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

#include "textpipe/plugin.h"

/* The rules, where a choice had to be made:
 *
 * Words.  A word is a run of letters (any script), combining marks, digits
 * and other numbers.  Inside a word (never at its ends): an apostrophe
 * (' or U+2019) between a letter or digit and a letter ("don't", "O’Brien");
 * a hyphen (-, U+2010, U+2011) or underscore between letters or digits
 * ("de-facto", "COVID-19", "snake_case"), except a hyphen between two
 * digits ("1990-2000" is a range: 1990 - 2000); the invisible joiners SHY,
 * ZWNJ, ZWJ and WJ.  Invalid UTF-8 next to letters stays in the word, which
 * is then flagged INVALID too.
 *
 * Possessives.  A trailing 's or ’s (the s ending the word) is split off as
 * its own token, flagged POSSESSIVE and nothing else: not a WORD, so word
 * counts do not see it ("Russia’s" -> "Russia" "’s"),
 * unless the word before is a pronoun-like word where 's is "is", "has" or
 * "us" (it he she that there here what who where when why how let): "it's"
 * and "let’s" stay whole, like the other contractions ("don't", "we're",
 * "they'll" are never split).  A plural possessive ("states' rights") keeps
 * its apostrophe as a QUOTE token: it cannot be told from a closing quote.
 * An 's right after any token is possessive ("(ISKP)'s"); after a gap, or
 * at the start of the input, it is a quote and a word.
 *
 * Page residue.  A letter run is split before an uppercase letter that
 * follows a lowercase one, when the uppercase letter is followed by a
 * lowercase one and the run of letters before it is 3 or more long:
 * "View AllHowever" -> "View" "All" "However".  "McDonald", "iPhone",
 * "LeBron", "DeVito" survive (2 letters or fewer before); known casualties
 * are longer camel-case names ("YouTube" -> "You" "Tube", "JavaScript").
 *
 * Numbers.  Digits with "." between digits ("3.14", "192.168.0.1") and ","
 * followed by exactly three digits ("1,000", "2,021.5"; "1,2,3" stays
 * apart) form a NUMBER.  Digits followed by letters make a WORD ("1990s",
 * "3rd", "G7").  "12%" is "12" and the SYMBOL "%"; signs are separate.
 *
 * Abbreviations.  Only chains of single letters each followed by a dot are
 * kept whole and flagged ABBREV: "U.S.", "e.g.", "i.e.", "J.", "J.R.R.",
 * and "U.S" without its final dot.  Any other word and its dot are two
 * tokens ("Dr." is "Dr" "."): the sentence splitter decides with its list.
 *
 * Punctuation.  One token per character, except runs of two or more dots
 * ("...") or ASCII hyphens ("--") which are one token each; "…" is one
 * character anyway.  Quotation marks are PUNCT|QUOTE: " and ', the Unicode
 * initial and final quotes, „ ‚ « » ‹ › 「 」 『 』 〝 〞 〟 and the
 * full-width " and '; ' and ’ only where they are not inside a word.  The
 * backtick is not a quote.  ASCII # $ % & * + < = > @ \ ^ ` | ~ and the
 * Unicode symbol categories are SYMBOL; other punctuation is PUNCT.
 *
 * URLs, e-mail, tags.  http:// https:// ftp:// and www. start a URL
 * (domains without them do not); it runs to white space or a character
 * that cannot be in a URL, minus trailing . , ; : ! ? ' * and unbalanced
 * closing brackets.  E-mail is ASCII local@domain.tld.  @name is MENTION,
 * #tag (with at least one letter) is HASHTAG.
 *
 * Emoji.  An Extended_Pictographic or regional-indicator character starts
 * an EMOJI|SYMBOL token that runs to the end of its grapheme cluster, so
 * ZWJ sequences, skin tones, flags and tag sequences are one token; so are
 * keycaps ("1️⃣").  Pictographs that are text by default (© ™ ★ ♥: below
 * U+1F000 and not Emoji_Presentation) are one SYMBOL token with the same
 * extent, EMOJI only when U+FE0F follows; U+FE0E makes any of them text.
 *
 * Scripts without spaces.  Each Han character is its own WORD (with the
 * iteration mark 々); Hiragana and Katakana runs are one WORD each (the
 * prolonged sound mark ー goes with either).  Thai, Lao, Khmer and similar
 * scripts come out as whole letter runs: splitting them needs a dictionary.
 * Korean is written with spaces: a token is a space-separated eojeol, its
 * particles attached ("서울은").
 *
 * Case.  CAPITAL: the first letter is upper- or titlecase.  ALLCAPS: two or
 * more letters, all upper- or titlecase.  Set on words and abbreviations,
 * not on URLs, e-mail addresses, tags or the possessive.
 *
 * The gap.  Spaces (TAB, Unicode Zs) set SPACE.  LF, CR LF, lone CR, FF,
 * NEL and U+2028 each count one line break, U+2029 counts two, so a blank
 * line makes 2 or more; line breaks set NEWLINE and SPACE.  NUL and other
 * control characters are gaps that set SPACE (they stand where something
 * separated the text); a BOM and the invisible format characters (ZWSP,
 * bidi marks, a joiner outside a word) are gaps that do not.  NULs, other
 * controls (NEL among them), BOMs, CR LF, lone CRs and U+2028/U+2029 are
 * counted in t->counts.  Invalid UTF-8 is never a gap: it is kept in a
 * word, or becomes an INVALID|SYMBOL token (a run of bad bytes is one), so
 * offsets always cover the input exactly.  Each maximal ill-formed subpart
 * (as Unicode defines it) counts as one invalid sequence, the same units
 * the normaliser turns into U+FFFD. */

/* Character kinds.  The first ones are word characters: a word goes on
 * over any of them. */
/* clang-format off */
enum {
    K_LOWER, K_UPPER, K_LETTER, K_DIGIT, K_MARK, K_NUMOTHER, K_INVALID,
    K_JOINFMT,
    K_HAN, K_HIRA, K_KATA, K_KANA_LONG,
    K_APOS, K_QUOTE, K_HYPHEN, K_DOT, K_COMMA, K_UNDERSCORE, K_AT, K_HASH,
    K_PUNCT, K_SYMBOL, K_EMOJI, K_RI,
    K_SPACE, K_LF, K_CR, K_FF, K_NUL, K_CTRL, K_NEL, K_LS, K_PS, K_BOM,
    K_INVISIBLE,
    K_HIGH, /* in the ASCII table: a byte >= 0x80, decode it */
    K_END,  /* past the end of the buffer */
};
/* clang-format on */

#define is_wordchar(k) ((k) <= K_JOINFMT)
#define is_letter(k) ((k) <= K_LETTER)
#define is_alnum(k) ((k) <= K_DIGIT)

/* The kind of every byte; bytes >= 0x80 are K_HIGH. */
#define NU K_NUL
#define CT K_CTRL
#define SP K_SPACE
#define LF K_LF
#define FF K_FF
#define CR K_CR
#define PU K_PUNCT
#define QU K_QUOTE
#define HA K_HASH
#define SY K_SYMBOL
#define AP K_APOS
#define CO K_COMMA
#define HY K_HYPHEN
#define DO K_DOT
#define DI K_DIGIT
#define AT K_AT
#define UP K_UPPER
#define LO K_LOWER
#define US K_UNDERSCORE
#define HI K_HIGH
/* clang-format off */
static const unsigned char ascii_kind[256] = {
    NU, CT, CT, CT, CT, CT, CT, CT, CT, SP, LF, CT, FF, CR, CT, CT, /* 00 */
    CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, /* 10 */
    SP, PU, QU, HA, SY, SY, SY, AP, PU, PU, SY, SY, CO, HY, DO, PU, /* 20 */
    DI, DI, DI, DI, DI, DI, DI, DI, DI, DI, PU, PU, SY, SY, SY, PU, /* 30 */
    AT, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, /* 40 */
    UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, PU, SY, PU, SY, US, /* 50 */
    SY, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, /* 60 */
    LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, PU, SY, PU, SY, CT, /* 70 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* 80 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* 90 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* a0 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* b0 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* c0 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* d0 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* e0 */
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, /* f0 */
};
/* clang-format on */
#undef NU
#undef CT
#undef SP
#undef LF
#undef FF
#undef CR
#undef PU
#undef QU
#undef HA
#undef SY
#undef AP
#undef CO
#undef HY
#undef DO
#undef DI
#undef AT
#undef UP
#undef LO
#undef US
#undef HI

static int
is_han(int32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

static int
unicode_kind(int32_t c)
{
    const utf8proc_property_t *pr;

    if (c < 0)
        return K_INVALID;
    switch (c) {
    case 0x2019: return K_APOS;
    case 0x2010:
    case 0x2011: return K_HYPHEN;
    case 0x0085: return K_NEL;
    case 0x2028: return K_LS;
    case 0x2029: return K_PS;
    case 0xFEFF: return K_BOM;
    case 0x00AD:
    case 0x200C:
    case 0x200D:
    case 0x2060: return K_JOINFMT;
    case 0x201A:
    case 0x201E:
    case 0x2E42:
    case 0x300C:
    case 0x300D:
    case 0x300E:
    case 0x300F:
    case 0x301D:
    case 0x301E:
    case 0x301F:
    case 0xFF02:
    case 0xFF07: return K_QUOTE;
    case 0x3005:
    case 0x303B: return K_HAN;
    case 0x30FC:
    case 0xFF70:
    case 0xFF9E:
    case 0xFF9F: return K_KANA_LONG;
    }
    if (c >= 0x3000 && c <= 0x31FF) {
        if ((c >= 0x3041 && c <= 0x3096) || (c >= 0x309D && c <= 0x309F))
            return K_HIRA;
        if ((c >= 0x30A1 && c <= 0x30FA) || (c >= 0x30FD && c <= 0x30FF) || c >= 0x31F0)
            return K_KATA;
    } else if (c >= 0xFF66 && c <= 0xFF9D) {
        return K_KATA;
    } else if (is_han(c)) {
        return K_HAN;
    }
    pr = utf8proc_get_property(c);
    if (pr->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
        pr->boundclass == UTF8PROC_BOUNDCLASS_E_ZWG)
        return K_EMOJI;
    if (pr->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR)
        return K_RI;
    switch (pr->category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return K_UPPER;
    case UTF8PROC_CATEGORY_LL: return K_LOWER;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL: return K_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return K_MARK;
    case UTF8PROC_CATEGORY_ND: return K_DIGIT;
    case UTF8PROC_CATEGORY_NO: return K_NUMOTHER;
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF: return K_QUOTE;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PO: return K_PUNCT;
    case UTF8PROC_CATEGORY_ZS: return K_SPACE;
    case UTF8PROC_CATEGORY_ZL: return K_LS;
    case UTF8PROC_CATEGORY_ZP: return K_PS;
    case UTF8PROC_CATEGORY_CC: return K_CTRL;
    case UTF8PROC_CATEGORY_CF: return K_INVISIBLE;
    default: /* symbols, unassigned, private use */ return K_SYMBOL;
    }
}

/* The kinds of U+0080..U+07FF (Latin, Greek, Cyrillic, Armenian, Hebrew,
 * Arabic...), looked up once: the property lookup is half the time spent
 * on such text otherwise. */
static unsigned char two_byte_kind[0x800 - 0x80];
static pthread_once_t two_byte_once = PTHREAD_ONCE_INIT;

static void
build_two_byte_kinds(void)
{
    int32_t c;

    for (c = 0x80; c < 0x800; c++)
        two_byte_kind[c - 0x80] = (unsigned char)unicode_kind(c);
}

/* kind_at() for a byte >= 0x80, kept out of line so that the ASCII case
 * inlines everywhere. */
static int
kind_at_high(const unsigned char *b, size_t q, size_t len, size_t *cl, int32_t *cp)
{
    unsigned char c = b[q];

    if (c >= 0xC2 && c <= 0xDF && q + 1 < len && (b[q + 1] & 0xC0) == 0x80) {
        *cl = 2;
        *cp = ((int32_t)(c & 0x1F) << 6) | (b[q + 1] & 0x3F);
        return two_byte_kind[*cp - 0x80];
    }
    *cl = utf8_decode(b + q, len - q, cp);
    return unicode_kind(*cp);
}

/* The kind of the character at b[q], its length in *cl and code point in
 * *cp (-1 when invalid or past the end). */
static inline int
kind_at(const unsigned char *b, size_t q, size_t len, size_t *cl, int32_t *cp)
{
    if (q >= len) {
        *cl = 0;
        *cp = -1;
        return K_END;
    }
    if (b[q] < 0x80) {
        *cl = 1;
        *cp = b[q];
        return ascii_kind[b[q]];
    }
    return kind_at_high(b, q, len, cl, cp);
}

static inline int
peek_kind(const unsigned char *b, size_t q, size_t len)
{
    size_t cl;
    int32_t cp;

    return kind_at(b, q, len, &cl, &cp);
}

static inline unsigned char
ascii_lower(unsigned char c)
{
    return (unsigned)(c - 'A') < 26u ? (unsigned char)(c + 32) : c;
}

/* Is b[0, n) a word after which 's means "is", "has" or "us"? */
static int
is_contracting_pronoun(const unsigned char *b, size_t n)
{
    static const char *const words[] = {
        "it",  "he",    "she",  "that", "there", "here", "what",
        "who", "where", "when", "why",  "how",   "let",
    };
    char low[6];
    size_t i;

    if (n < 2 || n > 5)
        return 0;
    for (i = 0; i < n; i++)
        low[i] = (char)ascii_lower(b[i]);
    low[n] = '\0';
    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(low, words[i]) == 0)
            return 1;
    return 0;
}

/* A run of letters, digits and marks with its inner joiners, from b[p]
 * (a word character).  Returns its end; sets *flags and *cut. */
static size_t
scan_word(const unsigned char *b, size_t p, size_t lim, size_t len, uint32_t *flags, int *cut)
{
    size_t q = p, r, cl;
    int32_t cp;
    unsigned letters = 0, uppers = 0, digits = 0, numothers = 0, run = 0;
    int first_letter = -1, prev = -1, invalid = 0, k, nk;

    for (;;) {
        /* The common case, a run of ASCII lowercase letters, in one go. */
        for (r = q; r < lim && (unsigned)(b[r] - 'a') < 26u; r++)
            ;
        if (r > q) {
            if (first_letter < 0)
                first_letter = K_LOWER;
            letters += (unsigned)(r - q);
            run += (unsigned)(r - q);
            prev = K_LOWER;
            q = r;
        }
        if (q >= lim) {
            *cut = q < len && is_wordchar(peek_kind(b, q, len));
            break;
        }
        k = kind_at(b, q, len, &cl, &cp);
        if (q + cl > lim) {
            *cut = is_wordchar(k);
            break;
        }
        switch (k) {
        case K_UPPER:
            if (prev == K_LOWER && run >= 3 && peek_kind(b, q + cl, len) == K_LOWER)
                goto done;
            uppers++;
            /* fall through */
        case K_LOWER:
        case K_LETTER:
            if (first_letter < 0)
                first_letter = k;
            letters++;
            run++;
            prev = k;
            q += cl;
            continue;
        case K_DIGIT:
            digits++;
            run = 0;
            prev = K_DIGIT;
            q += cl;
            continue;
        case K_NUMOTHER:
            numothers++;
            run = 0;
            prev = K_NUMOTHER;
            q += cl;
            continue;
        case K_INVALID:
            invalid = 1;
            run = 0;
            prev = K_INVALID;
            q += cl;
            continue;
        case K_MARK:
        case K_JOINFMT: q += cl; continue;
        case K_APOS:
            nk = peek_kind(b, q + cl, len);
            if (!is_letter(nk) || prev < 0 || prev > K_INVALID)
                goto done;
            if ((b[q + cl] | 0x20) == 's' && !is_wordchar(peek_kind(b, q + cl + 1, len))) {
                if (!is_contracting_pronoun(b + p, q - p))
                    goto done; /* the possessive is the next token */
                if (b[q + cl] == 'S')
                    uppers++;
                letters++;
                q += cl + 1;
                prev = K_LOWER;
                continue;
            }
            run = 0;
            prev = K_APOS;
            q += cl;
            continue;
        case K_HYPHEN:
        case K_UNDERSCORE:
            nk = peek_kind(b, q + cl, len);
            if (prev < 0 || prev > K_INVALID || !is_alnum(nk))
                goto done;
            if (k == K_HYPHEN && prev == K_DIGIT && nk == K_DIGIT)
                goto done;
            run = 0;
            prev = k;
            q += cl;
            continue;
        case K_DOT:
            if (letters || invalid || numothers || prev != K_DIGIT ||
                peek_kind(b, q + 1, len) != K_DIGIT)
                goto done;
            prev = K_DOT;
            q++;
            continue;
        case K_COMMA:
            if (letters || invalid || numothers || prev != K_DIGIT || q + 4 > len ||
                ascii_kind[b[q + 1]] != K_DIGIT || ascii_kind[b[q + 2]] != K_DIGIT ||
                ascii_kind[b[q + 3]] != K_DIGIT || peek_kind(b, q + 4, len) == K_DIGIT)
                goto done;
            prev = K_COMMA;
            q++;
            continue;
        default: goto done;
        }
    }
done:
    if (letters == 0 && !invalid && (digits || numothers))
        *flags = TP_TOK_NUMBER;
    else if (letters || digits)
        *flags = TP_TOK_WORD;
    else
        *flags = TP_TOK_SYMBOL;
    if (invalid)
        *flags |= TP_TOK_INVALID;
    if (first_letter == K_UPPER)
        *flags |= TP_TOK_CAPITAL;
    if (letters >= 2 && uppers == letters)
        *flags |= TP_TOK_ALLCAPS;
    return q;
}

/* A chain of single letters each followed by a dot ("U.S.", "e.g.", "J."),
 * from b[p] (a letter).  Returns its end, or 0 when there is none. */
static size_t
scan_abbrev(const unsigned char *b, size_t p, size_t lim, size_t len, uint32_t *flags)
{
    size_t q = p, after, cl, end = 0;
    int32_t cp;
    unsigned letters = 0, uppers = 0;
    int k, first = -1;

    for (;;) {
        k = kind_at(b, q, len, &cl, &cp);
        if (!is_letter(k))
            break;
        after = q + cl;
        while (after < lim && peek_kind(b, after, len) == K_MARK)
            after += utf8_decode(b + after, len - after, &cp);
        if (after < lim && b[after] == '.' && !(after + 1 < len && b[after + 1] == '.')) {
            end = after + 1;
        } else if (end && !is_wordchar(peek_kind(b, after, len)) && after <= lim) {
            end = after; /* "U.S" without its last dot */
        } else {
            break;
        }
        if (first < 0)
            first = k;
        letters++;
        uppers += k == K_UPPER;
        q = end;
        if (end == after)
            break;
    }
    if (!end)
        return 0;
    *flags = TP_TOK_WORD | TP_TOK_ABBREV;
    if (first == K_UPPER)
        *flags |= TP_TOK_CAPITAL;
    if (letters >= 2 && uppers == letters)
        *flags |= TP_TOK_ALLCAPS;
    return end;
}

/* Length of a URL's start ("http://", "https://", "ftp://", "www.") at
 * b[p] when a letter or digit follows it, else 0. */
static size_t
url_prefix(const unsigned char *b, size_t p, size_t len)
{
    static const char *const starts[] = {"http://", "https://", "ftp://", "www."};
    size_t i, j, n;

    for (i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        n = strlen(starts[i]);
        if (p + n >= len)
            continue;
        for (j = 0; j < n; j++)
            if (ascii_lower(b[p + j]) != (unsigned char)starts[i][j])
                break;
        if (j == n && is_alnum(peek_kind(b, p + n, len)))
            return n;
    }
    return 0;
}

static int
is_url_ascii(unsigned char c)
{
    return c > ' ' && c < 0x7F && !strchr("\"<>\\^`{|}", c);
}

static size_t
scan_url(const unsigned char *b, size_t p, size_t lim, size_t len, int *cut)
{
    size_t q = p, cl, open = 0, close = 0;
    int32_t cp;
    int k;

    for (;;) {
        if (q < len && b[q] < 0x80) {
            if (!is_url_ascii(b[q]))
                break;
            if (q >= lim) {
                *cut = 1;
                break;
            }
            open += b[q] == '(' || b[q] == '[';
            close += b[q] == ')' || b[q] == ']';
            q++;
            continue;
        }
        k = kind_at(b, q, len, &cl, &cp);
        if (!is_wordchar(k) || k == K_INVALID || k == K_JOINFMT)
            break;
        if (q + cl > lim) {
            *cut = 1;
            break;
        }
        q += cl;
    }
    if (*cut)
        return q;
    /* Trailing punctuation belongs to the sentence, not the URL. */
    while (q > p) {
        unsigned char c = b[q - 1];
        if (strchr(".,;:!?'*", c)) {
            q--;
        } else if ((c == ')' || c == ']') && close > open) {
            close--;
            q--;
        } else {
            break;
        }
    }
    return q;
}

static int
is_email_local(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u || (unsigned)(c - '0') < 10u || c == '.' ||
           c == '_' || c == '%' || c == '+' || c == '-';
}

/* An e-mail address local@domain.tld from b[p], or 0. */
static size_t
scan_email(const unsigned char *b, size_t p, size_t lim)
{
    size_t q = p, dom, lastdot = 0, i;

    while (q < lim && is_email_local(b[q]))
        q++;
    if (q == p || q >= lim || b[q] != '@' || b[q - 1] == '.')
        return 0;
    dom = ++q;
    while (q < lim && ((unsigned)((b[q] | 0x20) - 'a') < 26u || (unsigned)(b[q] - '0') < 10u ||
                       b[q] == '-' || (b[q] == '.' && q > dom && b[q - 1] != '.')))
        q++;
    while (q > dom && (b[q - 1] == '.' || b[q - 1] == '-'))
        q--;
    for (i = dom; i < q; i++)
        if (b[i] == '.')
            lastdot = i;
    if (!lastdot || q - lastdot < 3)
        return 0;
    for (i = lastdot + 1; i < q; i++)
        if ((unsigned)((b[i] | 0x20) - 'a') >= 26u)
            return 0;
    return q;
}

/* The name after @ or #: letters, digits, marks, underscores.  Returns its
 * end (q when there is none); *letters says whether it had a letter. */
static size_t
scan_tag(const unsigned char *b, size_t q, size_t lim, size_t len, int *letters)
{
    size_t cl;
    int32_t cp;
    int k;

    *letters = 0;
    for (;;) {
        k = kind_at(b, q, len, &cl, &cp);
        if (q + cl > lim)
            break;
        if (is_letter(k) || (k >= K_HAN && k <= K_KANA_LONG))
            *letters = 1;
        else if (!(k == K_DIGIT || k == K_MARK || k == K_UNDERSCORE || k == K_JOINFMT))
            break;
        q += cl;
    }
    return q;
}

/* A keycap emoji (0-9 # * then U+FE0F and U+20E3) at b[p]: its end, or 0. */
static size_t
scan_keycap(const unsigned char *b, size_t p, size_t len)
{
    if (p + 7 <= len && memcmp(b + p + 1, "\xEF\xB8\x8F\xE2\x83\xA3", 6) == 0)
        return p + 7;
    if (p + 4 <= len && memcmp(b + p + 1, "\xE2\x83\xA3", 3) == 0)
        return p + 4;
    return 0;
}

/* Pictographs below U+1F000 that are drawn as emoji without U+FE0F (the
 * Emoji_Presentation property); the others (© ™ ★ ♥ ...) are text. */
static int
is_emoji_presentation(int32_t c)
{
    static const int32_t ranges[][2] = {
        {0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE},
        {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
        {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4},
        {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
        {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
        {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
        {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
    };
    size_t i;

    if (c >= 0x1F000)
        return 1;
    for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (c >= ranges[i][0] && c <= ranges[i][1])
            return 1;
    return 0;
}

/* One grapheme cluster from b[p], whose first character is c. */
static size_t
scan_cluster(const unsigned char *b, size_t p, size_t cl, int32_t c, size_t lim, size_t len,
             int *cut)
{
    size_t q = p + cl;
    int32_t state = 0, prev = c, cp;

    for (;;) {
        kind_at(b, q, len, &cl, &cp);
        if (cp < 0)
            break;
        if (utf8proc_grapheme_break_stateful(prev, cp, &state))
            break;
        if (q + cl > lim) {
            *cut = 1;
            break;
        }
        prev = cp;
        q += cl;
    }
    return q;
}

/* A character and the marks (variation selectors among them) after it. */
static size_t
scan_with_marks(const unsigned char *b, size_t q, size_t lim, size_t len)
{
    size_t cl;
    int32_t cp;

    while (kind_at(b, q, len, &cl, &cp) == K_MARK && q + cl <= lim)
        q += cl;
    return q;
}

/* A run of characters of kind `k` (or of the prolonged sound mark or
 * marks), for kana. */
static size_t
scan_kana(const unsigned char *b, size_t q, size_t lim, size_t len, int k, int *cut)
{
    size_t cl;
    int32_t cp;
    int nk;

    for (;;) {
        nk = kind_at(b, q, len, &cl, &cp);
        if (!(nk == k || nk == K_KANA_LONG || nk == K_MARK))
            break;
        if (q + cl > lim) {
            *cut = 1;
            break;
        }
        q += cl;
    }
    return q;
}

static size_t
scan_run_of(const unsigned char *b, size_t q, size_t lim, size_t len, unsigned char c, int *cut)
{
    while (q < lim && b[q] == c)
        q++;
    *cut = q == lim && q < len && b[q] == c;
    return q;
}

static uint64_t
count_invalid(const unsigned char *s, size_t n)
{
    uint64_t count = 0;
    size_t i = 0;
    int32_t cp;

    while (i < n) {
        i += utf8_decode(s + i, n - i, &cp);
        count += cp < 0;
    }
    return count;
}

void
tokenize_init(tokenizer *t)
{
    memset(t, 0, sizeof *t);
    t->at_start = 1;
    pthread_once(&two_byte_once, build_two_byte_kinds);
}

/* The token that starts at b[p] with character kind k (length cl, code
 * point c).  Returns its end and sets *flags and *cut. */
static size_t
scan_token(tokenizer *t, const unsigned char *b, size_t p, size_t len, int k, size_t cl, int32_t c,
           uint32_t *flags, int *cut)
{
    size_t lim = len - p > TOKENIZE_MAX ? p + TOKENIZE_MAX : len;
    size_t q, n;
    int letters;

    switch (k) {
    case K_LOWER:
    case K_UPPER:
    case K_LETTER:
        /* Cheap test first: "ht", "ft", "ww" in any case. */
        if (p + 1 < len && (b[p + 1] | 0x20) == ((b[p] | 0x20) == 'w' ? 'w' : 't') &&
            ((b[p] | 0x20) == 'h' || (b[p] | 0x20) == 'f' || (b[p] | 0x20) == 'w')) {
            n = url_prefix(b, p, len);
            if (n) {
                *flags = TP_TOK_URL;
                return scan_url(b, p + n, lim, len, cut);
            }
        }
        if (b[p] >= 0x80 || (p + 1 < len && b[p + 1] == '.')) {
            if (b[p] < 0x80 && (q = scan_email(b, p, lim))) {
                *flags = TP_TOK_EMAIL;
                return q;
            }
            q = scan_abbrev(b, p, lim, len, flags);
            if (q)
                return q;
        }
        /* fall through */
    case K_DIGIT:
    case K_MARK:
    case K_NUMOTHER:
        if (k == K_DIGIT && (q = scan_keycap(b, p, len))) {
            *flags = TP_TOK_EMOJI | TP_TOK_SYMBOL;
            return q;
        }
        q = scan_word(b, p, lim, len, flags, cut);
        /* Cheap test first: only a word stopped by a character that can
         * be in an e-mail address can start one. */
        if (q < len && b[q] < 0x80 && (is_email_local(b[q]) || b[q] == '@') &&
            (n = scan_email(b, p, lim))) {
            *cut = 0;
            *flags = TP_TOK_EMAIL;
            return n;
        }
        return q;
    case K_INVALID:
        for (q = p + cl; q < lim; q += cl)
            if (kind_at(b, q, len, &cl, &c) != K_INVALID || q + cl > lim)
                break;
        if (q < lim && is_alnum(peek_kind(b, q, len)))
            return scan_word(b, p, lim, len, flags, cut);
        *flags = TP_TOK_INVALID | TP_TOK_SYMBOL;
        return q;
    case K_HAN:
        *flags = TP_TOK_WORD;
        q = scan_with_marks(b, p + cl, lim, len);
        while (q + 3 <= lim &&
               (memcmp(b + q, "\xE3\x80\x85", 3) == 0 || memcmp(b + q, "\xE3\x80\xBB", 3) == 0))
            q = scan_with_marks(b, q + 3, lim, len);
        return q;
    case K_HIRA:
    case K_KATA:
    case K_KANA_LONG:
        *flags = TP_TOK_WORD;
        return scan_kana(b, p + cl, lim, len, k == K_HIRA ? K_HIRA : K_KATA, cut);
    case K_APOS:
        if (!t->at_start && !t->gap_space && !t->gap_newlines && p + cl < len &&
            (b[p + cl] | 0x20) == 's' && !is_wordchar(peek_kind(b, p + cl + 1, len))) {
            *flags = TP_TOK_POSSESSIVE;
            return p + cl + 1;
        }
        *flags = TP_TOK_PUNCT | TP_TOK_QUOTE;
        return p + cl;
    case K_QUOTE: *flags = TP_TOK_PUNCT | TP_TOK_QUOTE; return p + cl;
    case K_DOT: *flags = TP_TOK_PUNCT; return scan_run_of(b, p, lim, len, '.', cut);
    case K_HYPHEN:
        *flags = TP_TOK_PUNCT;
        if (b[p] != '-')
            return p + cl;
        return scan_run_of(b, p, lim, len, '-', cut);
    case K_AT:
        q = scan_tag(b, p + 1, lim, len, &letters);
        if (q > p + 1) {
            *flags = TP_TOK_MENTION;
            return q;
        }
        *flags = TP_TOK_SYMBOL;
        return p + 1;
    case K_HASH:
        if ((q = scan_keycap(b, p, len))) {
            *flags = TP_TOK_EMOJI | TP_TOK_SYMBOL;
            return q;
        }
        q = scan_tag(b, p + 1, lim, len, &letters);
        if (letters) {
            *flags = TP_TOK_HASHTAG;
            return q;
        }
        *flags = TP_TOK_SYMBOL;
        return p + 1;
    case K_EMOJI:
    case K_RI:
        q = scan_cluster(b, p, cl, c, lim, len, cut);
        *flags = TP_TOK_SYMBOL;
        if (q >= p + cl + 3 && memcmp(b + p + cl, "\xEF\xB8\x8E", 3) == 0)
            return q; /* VS15 asks for text */
        if (k == K_RI || is_emoji_presentation(c) ||
            (q >= p + cl + 3 && memcmp(b + p + cl, "\xEF\xB8\x8F", 3) == 0))
            *flags |= TP_TOK_EMOJI;
        return q;
    case K_SYMBOL:
        if (b[p] == '*' && (q = scan_keycap(b, p, len))) {
            *flags = TP_TOK_EMOJI | TP_TOK_SYMBOL;
            return q;
        }
        *flags = TP_TOK_SYMBOL;
        return scan_with_marks(b, p + cl, lim, len);
    default: /* K_COMMA, K_UNDERSCORE, K_PUNCT */ *flags = TP_TOK_PUNCT; return p + cl;
    }
}

int
tokenize_next(tokenizer *t, const char *buf, size_t len, size_t *pos, int eof, tok_span *out)
{
    const unsigned char *b = (const unsigned char *)buf;
    size_t p = *pos, cl, end, gap_end;
    int32_t c;
    uint32_t flags = 0;
    int k, cut = 0;

    /* The gap: white space, line breaks and invisible characters, as far
     * as the lookahead allows. */
    gap_end = eof ? len : len >= TOKENIZE_LOOKAHEAD ? len - TOKENIZE_LOOKAHEAD + 1 : 0;
    for (;;) {
        if (p >= gap_end) {
            *pos = p;
            return eof ? -1 : 0;
        }
        if (b[p] == ' ') {
            t->gap_space = 1;
            p++;
            continue;
        }
        k = kind_at(b, p, len, &cl, &c);
        switch (k) {
        case K_SPACE: t->gap_space = 1; break;
        case K_LF:
        case K_FF:
            t->gap_newlines++;
            t->gap_space = 1;
            break;
        case K_CR:
            if (p + 1 < len && b[p + 1] == '\n') {
                cl = 2;
                t->counts.crlf++;
            } else {
                t->counts.cr++;
            }
            t->gap_newlines++;
            t->gap_space = 1;
            break;
        case K_NEL:
            t->counts.control++;
            t->gap_newlines++;
            t->gap_space = 1;
            break;
        case K_LS:
        case K_PS:
            t->counts.linesep++;
            t->gap_newlines += k == K_PS ? 2 : 1;
            t->gap_space = 1;
            break;
        case K_NUL:
            t->counts.nul++;
            t->gap_space = 1;
            break;
        case K_CTRL:
            t->counts.control++;
            t->gap_space = 1;
            break;
        case K_BOM: t->counts.bom++; break;
        case K_INVISIBLE:
        case K_JOINFMT: break;
        default: goto token;
        }
        p += cl;
    }
token:
    end = scan_token(t, b, p, len, k, cl, c, &flags, &cut);
    if (cut)
        t->counts.cut++;
    if (flags & TP_TOK_INVALID)
        t->counts.invalid += count_invalid(b + p, end - p);
    out->start = p;
    out->end = end;
    out->flags = flags;
    if (t->gap_space)
        out->flags |= TP_TOK_SPACE;
    if (t->gap_newlines)
        out->flags |= TP_TOK_NEWLINE;
    out->newlines = t->gap_newlines;
    t->gap_space = 0;
    t->gap_newlines = 0;
    t->at_start = 0;
    *pos = end;
    return 1;
}
