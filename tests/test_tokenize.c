/* test_tokenize.c: the tokeniser on tricky input, token by token, and the
 * same tokens whether the input comes whole or in chunks. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "textpipe/plugin.h"
#include "tokenize.h"

typedef struct toklist {
    tok_span *v;
    size_t n, cap;
    tokenize_counts counts;
} toklist;

static void
toklist_push(toklist *l, const tok_span *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        cr_assert(l->v != NULL);
    }
    l->v[l->n++] = *s;
}

static void
toklist_free(toklist *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void
tokenize_whole(const char *in, size_t n, toklist *out)
{
    tokenizer t;
    tok_span s;
    size_t pos = 0;
    int r;

    tokenize_init(&t);
    while ((r = tokenize_next(&t, in, n, &pos, 1, &s)) == 1)
        toklist_push(out, &s);
    cr_assert_eq(r, -1);
    cr_assert_eq(pos, n);
    out->counts = t.counts;
}

static void
push_span(void *arg, const tok_span *s)
{
    toklist_push(arg, s);
}

/* The caller the contract describes (tokenize_in_chunks in helpers.c). */
static void
tokenize_stream(const char *in, size_t n, size_t chunk, toklist *out)
{
    out->counts = tokenize_in_chunks(in, n, chunk, push_span, out);
}

/* A careless caller: it calls after every chunk whatever it holds and
 * relies on tokenize_next() returning 0 for more. */
static void
tokenize_eager(const char *in, size_t n, size_t chunk, toklist *out)
{
    char *win = malloc(n + 1);
    size_t wlen = 0, pos = 0, k;
    tokenizer t;
    tok_span s;
    int r;

    cr_assert(win != NULL);
    tokenize_init(&t);
    for (;;) {
        k = n - wlen < chunk ? n - wlen : chunk;
        memcpy(win + wlen, in + wlen, k);
        wlen += k;
        while ((r = tokenize_next(&t, win, wlen, &pos, wlen == n, &s)) == 1)
            toklist_push(out, &s);
        if (r < 0)
            break;
        cr_assert(wlen < n, "0 returned at the end of input");
    }
    out->counts = t.counts;
    free(win);
}

static void
assert_same_tokens(const toklist *a, const toklist *b, const char *what)
{
    size_t i;

    cr_assert_eq(a->n, b->n, "%s: %zu tokens, whole gave %zu", what, b->n, a->n);
    for (i = 0; i < a->n; i++) {
        cr_assert(a->v[i].start == b->v[i].start && a->v[i].end == b->v[i].end,
                  "%s: token %zu at %zu-%zu, whole gave %zu-%zu", what, i, b->v[i].start,
                  b->v[i].end, a->v[i].start, a->v[i].end);
        cr_assert_eq(a->v[i].flags, b->v[i].flags, "%s: token %zu flags", what, i);
        cr_assert_eq(a->v[i].newlines, b->v[i].newlines, "%s: token %zu newlines", what, i);
    }
    cr_assert(memcmp(&a->counts, &b->counts, sizeof a->counts) == 0, "%s: counts differ", what);
}

/* One letter per kind flag, in a fixed order. */
static const struct {
    uint32_t flag;
    char letter;
} flag_letters[] = {
    {TP_TOK_WORD, 'W'},       {TP_TOK_NUMBER, 'N'},   {TP_TOK_PUNCT, 'P'},
    {TP_TOK_SYMBOL, 'Y'},     {TP_TOK_CAPITAL, 'C'},  {TP_TOK_ALLCAPS, 'A'},
    {TP_TOK_URL, 'U'},        {TP_TOK_EMAIL, 'E'},    {TP_TOK_MENTION, 'M'},
    {TP_TOK_HASHTAG, 'H'},    {TP_TOK_EMOJI, 'J'},    {TP_TOK_ABBREV, 'B'},
    {TP_TOK_POSSESSIVE, 'S'}, {TP_TOK_QUOTE, 'Q'},    {TP_TOK_INVALID, 'I'},
    {TP_TOK_SENT_START, '!'}, {TP_TOK_STOPWORD, '!'},
};

/* "surface/FLAGS surface/FLAGS ..." (surfaces never hold a space). */
static char *
render_kinds(const char *in, const toklist *l)
{
    size_t cap = 64, len = 0, i, j, n;
    char *s = malloc(cap);

    cr_assert(s != NULL);
    s[0] = '\0';
    for (i = 0; i < l->n; i++) {
        n = l->v[i].end - l->v[i].start;
        if (len + n + 40 > cap) {
            cap = 2 * (len + n + 40);
            s = realloc(s, cap);
            cr_assert(s != NULL);
        }
        if (i)
            s[len++] = ' ';
        memcpy(s + len, in + l->v[i].start, n);
        len += n;
        s[len++] = '/';
        for (j = 0; j < sizeof flag_letters / sizeof flag_letters[0]; j++)
            if (l->v[i].flags & flag_letters[j].flag)
                s[len++] = flag_letters[j].letter;
        s[len] = '\0';
    }
    return s;
}

