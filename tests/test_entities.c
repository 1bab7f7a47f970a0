/* test_entities.c: the entities plugin (through the built textpipe) and
 * the name chunker it shares with stance (plugins/common/names.h). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "names.h"

/* ---- the chunker, on hand-made tokens ------------------------------------ */

static tp_token toks[32];
static size_t ntoks;
static uint64_t at;

static void
tok(const char *surface, const char *norm, uint32_t flags)
{
    tp_token *t = &toks[ntoks++];
    memset(t, 0, sizeof *t);
    t->size = sizeof *t;
    t->surface = surface;
    t->norm = norm;
    t->stem = norm;
    t->surface_len = (uint32_t)strlen(surface);
    t->norm_len = (uint32_t)strlen(norm);
    t->flags = flags | (ntoks > 1 ? TP_TOK_SPACE : 0);
    t->start = at;
    t->end = at + t->surface_len;
    at = t->end + 1;
}

static tp_sentence
sentence_of(uint32_t flags)
{
    tp_sentence s = {0};
    s.size = sizeof s;
    s.flags = flags;
    s.ntokens = ntoks;
    s.tokens = toks;
    s.end = at;
    return s;
}

static void
reset(void)
{
    ntoks = 0;
    at = 0;
}

static const char *const connectors[] = {"of", "al", NULL};

enum { W = TP_TOK_WORD, C = TP_TOK_WORD | TP_TOK_CAPITAL, P = TP_TOK_PUNCT };

Test(names, runs_with_connectors_and_particles)
{
    reset();
    tok("Talks", "talks", C | TP_TOK_SENT_START);
    tok("with", "with", W);
    tok("Bashar", "bashar", C);
    tok("al-Assad", "al-assad", W);
    tok("and", "and", W);
    tok("the", "the", W);
    tok("Emirate", "emirate", C);
    tok("of", "of", W);
    tok("Kandahar", "kandahar", C);
    tok("of", "of", W);
    tok("old", "old", W);
    tok(".", ".", P);
    tp_sentence s = sentence_of(0);
    names_chunk ch[16];
    size_t n = names_find(&s, connectors, ch, 16);
    cr_assert_eq(n, 3);
    cr_assert_eq(ch[0].first, 0);
    cr_assert_eq(ch[0].last, 0);
    cr_assert(ch[0].flags & NAMES_INITIAL);
    cr_assert_eq(ch[1].first, 2);
    cr_assert_eq(ch[1].last, 3);
    cr_assert_eq(ch[1].keep, 8);
    cr_assert_eq(ch[2].first, 6);
    cr_assert_eq(ch[2].last, 8, "a connector joins only before a capitalised word");
    cr_assert(ch[2].flags & NAMES_CONNECTED);
    cr_assert_not(ch[2].flags & NAMES_INITIAL);
}

Test(names, hyphen_and_possessive_cuts)
{
    reset();
    tok("the", "the", W | TP_TOK_SENT_START);
    tok("Taliban-ruled", "taliban-ruled", C);
    tok("state", "state", W);
    tok("and", "and", W);
    tok("pro-Moscow", "pro-moscow", W);
    tok("Firstpost's", "firstpost's", C);
    tok("views", "views", W);
    tp_sentence s = sentence_of(0);
    names_chunk ch[16];
    size_t n = names_find(&s, connectors, ch, 16);
    cr_assert_eq(n, 3);
    cr_assert_eq(ch[0].first, 1);
    cr_assert_eq(ch[0].keep, 7); /* "Taliban" */
    cr_assert_eq(ch[0].nkeep, 7);
    cr_assert_eq(ch[1].first, 4);
    cr_assert_eq(ch[1].skip, 4); /* "Moscow" */
    cr_assert_eq(ch[1].last, 4, "a name cut at its front does not run on");
    cr_assert_eq(ch[2].first, 5);
    cr_assert_eq(ch[2].keep, 9); /* "Firstpost" */
}

