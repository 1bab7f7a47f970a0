/* test_sentence.c: the sentence splitter on texts with known splits,
 * headings and paragraphs, run through the real tokeniser and normaliser
 * by a small driver that plays the pipeline's part; and the word lists. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "helpers.h"
#include "normalize.h"
#include "sentence.h"
#include "tokenize.h"
#include "wordlist.h"

#define LANG_DIR TP_SRCDIR "/data/lang/"

static wordlist *
load_list(const char *name)
{
    char err[512];
    wordlist *w = wordlist_new();
    int rc = wordlist_load(w, name, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    return w;
}

/* Append a sentence as one line: paragraph index, H (heading), P
 * (paragraph start) and C (cut at the cap), '|', then its text with white space runs as one
 * space, so that wrapped and CRLF text compare as plain strings. */
static void
add_sentence(buf *out, const char *text, uint64_t start, uint64_t end, uint32_t flags,
             uint64_t para)
{
    char head[48];
    snprintf(head, sizeof head, "%llu%s%s%s|", (unsigned long long)para,
             (flags & TP_SENT_HEADING) ? "H" : "", (flags & TP_SENT_PARA_START) ? "P" : "",
             (flags & TP_SENT_CAPPED) ? "C" : "");
    buf_adds(out, head);
    int space = 0;
    for (uint64_t i = start; i < end; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (space)
            buf_addc(out, ' ');
        space = 0;
        buf_addc(out, c);
    }
    buf_addc(out, '\n');
}

/* Tokenise, normalise, flag stopwords and split text as the pipeline does,
 * cutting sentences at `max_tokens` as its hard cap does (0: no cap); the
 * sentences come back one a line (see add_sentence).  Free the result. */
static char *
split_capped(const char *text, size_t len, size_t max_tokens)
{
    wordlist *stop = load_list(LANG_DIR "stopwords-english.txt");
    wordlist *abbr = load_list(LANG_DIR "abbreviations-english.txt");
    normalizer *nz = normalize_new();
    tokenizer tz;
    tokenize_init(&tz);

    tok_span *spans = NULL;
    size_t *norm_off = NULL, *norm_len = NULL;
    size_t n = 0, cap = 0, pos = 0;
    buf norms = BUF_INIT;
    tok_span s;
    while (tokenize_next(&tz, text, len, &pos, 1, &s) == 1) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            spans = realloc(spans, cap * sizeof *spans);
            norm_off = realloc(norm_off, cap * sizeof *norm_off);
            norm_len = realloc(norm_len, cap * sizeof *norm_len);
            cr_assert(spans && norm_off && norm_len);
        }
        spans[n] = s;
        norm_off[n] = norms.len;
        norm_len[n] = normalize_append(nz, text + s.start, s.end - s.start, &norms);
        buf_addc(&norms, '\0');
        n++;
    }

    tp_token *toks = calloc(n ? n : 1, sizeof *toks);
    tok_layout *lay = calloc(n ? n : 1, sizeof *lay);
    cr_assert(toks && lay);
    for (size_t i = 0; i < n; i++) {
        tp_token *t = &toks[i];
        t->size = sizeof *t;
        t->surface = text + spans[i].start;
        t->surface_len = (uint32_t)(spans[i].end - spans[i].start);
        t->norm = norms.data + norm_off[i];
        t->norm_len = (uint32_t)norm_len[i];
        t->stem = t->norm;
        t->stem_len = t->norm_len;
        t->flags = spans[i].flags;
        if ((t->flags & TP_TOK_WORD) && wordlist_has(stop, t->norm, t->norm_len))
            t->flags |= TP_TOK_STOPWORD;
        t->start = spans[i].start;
        t->end = spans[i].end;
        lay[i].newlines = spans[i].newlines;
        for (uint32_t k = 0; k < t->surface_len; k++)
            lay[i].cont += ((unsigned char)t->surface[k] & 0xC0) == 0x80;
    }

    buf out = BUF_INIT;
    buf_adds(&out, "");
    splitter *sp = sentence_new(abbr);
    size_t first = 0;
    uint64_t last_para = 0;
    for (size_t i = 0; i < n; i++) {
        const tp_token *next = i + 1 < n ? &toks[i + 1] : NULL;
        uint32_t next_nl = i + 1 < n ? lay[i + 1].newlines : 0;
        uint32_t flags = 0;
        uint64_t para = last_para;
        int ends = sentence_ends(sp, toks + first, lay + first, i - first + 1, next, next_nl,
                                 &flags, &para);
        if (!ends && max_tokens > 0 && i - first + 1 >= max_tokens) {
            flags |= TP_SENT_CAPPED; /* as the pipeline does */
            ends = 1;
        }
        size_t cut = ends && !(flags & TP_SENT_CAPPED) ? sentence_cut(sp) : 0;
        if (cut > 0) {
            add_sentence(&out, text, toks[first].start, toks[first + cut - 1].end,
                         TP_SENT_HEADING | TP_SENT_PARA_START, para - 1);
            first += cut;
        }
        if (ends) {
            add_sentence(&out, text, toks[first].start, toks[i].end, flags, para);
            last_para = para;
            first = i + 1;
        }
    }
    cr_assert_eq(first, n, "the last sentence was left open");

    sentence_free(sp);
    free(toks);
    free(lay);
    free(spans);
    free(norm_off);
    free(norm_len);
    buf_free(&norms);
    normalize_free(nz);
    wordlist_free(stop);
    wordlist_free(abbr);
    return out.data;
}