/* "surface:NEWLINES[+]" per token; + when SPACE is set. */
static char *
render_gaps(const char *in, const toklist *l)
{
    size_t cap = 64, len = 0, i, n;
    char *s = malloc(cap);

    cr_assert(s != NULL);
    s[0] = '\0';
    for (i = 0; i < l->n; i++) {
        n = l->v[i].end - l->v[i].start;
        if (len + n + 40 > cap) {
            cap = 2 * (len + n + 40);
            s = realloc(s, cap);
            cr_assert(s != NULL);
        }
        len += (size_t)sprintf(s + len, "%s%.*s:%u%s", i ? " " : "", (int)n, in + l->v[i].start,
                               l->v[i].newlines, l->v[i].flags & TP_TOK_SPACE ? "+" : "");
        cr_assert_eq(!!(l->v[i].flags & TP_TOK_NEWLINE), l->v[i].newlines > 0);
    }
    return s;
}

typedef struct tcase {
    const char *in;
    size_t len;
    const char *want;
} tcase;

/* Inputs may hold NUL bytes, so their length is taken from the literal. */
#define T(in, want)                                                                                \
    {                                                                                              \
        in, sizeof(in) - 1, want                                                                   \
    }

static const tcase kind_cases[] = {
    /* curly and straight quotes */
    T("“Islamic Emirate”", "“/PQ Islamic/WC Emirate/WC ”/PQ"),
    T("a ‘state’.", "a/W ‘/PQ state/W ’/PQ ./P"),
    T("\"Hello,\" she said 'no'.", "\"/PQ Hello/WC ,/P \"/PQ she/W said/W '/PQ no/W '/PQ ./P"),
    T("«Да» „ja“", "«/PQ Да/WC »/PQ „/PQ ja/W “/PQ"),
    /* possessives with both apostrophes, contractions */
    T("Russia’s move", "Russia/WC ’s/S move/W"),
    T("ISKP's leader", "ISKP/WCA 's/S leader/W"),
    T("anybody’s guess", "anybody/W ’s/S guess/W"),
    T("the Kremlin's, the KREMLIN'S", "the/W Kremlin/WC 's/S ,/P the/W KREMLIN/WCA 'S/S"),
    T("it's It’s let's he’s", "it's/W It’s/WC let's/W he’s/W"),
    T("don't we're O’Brien o'clock", "don't/W we're/W O’Brien/WC o'clock/W"),
    T("states' rights", "states/W '/PQ rights/W"),
    T("'s", "'/PQ s/W"),
    T("x 's", "x/W '/PQ s/W"),
    T("(ISKP)'s", "(/P ISKP/WCA )/P 's/S"),
    /* hyphens and joins */
    T("de-facto al-Assad State-Khorasan IS-K", "de-facto/W al-Assad/W State-Khorasan/WC IS-K/WCA"),
    T("COVID-19 24-hour 1990-2000 well--known -x x-",
      "COVID-19/WCA 24-hour/W 1990/N -/P 2000/N well/W --/P known/W -/P x/W "
      "x/W -/P"),
    T("snake_case _x", "snake_case/W _/P x/W"),
    /* page residue */
    T("View AllHowever", "View/WC All/WC However/WC"),
    T("Read MoreThe news", "Read/WC More/WC The/WC news/W"),
    T("McDonald iPhone LeBron YouTube", "McDonald/WC iPhone/W LeBron/WC You/WC Tube/WC"),
    T("окноДом", "окно/W Дом/WC"),
    /* abbreviations */
    T("U.S. and U.K. troops", "U.S./WCAB and/W U.K./WCAB troops/W"),
    T("e.g., i.e. the", "e.g./WB ,/P i.e./WB the/W"),
    T("Dr. Smith, Mr.Jones", "Dr/WC ./P Smith/WC ,/P Mr/WC ./P Jones/WC"),
    T("J. R. R. Tolkien J.R.R.", "J./WCB R./WCB R./WCB Tolkien/WC J.R.R./WCAB"),
    T("the U.S-led plan B.", "the/W U.S/WCAB -/P led/W plan/W B./WCB"),
    T("a... b", "a/W .../P b/W"),
    /* URLs */
    T("see https://example.org/a_b?x=1&y=(2).", "see/W https://example.org/a_b?x=1&y=(2)/U ./P"),
    T("(www.example.com/path)", "(/P www.example.com/path/U )/P"),
    T("HTTP://X.ORG, http://ru.example.org/wiki/Москва!",
      "HTTP://X.ORG/U ,/P http://ru.example.org/wiki/Москва/U !/P"),
    T("“http://example.org/”", "“/PQ http://example.org//U ”/PQ"),
    T("http:// www.", "http/W :/P //P //P www/W ./P"),
    /* e-mail */
    T("mail john.doe+tag@mail.example.co.uk.", "mail/W john.doe+tag@mail.example.co.uk/E ./P"),
    T("j.smith@example.org a@b x@y.z", "j.smith@example.org/E a/W @b/M x/W @y/M ./P z/W"),
    /* mentions and hashtags */
    T("@user_1 said #Breaking2025 #1 # x@", "@user_1/M said/W #Breaking2025/H #/Y 1/N #/Y x/W @/Y"),
    /* numbers */
    T("1,000 3.14 2,021.5 12% 1,2,3 1,0000",
      "1,000/N 3.14/N 2,021.5/N 12/N %/Y 1/N ,/P 2/N ,/P 3/N 1/N ,/P 0000/N"),
    T("3rd 1990s -5 $40 192.168.0.1 in 2021.",
      "3rd/W 1990s/W -/P 5/N $/Y 40/N 192.168.0.1/N in/W 2021/N ./P"),
    T("½ 10² km² ٣٤", "½/N 10²/N km²/W ٣٤/N"),
    /* Cyrillic, Greek */
    T("Москва — столица России.", "Москва/WC —/P столица/W России/WC ./P"),
    T("Москва’s", "Москва/WC ’s/S"),
    T("Η Αθήνα είναι ΕΛΛΑΔΑ.", "Η/WC Αθήνα/WC είναι/W ΕΛΛΑΔΑ/WCA ./P"),
    /* scripts without spaces */
    T("東京都に住んでいます。", "東/W 京/W 都/W に/W 住/W んでいます/W 。/P"),
    T("カタカナーです 人々 ｶﾀｶﾅ", "カタカナー/W です/W 人々/W ｶﾀｶﾅ/W"),
    T("「東京」abc中", "「/PQ 東/W 京/W 」/PQ abc/W 中/W"),
    T("서울은 크다", "서울은/W 크다/W"),
    /* emoji and symbols */
    T("Hi😀👍🏽 👨‍👩‍👧 🇺🇸🇬🇧",
      "Hi/WC 😀/YJ 👍🏽/YJ 👨‍👩‍👧/YJ 🇺🇸/YJ 🇬🇧/YJ"),
    T("1️⃣ #️⃣ *️⃣ ❤️ © ©️ ™",
      "1️⃣/YJ #️⃣/YJ *️⃣/YJ ❤️/YJ ©/Y ©️/YJ ™/Y"),
    T("🏴󠁧󠁢󠁳󠁣󠁴󠁿!", "🏴󠁧󠁢󠁳󠁣󠁴󠁿/YJ !/P"),
    T("a+b=c € ★ ♥︎", "a/W +/Y b/W =/Y c/W €/Y ★/Y ♥︎/Y"),
    /* combining marks stay in the word */
    T("e\xCC\x81te\xCC\x81 Cafe\xCC\x81s \xCC\x81x",
      "e\xCC\x81te\xCC\x81/W Cafe\xCC\x81s/WC \xCC\x81x/W"),
    T("co\xC2\xADoperate ab\xE2\x80\x8C"
      "cd",
      "co\xC2\xADoperate/W ab\xE2\x80\x8C"
      "cd/W"),
    /* invalid UTF-8: in the word, or a token of its own */
    T("caf\xE9 na\xEFve \xFF\xFE x \xC9t\xE9",
      "caf\xE9/WI na\xEFve/WI \xFF\xFE/YI x/W \xC9t\xE9/WI"),
    T("\xED\xA0\x80 \xC0\xAF \xF4\x90\x80\x80 \xE2\x82",
      "\xED\xA0\x80/YI \xC0\xAF/YI \xF4\x90\x80\x80/YI \xE2\x82/YI"),
    T("\x80.", "\x80/YI ./P"),
    /* gaps that are not white space */
    T("a\0b\x01"
      "c\x7F"
      "d",
      "a/W b/W c/W d/W"),
    T("\xEF\xBB\xBFHello\xEF\xBB\xBFworld", "Hello/WC world/W"),
    T("a\xE2\x80\x8B"
      "b\xE2\x80\x8E"
      "c",
      "a/W b/W c/W"),
};