Test(names, possessive_token_ends_a_run_and_styles_are_flagged)
{
    reset();
    tok("NORTH", "north", C | TP_TOK_ALLCAPS | TP_TOK_SENT_START);
    tok("STAR", "star", C | TP_TOK_ALLCAPS);
    tok("WINS", "wins", C | TP_TOK_ALLCAPS);
    tp_sentence s = sentence_of(0);
    names_chunk ch[16];
    cr_assert_eq(names_line_style(&s), NAMES_CAPS_LINE);
    cr_assert_eq(names_find(&s, NULL, ch, 16), 1);
    cr_assert(ch[0].flags & NAMES_ALLCAPS);

    reset();
    tok("Oslo", "oslo", C | TP_TOK_SENT_START);
    tok("'s", "'s", TP_TOK_POSSESSIVE);
    tok("Mayor", "mayor", C);
    tp_sentence t = sentence_of(TP_SENT_HEADING);
    cr_assert_eq(names_find(&t, NULL, ch, 16), 2);
    cr_assert_eq(ch[0].last, 0);
    cr_assert_eq(ch[1].first, 2);
    cr_assert(ch[1].flags & NAMES_HEADING);
}

/* ---- the plugin, through textpipe --------------------------------------- */

static void
expect_output(const char *input, const char *const *argv, const char *want)
{
    run_result r;
    run_textpipe(&r, input, argv);
    cr_assert_eq(r.status, 0, "textpipe failed: %s", r.err);
    cr_assert_str_eq(r.out, want);
    run_result_free(&r);
}

/* Our own article, with the seed's tricky cases in other words. */
static const char article[] =
    "Harbour Reform Plans\n"
    "Officials of the Andean Development Corporation (ADC) met in Lima on "
    "Monday. However, the ADC said Norway\xe2\x80\x99s offer came late. Norway's envoy "
    "Ingrid Haugen said the Norwegian team would stay. Haugen left for Oslo.\n"
    "Besides Norway, the U.S. and the United States of America sent notes to "
    "the ADC.\n";

Test(entities, counts_merges_and_types)
{
    const char *argv[] = {"-p", "entities", "--header", "-", NULL};
    expect_output(article, argv,
                  "#entity\tdoc\tentity\ttype\tcount\tfirst\tforms\n"
                  "entity\t-\tADC\tORG\t4\t38\tAndean Development Corporation|ADC\n"
                  "entity\t-\tNorway\tGPE\t3\t120\tNorway\n"
                  "entity\t-\tIngrid Haugen\tPERSON\t2\t163\tIngrid Haugen|Haugen\n"
                  "entity\t-\tUnited States\tGPE\t2\t255\tU.S.|United States of America\n"
                  "entity\t-\tLima\tGPE\t1\t82\tLima\n"
                  "entity\t-\tNorwegian\tNORP\t1\t186\tNorwegian\n"
                  "entity\t-\tOslo\tGPE\t1\t229\tOslo\n");
}

Test(entities, options_link_types_min_count)
{
    const char *link[] = {"-p", "entities",
                          "-O", "entities.link=demonyms",
                          "-O", "entities.types=GPE",
                          "-O", "entities.min-count=2",
                          "-",  NULL};
    expect_output(article, link,
                  "entity\t-\tNorway\tGPE\t4\t120\tNorway|Norwegian\n"
                  "entity\t-\tUnited States\tGPE\t2\t255\tU.S.|United States of America\n");
}

Test(entities, surnames_apart)
{
    const char *argv[] = {
        "-p", "entities", "-O", "entities.surnames=apart", "-O", "entities.types=PERSON",
        "-",  NULL};
    expect_output(article, argv,
                  "entity\t-\tIngrid Haugen\tPERSON\t1\t163\tIngrid Haugen\n"
                  "entity\t-\tHaugen\tPERSON\t1\t213\tHaugen\n");
}

Test(entities, user_gazetteer)
{
    char path[] = "/tmp/tp-entities-gaz-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char rows[] = "# mine\nHaugen Freight\tORG\t\nLima\tLOC\tLima Province\n";
    cr_assert_eq(write(fd, rows, sizeof rows - 1), (ssize_t)(sizeof rows - 1));
    close(fd);
    char opt[64];
    snprintf(opt, sizeof opt, "entities.gazetteer=%s", path);
    const char *argv[] = {"-p", "entities", "-O", opt, "-", NULL};
    expect_output("Lima gave Haugen Freight a berth.\n", argv,
                  "entity\t-\tLima Province\tLOC\t1\t0\tLima\n"
                  "entity\t-\tHaugen Freight\tORG\t1\t10\tHaugen Freight\n");
    unlink(path);
}