static char *
split(const char *text, size_t len)
{
    return split_capped(text, len, 0);
}

static void
expect_split(const char *text, const char *expected)
{
    char *got = split(text, strlen(text));
    cr_expect_str_eq(got, expected, "text:\n%s\n--- got:\n%s--- expected:\n%s", text, got,
                     expected);
    free(got);
}

Test(sentence, terminal_punctuation)
{
    expect_split("It rained. Did it stop? No! We stayed in.", "0P|It rained.\n"
                                                              "0|Did it stop?\n"
                                                              "0|No!\n"
                                                              "0|We stayed in.\n");
    /* A lowercase word after a stop continues the sentence. */
    expect_split("Really? yes, really. And then?! nothing at all.",
                 "0P|Really? yes, really.\n"
                 "0|And then?! nothing at all.\n");
    /* Scraped text that lost the space after a stop. */
    expect_split("It was the end.The next day came. She has a Ph.D. in law.",
                 "0P|It was the end.\n"
                 "0|The next day came.\n"
                 "0|She has a Ph.D. in law.\n");
}

Test(sentence, abbreviations)
{
    expect_split("Dr. Smith met Mr. Jones at 10 a.m. on Monday. They spoke about the "
                 "U.S. economy. Prices rose, e.g. for food and fuel.",
                 "0P|Dr. Smith met Mr. Jones at 10 a.m. on Monday.\n"
                 "0|They spoke about the U.S. economy.\n"
                 "0|Prices rose, e.g. for food and fuel.\n");
    /* Other abbreviations end a sentence before a capitalised function
     * word, not before a name. */
    expect_split("She worked for Acme Inc. The firm made rockets. He moved to the "
                 "U.S. It was cold. The U.S. Senate voted. Apples, pears, etc. were sold.",
                 "0P|She worked for Acme Inc.\n"
                 "0|The firm made rockets.\n"
                 "0|He moved to the U.S.\n"
                 "0|It was cold.\n"
                 "0|The U.S. Senate voted.\n"
                 "0|Apples, pears, etc. were sold.\n");
    /* A title never ends one, even before a function word. */
    expect_split("We met Mrs. May at noon. Then we met Prof. Will Hunt.",
                 "0P|We met Mrs. May at noon.\n"
                 "0|Then we met Prof. Will Hunt.\n");
}

Test(sentence, initials)
{
    expect_split("J. K. Rowling wrote it. George R. R. Martin did not. The poem is by "
                 "T. S. Eliot. It is long.",
                 "0P|J. K. Rowling wrote it.\n"
                 "0|George R. R. Martin did not.\n"
                 "0|The poem is by T. S. Eliot.\n"
                 "0|It is long.\n");
}

Test(sentence, decimals_and_numbers)
{
    expect_split("The rate was 3.5 percent. It fell to 2.25 in May. Sales reached "
                 "1,000.50 dollars. In 2021. Prices fell.",
                 "0P|The rate was 3.5 percent.\n"
                 "0|It fell to 2.25 in May.\n"
                 "0|Sales reached 1,000.50 dollars.\n"
                 "0|In 2021.\n"
                 "0|Prices fell.\n");
}

Test(sentence, ellipses)
{
    expect_split("I waited... and waited. Then... Nothing happened. Well\xE2\x80\xA6 "
                 "Maybe later.",
                 "0P|I waited... and waited.\n"
                 "0|Then...\n"
                 "0|Nothing happened.\n"
                 "0|Well\xE2\x80\xA6\n"
                 "0|Maybe later.\n");
}