static void
check_kinds(const tcase *c)
{
    toklist l = {0};
    char *got;

    tokenize_whole(c->in, c->len, &l);
    got = render_kinds(c->in, &l);
    cr_expect_str_eq(got, c->want, "input \"%s\"", c->in);
    free(got);
    toklist_free(&l);
}

Test(tokenize, kinds)
{
    size_t i;

    for (i = 0; i < sizeof kind_cases / sizeof kind_cases[0]; i++)
        check_kinds(&kind_cases[i]);
}

static const tcase gap_cases[] = {
    T("a b\tc", "a:0 b:0+ c:0+"),
    T("a\r\nb\rc\n\nd\r\n\r\ne\n \n f", "a:0 b:1+ c:1+ d:2+ e:2+ f:2+"),
    T("a\fb\xE2\x80\xA8"
      "c\xE2\x80\xA9"
      "d\xC2\x85"
      "e",
      "a:0 b:1+ c:1+ d:2+ e:1+"),
    T("\n\nTitle\nText", "Title:2+ Text:1+"),
    T("a\xC2\xA0"
      "b\xE3\x80\x80"
      "c\xE2\x80\xAF"
      "d",
      "a:0 b:0+ c:0+ d:0+"),
    T("a\0b\xEF\xBB\xBF"
      "c\xE2\x80\x8B"
      "d",
      "a:0 b:0+ c:0 d:0"),
    T("a\r", "a:0"),
};