Test(entities, capitals_without_evidence_are_not_names)
{
    const char *argv[] = {"-p", "entities", "-", NULL};
    expect_output("Quiet Harbour Plans\n"
                  "Despite the rain, boats sailed. Prima facie, nothing changed.\n"
                  "Meanwhile Kestrel Marsh stayed calm.\n",
                  argv, "entity\t-\tKestrel Marsh\tPERSON\t1\t92\tKestrel Marsh\n");
}

Test(entities, letter_case_of_acronyms_and_elision)
{
    const char *argv[] = {"-p", "entities", "-", NULL};
    /* "Who" is a pronoun, "WHO" the organisation; "IMO" is no Nigerian
     * state ("Imo") when it stands for the name before it */
    expect_output("Who pays for it? Delegates of the International Maritime "
                  "Organization (IMO) met the WHO.\n",
                  argv,
                  "entity\t-\tInternational Maritime Organization\tORG\t2\t34\t"
                  "International Maritime Organization|IMO\n"
                  "entity\t-\tWorld Health Organization\tORG\t1\t84\tWHO\n");
    const char *fr[] = {"-p", "entities", "--lang", "fr", "-", NULL};
    expect_output("Il a parl\xc3\xa9 \xc3\xa0 l\xe2\x80\x99UE, puis d\xe2\x80\x99Italia.\n", fr,
                  "entity\t-\tUE\tORG\t1\t19\tUE\n"
                  "entity\t-\tItaly\tGPE\t1\t32\tItalia\n");
}

Test(entities, caseless_scripts_use_the_gazetteers)
{
    const char *argv[] = {"-p", "entities", "-", NULL};
    /* Chinese: "China and Japan"; the core cuts Han text into characters */
    expect_output("\xe4\xb8\xad\xe5\x9b\xbd\xe5\x92\x8c\xe6\x97\xa5\xe6\x9c\xac\xe3\x80\x82\n",
                  argv,
                  "entity\t-\tChina\tGPE\t1\t0\t\xe4\xb8\xad\xe5\x9b\xbd\n"
                  "entity\t-\tJapan\tGPE\t1\t9\t\xe6\x97\xa5\xe6\x9c\xac\n");
}

Test(entities, bad_option_refused)
{
    const char *argv[] = {"-p", "entities", "-O", "entities.min-count=0", "-", NULL};
    run_result r;
    run_textpipe(&r, "Oslo.\n", argv);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "min-count") != NULL, "stderr: %s", r.err);
    run_result_free(&r);
}

/* ---- a floor under the seed figures ------------------------------------- */

static double
figure(const char *text, const char *name)
{
    const char *p = strstr(text, name);
    return p ? strtod(p + strlen(name), NULL) : -1.0;
}

Test(entities, seed_scores_floor)
{
    const char *shared = shared_dir();
    if (shared == NULL)
        cr_skip_test("../shared not found, skipping the seed scores");
    char seed[4096], gold[4096], scorer[4096];
    snprintf(seed, sizeof seed, "%s/seeds/000_ac663f40620822e4.txt", shared);
    snprintf(gold, sizeof gold, "%s/gold/seed-entities.tsv", shared);
    snprintf(scorer, sizeof scorer, "%s/eval/entities.py", shared);
    const char *argv[] = {"-p", "entities", "--header", seed, NULL};
    run_result r;
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "textpipe failed: %s", r.err);
    const char *score[] = {"/usr/bin/env", "python3", scorer, "--gold", gold, NULL};
    run_result s;
    run_command(&s, r.out, score);
    cr_assert_eq(s.status, 0, "scorer failed: %s", s.err);
    double ef = figure(s.out, "entity_f1="), mf = figure(s.out, "mention_f1=");
    double ta = figure(s.out, "type accuracy on matches ");
    cr_assert(ef >= 0.95, "entity F1 %.3f below 0.95", ef);
    cr_assert(mf >= 0.97, "mention F1 %.3f below 0.97", mf);
    cr_assert(ta >= 0.90, "type accuracy %.3f below 0.90", ta);
    run_result_free(&s);
    run_result_free(&r);
}