Test(sentence, closing_quotes_and_brackets)
{
    expect_split("He said \"no.\" Then he left. She asked, \"Why?\" and smiled. "
                 "(It was late.) We went home.",
                 "0P|He said \"no.\"\n"
                 "0|Then he left.\n"
                 "0|She asked, \"Why?\" and smiled.\n"
                 "0|(It was late.)\n"
                 "0|We went home.\n");
    expect_split("\xE2\x80\x9CStop!\xE2\x80\x9D she cried. \xE2\x80\x98"
                 "Fine.\xE2\x80\x99 "
                 "He waited. \"Go.\" \"Now?\"",
                 "0P|\xE2\x80\x9CStop!\xE2\x80\x9D she cried.\n"
                 "0|\xE2\x80\x98"
                 "Fine.\xE2\x80\x99\n"
                 "0|He waited.\n"
                 "0|\"Go.\"\n"
                 "0|\"Now?\"\n");
}

/* Hard-wrapped at about 70 columns, paragraphs parted by blank lines: a
 * single line break is no boundary, a short title-case line is a heading. */
static const char wrapped[] =
    "Rivers of the North\n"
    "\n"
    "The river rises in the hills above the town and runs for sixty\n"
    "miles through farmland before it reaches the sea. Farmers along\n"
    "its banks have drawn water from it for centuries. In dry years\n"
    "the flow drops sharply, and the Water Board of the County\n"
    "rations it.\n"
    "\n"
    "Dr. Alice Moreau, who has studied the river since 1998, met with Dr.\n"
    "Hugo Lind in the U.S.\n"
    "Senate building. Her team measured a flow of 12.5 cubic metres a\n"
    "second last summer, the lowest on record.\n"
    "Water Rights Today\n"
    "Disputes over water are older than the town itself. They flare\n"
    "up whenever the rains fail.\n"
    "\n"
    "Who owns a river?\n"
    "\n"
    "Nobody can say for sure.\n";

static const char wrapped_expected[] =
    "0HP|Rivers of the North\n"
    "1P|The river rises in the hills above the town and runs for sixty miles "
    "through farmland before it reaches the sea.\n"
    "1|Farmers along its banks have drawn water from it for centuries.\n"
    "1|In dry years the flow drops sharply, and the Water Board of the County "
    "rations it.\n"
    "2P|Dr. Alice Moreau, who has studied the river since 1998, met with Dr. Hugo "
    "Lind in the U.S. Senate building.\n"
    "2|Her team measured a flow of 12.5 cubic metres a second last summer, the "
    "lowest on record.\n"
    "3HP|Water Rights Today\n"
    "4P|Disputes over water are older than the town itself.\n"
    "4|They flare up whenever the rains fail.\n"
    "5HP|Who owns a river?\n"
    "6P|Nobody can say for sure.\n";

Test(sentence, hard_wrapped)
{
    expect_split(wrapped, wrapped_expected);
}

/* One line too long to be wrapped (a URL) does not turn wrapped text into
 * text that ends a paragraph at every break. */
Test(sentence, wrapped_with_a_long_line)
{
    expect_split(
        "The survey was published on Monday and it covers every county\n"
        "in the region. The full report is online at\n"
        "https://example.org/reports/2024/regional-water-survey/full-text-with-appendices-maps-"
        "and-tables.html\n"
        "and runs to four hundred pages. Its authors say the\n"
        "Findings are clear and that the\n"
        "Council must act.\n",
        "0P|The survey was published on Monday and it covers every county in the region.\n"
        "0|The full report is online at "
        "https://example.org/reports/2024/regional-water-survey/full-text-with-appendices-maps-"
        "and-tables.html and runs to four hundred pages.\n"
        "0|Its authors say the Findings are clear and that the Council must act.\n");
}

/* One paragraph a line, no blank lines: every line break that ends a
 * sentence starts a paragraph. */
static const char per_line[] =
    "Markets Rally After Rate Cut\n"
    "Stocks rose sharply on Tuesday after the central bank cut its main interest "
    "rate by half a point, the first cut in four years. Analysts had expected a "
    "smaller move.\n"
    "The governor said inflation was under control. \"We will act again if "
    "needed,\" she told reporters in the capital\n"
    "Read more\n"
    "What Comes Next? Nobody knows.\n"
    "What Comes Next?\n"
    "Most economists expect at least one more cut before the end of the year.\n";

