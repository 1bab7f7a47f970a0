/* test_stem.c: language names and codes, Snowball stems, and the stem
 * cache giving the same answers as the stemmer on hits and evictions. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stem.h"

Test(stem, language_names)
{
    cr_expect_str_eq(stem_language("en"), "english");
    cr_expect_str_eq(stem_language("english"), "english");
    cr_expect_str_eq(stem_language("EN"), "english");
    cr_expect_str_eq(stem_language("English"), "english");
    cr_expect_str_eq(stem_language("ru"), "russian");
    cr_expect_str_eq(stem_language("de"), "german");
    cr_expect_str_eq(stem_language("no"), "norwegian");
    cr_expect_str_eq(stem_language("porter"), "porter");
    cr_expect_str_eq(stem_language("none"), "none");
    cr_expect_null(stem_language("xx"));
    cr_expect_null(stem_language("klingon"));
    cr_expect_null(stem_language(""));
    cr_expect_null(stem_language(NULL));
}

Test(stem, list_languages)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    stem_list_languages(f);
    fclose(f);
    cr_expect_not_null(strstr(text, "en\tenglish\n"), "%s", text);
    cr_expect_not_null(strstr(text, "ru\trussian\n"), "%s", text);
    cr_expect_not_null(strstr(text, "\nfi\tfinnish\n"), "%s", text);
    cr_expect_not_null(strstr(text, "\tporter\n"), "%s", text);
    /* Every line is code TAB name, and every listed name is accepted. */
    for (char *line = text; *line;) {
        char *eol = strchr(line, '\n');
        char *tab = strchr(line, '\t');
        cr_assert(eol && tab && tab < eol, "%s", line);
        *eol = '\0';
        cr_expect_str_eq(stem_language(tab + 1), tab + 1);
        if (tab > line) {
            *tab = '\0';
            cr_expect_str_eq(stem_language(line), tab + 1);
        }
        line = eol + 1;
    }
    free(text);
}

static void
expect_stem(stemmer *s, const char *word, const char *want)
{
    size_t n;
    const char *got = stem_word(s, word, strlen(word), &n);
    cr_expect(n == strlen(want) && memcmp(got, want, n) == 0, "%s: got %.*s, want %s", word, (int)n,
              got, want);
}

Test(stem, english)
{
    stemmer *s = stem_new("en");
    cr_assert_not_null(s);
    expect_stem(s, "running", "run");
    expect_stem(s, "connections", "connect");
    expect_stem(s, "generously", "generous");
    expect_stem(s, "countries", "countri");
    expect_stem(s, "recognised", "recognis");
    /* Again, now from the cache. */
    expect_stem(s, "running", "run");
    expect_stem(s, "countries", "countri");
    stem_free(s);
}

Test(stem, russian)
{
    stemmer *s = stem_new("russian");
    cr_assert_not_null(s);
    expect_stem(s, "книги", "книг");
    expect_stem(s, "сильный", "сильн");
    expect_stem(s, "столами", "стол");
    expect_stem(s, "книги", "книг");
    stem_free(s);
}

Test(stem, none_and_unknown)
{
    cr_expect_null(stem_new("xx"));
    stemmer *s = stem_new("none");
    cr_assert_not_null(s);
    expect_stem(s, "running", "running");
    stem_free(s);
    stem_free(NULL);
}

Test(stem, long_words_pass_through)
{
    stemmer *s = stem_new("en");
    char word[100];
    memset(word, 'a', sizeof word - 5);
    strcpy(word + sizeof word - 5, "ings");
    size_t n;
    const char *got = stem_word(s, word, strlen(word), &n);
    cr_expect_eq(got, word);
    cr_expect_eq(n, strlen(word));
    /* 64 bytes is still stemmed. */
    memset(word, 'b', 60);
    strcpy(word + 60, "ings");
    got = stem_word(s, word, 64, &n);
    cr_expect_lt(n, 64);
    stem_free(s);
}

/* Distinct words, enough to overflow the cache several times over. */
#define NWORDS 60000

static const char *const suffixes[] = {"ing", "ed", "s", "ation", "ly", "ness", "er", "ies"};

static void
make_word(char *w, size_t size, unsigned i)
{
    char root[16];
    size_t k = 0;
    for (unsigned v = i / 8 + 1; v > 0; v /= 26)
        root[k++] = (char)('a' + v % 26);
    root[k] = '\0';
    snprintf(w, size, "%s%s", root, suffixes[i % 8]);
}

Test(stem, cache_agrees_with_stemmer, .timeout = 30)
{
    /* Each distinct word's first lookup is a miss, so this pass gives the
     * stemmer's own answers. */
    stemmer *fresh = stem_new("en");
    char(*want)[32] = calloc(NWORDS, sizeof *want);
    cr_assert_not_null(want);
    char w[32];
    for (unsigned i = 0; i < NWORDS; i++) {
        make_word(w, sizeof w, i);
        size_t n;
        const char *st = stem_word(fresh, w, strlen(w), &n);
        cr_assert_lt(n, sizeof want[i]);
        memcpy(want[i], st, n);
        want[i][n] = '\0';
    }
    stem_free(fresh);

    /* Forward, backward, and a short working set over and over: hits,
     * misses and evictions must all give the same stems. */
    stemmer *s = stem_new("en");
    for (int pass = 0; pass < 3; pass++) {
        for (unsigned k = 0; k < NWORDS; k++) {
            unsigned i = pass == 1 ? NWORDS - 1 - k : pass == 2 ? k % 500 : k;
            make_word(w, sizeof w, i);
            size_t n;
            const char *st = stem_word(s, w, strlen(w), &n);
            cr_assert(n == strlen(want[i]) && memcmp(st, want[i], n) == 0,
                      "pass %d, %s: got %.*s, want %s", pass, w, (int)n, st, want[i]);
        }
    }
    stem_free(s);
    free(want);
}