Test(tokenize, gaps)
{
    size_t i;

    for (i = 0; i < sizeof gap_cases / sizeof gap_cases[0]; i++) {
        toklist l = {0};
        char *got;

        tokenize_whole(gap_cases[i].in, gap_cases[i].len, &l);
        got = render_gaps(gap_cases[i].in, &l);
        cr_expect_str_eq(got, gap_cases[i].want, "case %zu", i);
        free(got);
        toklist_free(&l);
    }
}

Test(tokenize, counts)
{
    static const char in[] = "\xEF\xBB\xBF"
                             "a\0\0b\x01\x1B"
                             "c\r\nd\re\n"
                             "f\xE2\x80\xA8g\xE2\x80\xA9h\xC2\x85i"
                             " caf\xE9 \xFF\xFE \xE2\x82 \xC2\x9F.";
    toklist l = {0};

    tokenize_whole(in, sizeof in - 1, &l);
    cr_expect_eq(l.counts.bom, 1);
    cr_expect_eq(l.counts.nul, 2);
    cr_expect_eq(l.counts.control, 4); /* 01, 1B, NEL, U+009F */
    cr_expect_eq(l.counts.crlf, 1);
    cr_expect_eq(l.counts.cr, 1);
    cr_expect_eq(l.counts.linesep, 2);
    cr_expect_eq(l.counts.invalid, 4); /* E9, FF, FE, E2 82 */
    cr_expect_eq(l.counts.cut, 0);
    toklist_free(&l);
}

Test(tokenize, empty_and_blank_input)
{
    tokenizer t;
    tok_span s;
    size_t pos = 0;

    tokenize_init(&t);
    cr_assert_eq(tokenize_next(&t, "", 0, &pos, 1, &s), -1);
    tokenize_init(&t);
    cr_assert_eq(tokenize_next(&t, " \n\r\n ", 5, &pos, 1, &s), -1);
    cr_assert_eq(pos, 5);
    cr_assert_eq(t.counts.crlf, 1);
}

Test(tokenize, needs_more_input)
{
    tokenizer t;
    tok_span s;
    size_t pos = 0;

    /* Without eof and without the lookahead, only white space is eaten. */
    tokenize_init(&t);
    cr_assert_eq(tokenize_next(&t, "  \n word", 8, &pos, 0, &s), 0);
    cr_assert_eq(pos, 0);
    /* The gap seen so far is carried to the token. */
    {
        static char in[TOKENIZE_LOOKAHEAD + 8];
        memset(in, ' ', sizeof in);
        in[0] = '\n';
        pos = 0;
        tokenize_init(&t);
        cr_assert_eq(tokenize_next(&t, in, sizeof in, &pos, 0, &s), 0);
        cr_assert_eq(pos, 9);
        memcpy(in, "word", 4);
        pos = 0;
        cr_assert_eq(tokenize_next(&t, in, 4, &pos, 1, &s), 1);
        cr_assert_eq(s.start, 0);
        cr_assert_eq(s.end, 4);
        cr_assert_eq(s.newlines, 1);
        cr_assert_eq(s.flags, TP_TOK_WORD | TP_TOK_SPACE | TP_TOK_NEWLINE);
    }
}