static const char per_line_expected[] =
    "0HP|Markets Rally After Rate Cut\n"
    "1P|Stocks rose sharply on Tuesday after the central bank cut its main "
    "interest rate by half a point, the first cut in four years.\n"
    "1|Analysts had expected a smaller move.\n"
    "2P|The governor said inflation was under control.\n"
    "2|\"We will act again if needed,\" she told reporters in the capital\n"
    "3P|Read more\n"
    "4P|What Comes Next?\n"
    "4|Nobody knows.\n"
    "5HP|What Comes Next?\n"
    "6P|Most economists expect at least one more cut before the end of the year.\n";

Test(sentence, one_paragraph_per_line)
{
    expect_split(per_line, per_line_expected);
}

static char *
to_crlf(const char *s)
{
    buf b = BUF_INIT;
    for (; *s; s++) {
        if (*s == '\n')
            buf_addc(&b, '\r');
        buf_addc(&b, *s);
    }
    return b.data;
}

Test(sentence, crlf)
{
    char *w = to_crlf(wrapped);
    char *p = to_crlf(per_line);
    expect_split(w, wrapped_expected);
    expect_split(p, per_line_expected);
    free(w);
    free(p);
}

/* A short line without a stop that is a paragraph of its own is a heading
 * even in sentence case; inside wrapped prose such a line is not. */
Test(sentence, sentence_case_titles)
{
    expect_split("Use of river water\n"
                 "\n"
                 "Farmers take what they need.\n",
                 "0HP|Use of river water\n"
                 "1P|Farmers take what they need.\n");
    expect_split("The farmers met on Monday. They agreed on the use of river\n"
                 "water.\n"
                 "Shares of river water\n"
                 "Were cut by a third.\n",
                 "0P|The farmers met on Monday.\n"
                 "0|They agreed on the use of river water.\n"
                 "0|Shares of river water Were cut by a third.\n");
}

/* A sentence-case title on the first line of a text that puts a paragraph
 * on a line is cut off the sentence it was glued to: the line after it is
 * longer than a wrapped line can be.  In wrapped prose, and before a short
 * first sentence (no proof of the layout yet), the line break stays a wrap. */
Test(sentence, sentence_case_title_glued_to_a_long_line)
{
    expect_split("Why the river needs a binding treaty\n"
                 "The six countries that share the river have met every spring for thirty "
                 "years and have never agreed on anything binding. That must change.\n",
                 "0HP|Why the river needs a binding treaty\n"
                 "1P|The six countries that share the river have met every spring for thirty "
                 "years and have never agreed on anything binding.\n"
                 "1|That must change.\n");
    expect_split("Why the river needs a treaty\n"
                 "Nobody disagrees. Yet nothing happens.\n",
                 "0P|Why the river needs a treaty Nobody disagrees.\n"
                 "0|Yet nothing happens.\n");
    expect_split("The six countries that share the river\n"
                 "Mekong have met every spring for thirty\n"
                 "years and never agreed on anything.\n",
                 "0P|The six countries that share the river Mekong have met every spring for "
                 "thirty years and never agreed on anything.\n");
}

Test(sentence, lists_and_separators)
{
    expect_split("Steps to follow:\n"
                 "- open the valve\n"
                 "- wait an hour\n"
                 "***\n"
                 "1. Check the gauge\n"
                 "\n"
                 "2. Results\n",
                 "0P|Steps to follow:\n"
                 "1P|- open the valve\n"
                 "2P|- wait an hour\n"
                 "3P|***\n"
                 "4P|1. Check the gauge\n"
                 "5HP|2. Results\n");
}

/* When it says "go on", the splitter also says what the sentence would
 * get if cut there, so that a sentence the caller cuts at its cap is
 * numbered and flagged right; it then goes on with the rest. */
Test(sentence, caller_cuts_at_cap)
{
    static const char text[] = "One two three four five six seven. Eight nine.\n"
                               "\n"
                               "Ten eleven twelve thirteen fourteen. Fifteen.\n";
    char *got = split_capped(text, strlen(text), 4);
    cr_expect_str_eq(got, "0PC|One two three four\n"
                          "0|five six seven.\n"
                          "0|Eight nine.\n"
                          "1PC|Ten eleven twelve thirteen\n"
                          "1|fourteen.\n"
                          "1|Fifteen.\n");
    free(got);
}

Test(sentence, reset_and_empty)
{
    splitter *sp = sentence_new(NULL);
    sentence_reset(sp);
    sentence_free(sp);
    sentence_free(NULL);
    char *got = split("", 0);
    cr_expect_str_eq(got, "");
    free(got);
    expect_split("one line without a stop", "0P|one line without a stop\n");
}

/* The seed article puts one paragraph on a line, with title-case headings
 * and a stray "Impact Shorts" line glued to the next by a missing break. */