static void
check_cut(const char *in, size_t n, const size_t *ends, size_t nends, uint64_t cuts)
{
    toklist l = {0};
    size_t i;

    tokenize_whole(in, n, &l);
    cr_assert_eq(l.n, nends);
    for (i = 0; i < nends; i++) {
        cr_expect_eq(l.v[i].end, ends[i], "token %zu ends at %zu", i, l.v[i].end);
        cr_expect_leq(l.v[i].end - l.v[i].start, TOKENIZE_MAX);
    }
    cr_expect_eq(l.counts.cut, cuts);
    toklist_free(&l);
}

Test(tokenize, long_tokens_are_cut)
{
    char *in = malloc(4000);
    size_t i;

    cr_assert(in != NULL);
    memset(in, 'a', 3000);
    check_cut(in, 3000, (size_t[]){1024, 2048, 3000}, 3, 2);
    /* never inside a character: 2-byte letters from an odd offset */
    in[0] = 'x';
    for (i = 1; i + 1 < 3001; i += 2)
        memcpy(in + i, "\xD0\xB6", 2);
    check_cut(in, 3001, (size_t[]){1023, 2047, 3001}, 3, 2);
    memcpy(in, "http://", 7);
    memset(in + 7, 'u', 2000);
    check_cut(in, 2007, (size_t[]){1024, 2007}, 2, 1);
    memset(in, '.', 1500);
    check_cut(in, 1500, (size_t[]){1024, 1500}, 2, 1);
    free(in);
}

/* Input made of every case above, joined by assorted gaps. */
static char *
all_cases(size_t *len)
{
    static const char *const gaps[] = {" ", "\n", "\r\n", "\r", "\n\n", "\xE2\x80\xA8", "\t", "\0"};
    size_t n = 0, i, ng = sizeof gaps / sizeof gaps[0];
    size_t nk = sizeof kind_cases / sizeof kind_cases[0];
    char *s = malloc(1 << 16);

    cr_assert(s != NULL);
    for (i = 0; i < nk; i++) {
        memcpy(s + n, kind_cases[i].in, kind_cases[i].len);
        n += kind_cases[i].len;
        memcpy(s + n, gaps[i % ng], strlen(gaps[i % ng]) + (i % ng == ng - 1));
        n += strlen(gaps[i % ng]) + (i % ng == ng - 1);
    }
    *len = n;
    return s;
}

static void
check_streaming(const char *in, size_t n)
{
    static const size_t chunks[] = {1, 7, 4096};
    toklist whole = {0}, part = {0};
    char what[64];
    size_t i;

    tokenize_whole(in, n, &whole);
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        tokenize_stream(in, n, chunks[i], &part);
        snprintf(what, sizeof what, "chunks of %zu", chunks[i]);
        assert_same_tokens(&whole, &part, what);
        toklist_free(&part);
        tokenize_eager(in, n, chunks[i], &part);
        snprintf(what, sizeof what, "eager chunks of %zu", chunks[i]);
        assert_same_tokens(&whole, &part, what);
        toklist_free(&part);
    }
    toklist_free(&whole);
}

Test(tokenize, streaming_cases)
{
    size_t n;
    char *in = all_cases(&n);

    check_streaming(in, n);
    free(in);
}

Test(tokenize, streaming_long_tokens)
{
    size_t n = 5000, i;
    char *in = malloc(n);

    cr_assert(in != NULL);
    /* long runs straddle every window boundary */
    for (i = 0; i < n; i++)
        in[i] = i % 1500 < 1400 ? 'a' : i % 1500 < 1450 ? ' ' : '\n';
    check_streaming(in, n);
    free(in);
}

Test(tokenize, streaming_seed)
{
    const char *dir = shared_dir();
    char path[4096];
    size_t n;
    char *in;

    if (dir == NULL)
        cr_skip_test("shared directory not found, skipping");
    snprintf(path, sizeof path, "%s/seeds/000_ac663f40620822e4.txt", dir);
    in = read_file(path, &n);
    if (in == NULL)
        cr_skip_test("%s not found, skipping", path);
    check_streaming(in, n);
    free(in);
}

Test(tokenize, streaming_nasty_file)
{
    size_t n;
    char *in = read_file(test_data("nasty-unicode.txt"), &n);

    cr_assert(in != NULL, "tests/data/nasty-unicode.txt is missing");
    check_streaming(in, n);
    free(in);
}