Test(sentence, seed_headings)
{
    const char *shared = shared_dir();
    if (shared == NULL)
        cr_skip_test("shared directory not found, skipping");
    char path[4096];
    snprintf(path, sizeof path, "%s/seeds/000_ac663f40620822e4.txt", shared);
    size_t len;
    char *text = read_file(path, &len);
    if (text == NULL)
        cr_skip_test("seed article not found, skipping");
    char *got = split(text, len);

    static const struct {
        const char *line;
        int heading;
    } want[] = {
        {"Impact Shorts", 1},
        {"Geography Shape Choices", 1},
        {"US Withdrawal", 1},
        {"A Game of Optics", 1},
        {"Simmering Tension in West Asia", 1},
        {"How should India react?", 1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int found = 0;
        for (char *line = got; *line;) {
            char *eol = strchr(line, '\n');
            char *bar = strchr(line, '|');
            cr_assert(eol && bar && bar < eol);
            size_t n = (size_t)(eol - bar - 1);
            if (n == strlen(want[i].line) && memcmp(bar + 1, want[i].line, n) == 0) {
                found = 1;
                cr_expect(memchr(line, 'H', (size_t)(bar - line)) != NULL,
                          "\"%s\" is not flagged as a heading", want[i].line);
                cr_expect(memchr(line, 'P', (size_t)(bar - line)) != NULL,
                          "\"%s\" does not start a paragraph", want[i].line);
            }
            line = eol + 1;
        }
        cr_expect(found, "\"%s\" is not a sentence of its own:\n%s", want[i].line, got);
    }
    /* No other sentence of the seed is a heading. */
    size_t headings = 0;
    for (char *line = got; *line; line = strchr(line, '\n') + 1) {
        char *bar = strchr(line, '|');
        headings += memchr(line, 'H', (size_t)(bar - line)) != NULL;
    }
    cr_expect_eq(headings, sizeof want / sizeof want[0], "%s", got);
    free(got);
    free(text);
}

/* ---- the word lists the splitter and the pipeline look words up in ---- */

Test(wordlist, load_file)
{
    char path[] = "/tmp/tp-wordlist-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    static const char text[] = "\xEF\xBB\xBF# a comment line\r\n"
                               "The\r\n"
                               "\r\n"
                               "  and  \r\n"
                               "Don\xE2\x80\x99t\r\n"
                               ">Dr.\r\n"
                               "the\r\n"
                               "  # an indented comment\n"
                               "end";
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);

    wordlist *w = wordlist_new();
    char err[256];
    int rc = wordlist_load(w, path, err, sizeof err);
    unlink(path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect_eq(wordlist_count(w), 5);
    cr_expect(wordlist_has(w, "the", 3));
    cr_expect(wordlist_has(w, "and", 3));
    cr_expect(wordlist_has(w, "don't", 5), "entries are normalised as tokens are");
    cr_expect(wordlist_has(w, ">dr.", 4));
    cr_expect(wordlist_has(w, "end", 3), "a last line without a newline counts");
    cr_expect(!wordlist_has(w, "The", 3), "lookups take normalised words");
    cr_expect(!wordlist_has(w, "comment", 7));
    cr_expect(!wordlist_has(w, "", 0));
    cr_expect(!wordlist_has(w, "th", 2));
    wordlist_free(w);
}

Test(wordlist, missing_file)
{
    wordlist *w = wordlist_new();
    char err[256];
    cr_expect_eq(wordlist_load(w, "/nonexistent/list.txt", err, sizeof err), -1);
    cr_expect_not_null(strstr(err, "/nonexistent/list.txt"), "%s", err);
    cr_expect_eq(wordlist_count(w), 0);
    cr_expect(!wordlist_has(w, "a", 1));
    wordlist_free(w);
    wordlist_free(NULL);
    cr_expect(!wordlist_has(NULL, "a", 1));
}

Test(wordlist, grows)
{
    wordlist *w = wordlist_new();
    char word[32];
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(word, sizeof word, "w%d", i);
        wordlist_add(w, word, (size_t)n);
        wordlist_add(w, word, (size_t)n); /* a duplicate is kept once */
    }
    cr_expect_eq(wordlist_count(w), 20000);
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(word, sizeof word, "w%d", i);
        cr_assert(wordlist_has(w, word, (size_t)n), "%s", word);
        n = snprintf(word, sizeof word, "x%d", i);
        cr_assert(!wordlist_has(w, word, (size_t)n), "%s", word);
    }
    wordlist_free(w);
}
