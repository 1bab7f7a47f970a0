/* test_arguments.c: the arguments plugin through the built textpipe:
 * clause splitting, roles, links, hedges, excluded headings and bios,
 * replaceable cue lists, documents written in segments past the memory
 * budget, and a floor on the seed article's checks. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* A short opinion piece written for this test: a heading, a news-like
 * opening, a "Given X, Y" sentence, a "because" clause, a counter-argument,
 * a hedge, and an author bio with a disclaimer. */
static const char article[] =
    "Why Transit Matters\n"
    "The council voted last week to cut bus routes in the northern "
    "districts. Officials expect savings of 4 million dollars a year.\n"
    "Given the rising cost of fuel and the growing number of commuters, "
    "cutting bus routes would be strategically unwise. Buses carry more "
    "people per lane than private cars do. This approach keeps the roads "
    "clear because fewer cars enter the centre.\n"
    "However, some critics argue that buses run nearly empty at night. The "
    "most suitable course of action is to trim night routes while keeping "
    "the daytime network intact. The decision can be interpreted as a sign "
    "of budget panic.\n"
    "Maria Lopez teaches at the Institute of Urban Studies. The views "
    "expressed here are personal.\n";

static const char article_expected[] =
    "#argument\tdoc\tid\trole\tstart\tend\tsentence\trelation\thead\tmarker"
    "\thedge\ttext\n"
    "argument\t-\tA1\tpremise\t153\t212\t3\tsupports\tA2\tGiven\t0\t"
    "the rising cost of fuel and the growing number of commuters\n"
    "argument\t-\tA2\tclaim\t214\t262\t3\tsupports\tA7\t-\t0\t"
    "cutting bus routes would be strategically unwise\n"
    "argument\t-\tA3\tpremise\t264\t317\t4\tsupports\tA2\t-\t0\t"
    "Buses carry more people per lane than private cars do\n"
    "argument\t-\tA4\tpremise\t319\t354\t5\tsupports\tA2\t-\t0\t"
    "This approach keeps the roads clear\n"
    "argument\t-\tA5\tpremise\t363\t390\t5\tsupports\tA4\tbecause\t0\t"
    "fewer cars enter the centre\n"
    "argument\t-\tA6\tclaim\t401\t456\t6\tattacks\tA7\tHowever\t0\t"
    "some critics argue that buses run nearly empty at night\n"
    "argument\t-\tA7\tmajor_claim\t458\t557\t7\t-\t-\t-\t0\t"
    "The most suitable course of action is to trim night routes while "
    "keeping the daytime network intact\n"
    "argument\t-\tA8\tclaim\t559\t616\t8\tsupports\tA7\t-\t1\t"
    "The decision can be interpreted as a sign of budget panic\n";

Test(arguments, clauses_roles_links_exact)
{
    run_result r;
    const char *argv[] = {"-p", "arguments", "--header", "-", NULL};
    run_textpipe(&r, article, argv);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, article_expected);
    run_result_free(&r);
}

/* Offsets are byte offsets into the input: each record's text is exactly
 * input[start, end). */
Test(arguments, offsets_point_at_the_text)
{
    run_result r;
    const char *argv[] = {"-p", "arguments", "-", NULL};
    run_textpipe(&r, article, argv);
    cr_assert_eq(r.status, 0);
    size_t checked = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[12];
        size_t n = 0;
        for (char *p = line; n < 12; n++) {
            f[n] = p;
            char *tab = strchr(p, '\t');
            if (!tab) {
                n++;
                break;
            }
            *tab = '\0';
            p = tab + 1;
        }
        cr_assert_eq(n, 12, "want 12 fields");
        size_t start = strtoul(f[4], NULL, 10), end = strtoul(f[5], NULL, 10);
        cr_assert_lt(start, end);
        cr_assert_leq(end, sizeof article - 1);
        cr_assert_eq(strlen(f[11]), end - start);
        cr_assert(memcmp(article + start, f[11], end - start) == 0,
                  "text %s is not input[%zu, %zu)", f[11], start, end);
        checked++;
    }
    cr_assert_eq(checked, 8);
    run_result_free(&r);
}

/* Headings, the bio and the disclaimer yield no component. */
Test(arguments, no_component_from_heading_or_bio)
{
    run_result r;
    const char *argv[] = {"-p", "arguments", "-", NULL};
    run_textpipe(&r, article, argv);
    cr_assert_eq(r.status, 0);
    cr_assert_null(strstr(r.out, "Transit Matters"));
    cr_assert_null(strstr(r.out, "teaches at"));
    cr_assert_null(strstr(r.out, "views expressed"));
    cr_assert_null(strstr(r.out, "council voted"));
    run_result_free(&r);
}

/* Essay shape: thesis in the opening and in the closing paragraph, a claim
 * opening each body paragraph, a "so" clause splitting a premise from its
 * conclusion. */
Test(arguments, essay_shape)
{
    static const char essay[] = "Should schools teach cooking?\n"
                                "\n"
                                "Many pupils leave school without knowing how to feed themselves. "
                                "I firmly believe that every school should teach basic cooking.\n"
                                "First of all, cooking lessons improve the health of children. "
                                "Pupils who cook at home eat more vegetables than pupils who do "
                                "not. They learn what a balanced meal looks like, so they choose "
                                "better food when they shop alone.\n"
                                "In conclusion, cooking deserves a regular place in the school "
                                "timetable.\n";
    static const char expected[] =
        "argument\t-\tA1\tmajor_claim\t118\t157\t2\t-\t-\t-\t0\t"
        "every school should teach basic cooking\n"
        "argument\t-\tA2\tclaim\t173\t219\t3\tsupports\tA1\t-\t0\t"
        "cooking lessons improve the health of children\n"
        "argument\t-\tA3\tpremise\t221\t287\t4\tsupports\tA2\t-\t0\t"
        "Pupils who cook at home eat more vegetables than pupils who do not\n"
        "argument\t-\tA4\tpremise\t289\t331\t5\tsupports\tA5\tso\t0\t"
        "They learn what a balanced meal looks like\n"
        "argument\t-\tA5\tpremise\t336\t380\t5\tsupports\tA2\t-\t0\t"
        "they choose better food when they shop alone\n"
        "argument\t-\tA6\tmajor_claim\t397\t453\t6\t-\t-\t-\t0\t"
        "cooking deserves a regular place in the school timetable\n";
    run_result r;
    const char *argv[] = {"-p", "arguments", "-", NULL};
    run_textpipe(&r, essay, argv);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, expected);
    run_result_free(&r);
}

/* A user's own cue list replaces the shipped one: with no advocacy cues,
 * "would be strategically unwise" no longer makes the major claim. */
Test(arguments, cues_replaceable_by_option)
{
    char path[] = "/tmp/textpipe-test-cues-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("# a tiny list\n"
          "in my view\tstance\tlead\n"
          "buses carry\tadvocacy\tany\n",
          f);
    fclose(f);
    char opt[128];
    snprintf(opt, sizeof opt, "arguments.cues=%s", path);
    run_result r;
    const char *argv[] = {"-p", "arguments", "-O", opt, "-", NULL};
    run_textpipe(&r, article, argv);
    unlink(path);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_not_null(strstr(r.out, "\tclaim\t264\t317\t4\t"), "the custom cue makes a claim: %s",
                       r.out);
    cr_assert_null(strstr(r.out, "\tmajor_claim\t458\t"));
    run_result_free(&r);
}

Test(arguments, bad_cue_file_refused)
{
    char path[] = "/tmp/textpipe-test-cues-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("should\tnonsense\tany\n", f);
    fclose(f);
    char opt[128];
    snprintf(opt, sizeof opt, "arguments.cues=%s", path);
    run_result r;
    const char *argv[] = {"-p", "arguments", "-O", opt, "-", NULL};
    run_textpipe(&r, article, argv);
    unlink(path);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "unknown kind"), "stderr: %s", r.err);
    cr_assert_eq(r.out_len, 0);
    run_result_free(&r);
}

/* A NUL byte inside a component cannot end its text field early: it shows
 * as U+FFFD, and the offsets still count the input's own bytes. */
Test(arguments, nul_byte_in_a_component)
{
    static const char text[] = "Given that the port matters \0 a lot, the city should invest "
                               "now. I believe it must.\n";
    char path[] = "/tmp/textpipe-test-nul-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    run_result r;
    const char *argv[] = {"-p", "arguments", path, NULL};
    run_textpipe(&r, NULL, argv);
    unlink(path);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char want[512];
    snprintf(want, sizeof want,
             "argument\t%s\tA1\tpremise\t11\t35\t0\tsupports\tA2\tGiven that\t0\t"
             "the port matters \xEF\xBF\xBD a lot\n"
             "argument\t%s\tA2\tclaim\t37\t63\t0\tsupports\tA3\t-\t0\t"
             "the city should invest now\n"
             "argument\t%s\tA3\tmajor_claim\t75\t82\t1\t-\t-\t-\t0\tit must\n",
             path, path, path);
    cr_assert_str_eq(r.out, want);
    run_result_free(&r);
}

/* ---- the seed article: the checks of seed-arguments.tsv, read at run
 * time, scored the way ../shared/eval/seed.py scores them. */

typedef struct span {
    char role[16];
    size_t start, end;
} span;

static size_t
parse_records(char *out, span *spans, size_t max)
{
    size_t n = 0;
    for (char *line = strtok(out, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        if (strncmp(line, "argument\t", 9) != 0)
            continue;
        char *f[6];
        char *p = line;
        size_t k = 0;
        for (; k < 6 && p; k++) {
            f[k] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        if (k < 6)
            continue;
        snprintf(spans[n].role, sizeof spans[n].role, "%s", f[3]);
        spans[n].start = strtoul(f[4], NULL, 10);
        spans[n].end = strtoul(f[5], NULL, 10);
        n++;
    }
    return n;
}

Test(arguments, seed_checks_floor)
{
    const char *shared = shared_dir();
    if (!shared)
        cr_skip_test("../shared not found, skipping the seed checks");
    char seed_path[4096], gold_path[4096];
    snprintf(seed_path, sizeof seed_path, "%s/seeds/000_ac663f40620822e4.txt", shared);
    snprintf(gold_path, sizeof gold_path, "%s/gold/seed-arguments.tsv", shared);
    size_t seed_len = 0, gold_len = 0;
    char *seed = read_file(seed_path, &seed_len);
    char *gold = read_file(gold_path, &gold_len);
    if (!seed || !gold)
        cr_skip_test("seed article or gold file not found, skipping");

    run_result r;
    const char *argv[] = {"-p", "arguments", seed_path, NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    static span spans[1024];
    size_t nspans = parse_records(r.out, spans, 1024);

    size_t checks = 0, ok = 0;
    char *save = NULL;
    for (char *line = strtok_r(gold, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2)
            continue;
        *tab1 = *tab2 = '\0';
        const char *role = line, *passage = tab1 + 1;
        char *at = memmem(seed, seed_len, passage, strlen(passage));
        if (!at)
            continue;
        checks++;
        size_t s = (size_t)(at - seed), e = s + strlen(passage);
        int pass;
        if (strcmp(role, "none") == 0) {
            pass = 1;
            for (size_t i = 0; i < nspans; i++)
                if ((spans[i].end < e ? spans[i].end : e) >
                    (spans[i].start > s ? spans[i].start : s))
                    pass = 0;
        } else {
            pass = 0;
            for (size_t i = 0; i < nspans; i++) {
                if (strcmp(spans[i].role, role) != 0)
                    continue;
                size_t lo = spans[i].start > s ? spans[i].start : s;
                size_t hi = spans[i].end < e ? spans[i].end : e;
                if (hi > lo && (hi - lo) * 2 >= e - s)
                    pass = 1;
            }
        }
        ok += pass;
        if (!pass)
            cr_log_warn("seed check missed: %s %s", role, passage);
    }
    cr_assert_eq(checks, 20, "the gold file changed: %zu checks", checks);
    cr_assert_geq(ok, 18, "seed checks passed: %zu of %zu", ok, checks);
    run_result_free(&r);
    free(seed);
    free(gold);
}

/* ---- documents beyond the budget (-O arguments.budget) ----------------- */

/* A long essay, written for this test: a title, an opening thesis, the
 * same body paragraph `copies` times, a conclusion and a bio.  What the
 * plugin holds of it passes the default budget (1 MiB) twice over, so it
 * is written in segments; the records are those of the whole document:
 * the opening's major claim heads every claim, each body paragraph's
 * premises its claim, the conclusion is the closing major claim, and the
 * bio gives nothing. */
static const char long_title[] = "Should cities ban cars from their centres?\n\n";
static const char long_opening[] =
    "Traffic in old town centres has grown every year. I firmly "
    "believe that city centres should be closed to private cars.\n\n";
static const char long_body[] =
    "First of all, a car-free centre is safer for everyone. Fewer cars mean fewer accidents "
    "involving children. Streets without traffic also invite people to walk, because the air "
    "is cleaner.\n\n";
static const char long_closing[] =
    "In conclusion, closing centres to cars makes towns safer and richer.\n\n";
static const char long_bio[] = "Maria Lopez teaches at the Institute of Urban Studies. The views "
                               "expressed here are personal.\n";

/* Append one record for the span `text` found in `within` at `base`. */
static size_t
expect_record(char *out, size_t id, const char *role, const char *within, size_t base,
              const char *text, size_t sentence, const char *relation, size_t head,
              const char *marker)
{
    const char *at = strstr(within, text);
    cr_assert_not_null(at, "%s", text);
    size_t start = base + (size_t)(at - within);
    char head_field[32] = "-";
    if (head)
        snprintf(head_field, sizeof head_field, "A%zu", head);
    return (size_t)sprintf(out, "argument\t-\tA%zu\t%s\t%zu\t%zu\t%zu\t%s\t%s\t%s\t0\t%s\n", id,
                           role, start, start + strlen(text), sentence, relation, head_field,
                           marker, text);
}

Test(arguments, beyond_budget_long_essay_exact)
{
    enum { copies = 3000 };
    size_t cap = sizeof long_title + sizeof long_opening + copies * sizeof long_body +
                 sizeof long_closing + sizeof long_bio;
    char *doc = malloc(cap);
    char *expected = malloc(copies * 4 * 256 + 1024);
    cr_assert(doc && expected);
    size_t len = (size_t)sprintf(doc, "%s%s", long_title, long_opening);
    size_t n = expect_record(expected, 1, "major_claim", long_opening, sizeof long_title - 1,
                             "city centres should be closed to private cars", 2, "-", 0, "-");
    size_t id = 2, sentence = 3;
    for (int k = 0; k < copies; k++) {
        size_t base = len, claim = id;
        len += (size_t)sprintf(doc + len, "%s", long_body);
        n += expect_record(expected + n, id++, "claim", long_body, base,
                           "a car-free centre is safer for everyone", sentence, "supports", 1, "-");
        n += expect_record(expected + n, id++, "premise", long_body, base,
                           "Fewer cars mean fewer accidents involving children", sentence + 1,
                           "supports", claim, "-");
        n += expect_record(expected + n, id++, "premise", long_body, base,
                           "Streets without traffic also invite people to walk", sentence + 2,
                           "supports", claim, "-");
        n += expect_record(expected + n, id, "premise", long_body, base, "the air is cleaner",
                           sentence + 2, "supports", id - 1, "because");
        id++;
        sentence += 3;
    }
    n += expect_record(expected + n, id, "major_claim", long_closing, len,
                       "closing centres to cars makes towns safer and richer", sentence, "-", 0,
                       "-");
    len += (size_t)sprintf(doc + len, "%s%s", long_closing, long_bio);
    cr_assert_gt(len, (size_t)512 * 1024, "the essay is too short to pass the budget");

    run_result r;
    const char *argv[] = {"-p", "arguments", "-", NULL};
    run_textpipe(&r, doc, argv);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strcmp(r.out, expected) == 0, "records differ from the whole document's");
    run_result_free(&r);
    free(doc);
    free(expected);
}

/* The smallest budget writes every sentence as a segment of its own.  The
 * opening paragraph is then cut, so it is argued as a lone one (its first
 * sentence is a claim, and it names no major claim); claims written
 * before the closing major claim is known link to none; a cut body
 * paragraph's premises still link to its claim, carried over. */
Test(arguments, beyond_budget_every_sentence_a_segment)
{
    static const char essay[] =
        "Should cities ban cars from their centres?\n"
        "\n"
        "Traffic in old town centres has grown every year. I firmly believe that city centres "
        "should be closed to private cars.\n"
        "\n"
        "First of all, a car-free centre is safer for everyone. Fewer cars mean fewer accidents "
        "involving children. Streets without traffic also invite people to walk, because the "
        "air is cleaner.\n"
        "\n"
        "Secondly, shops gain from the change. Visitors on foot stop more often than drivers do. "
        "Some traders argue that customers will stay away. However, towns that closed their "
        "centres report higher sales after a year.\n"
        "\n"
        "In conclusion, closing centres to cars makes towns safer and richer.\n";
    static const char expected[] =
        "argument\t-\tA1\tclaim\t44\t92\t1\t-\t-\t-\t0\t"
        "Traffic in old town centres has grown every year\n"
        "argument\t-\tA2\tclaim\t116\t161\t2\t-\t-\t-\t0\t"
        "city centres should be closed to private cars\n"
        "argument\t-\tA3\tclaim\t178\t217\t3\t-\t-\t-\t0\t"
        "a car-free centre is safer for everyone\n"
        "argument\t-\tA4\tpremise\t219\t269\t4\tsupports\tA3\t-\t0\t"
        "Fewer cars mean fewer accidents involving children\n"
        "argument\t-\tA5\tpremise\t271\t321\t5\tsupports\tA3\t-\t0\t"
        "Streets without traffic also invite people to walk\n"
        "argument\t-\tA6\tpremise\t331\t349\t5\tsupports\tA5\tbecause\t0\t"
        "the air is cleaner\n"
        "argument\t-\tA7\tclaim\t362\t388\t6\t-\t-\t-\t0\t"
        "shops gain from the change\n"
        "argument\t-\tA8\tpremise\t390\t438\t7\tsupports\tA7\t-\t0\t"
        "Visitors on foot stop more often than drivers do\n"
        "argument\t-\tA9\tpremise\t440\t488\t8\tsupports\tA7\t-\t0\t"
        "Some traders argue that customers will stay away\n"
        "argument\t-\tA10\tpremise\t499\t563\t9\tattacks\tA7\tHowever\t0\t"
        "towns that closed their centres report higher sales after a year\n"
        "argument\t-\tA11\tmajor_claim\t581\t633\t10\t-\t-\t-\t0\t"
        "closing centres to cars makes towns safer and richer\n";
    run_result r;
    const char *argv[] = {"-p", "arguments", "-O", "arguments.budget=1", "-", NULL};
    run_textpipe(&r, essay, argv);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, expected);
    run_result_free(&r);
}

Test(arguments, bad_budget_refused)
{
    run_result r;
    const char *argv[] = {"-p", "arguments", "-O", "arguments.budget=lots", "-", NULL};
    run_textpipe(&r, article, argv);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "budget"), "stderr: %s", r.err);
    cr_assert_eq(r.out_len, 0);
    run_result_free(&r);
}

/* ---- the supervised mode ---------------------------------------------- */

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* One essay, a row per paragraph, components as byte offsets into the
 * row's text. */
static void
write_training_file(const char *path)
{
    static const char *const rows[][2] = {
        {"Should towns plant more trees", ""},
        {"Towns grow hotter every summer. I believe that every town should plant more trees.",
         "major_claim:every town should plant more trees"},
        {"First, trees cool the streets. Shade lowers the heat on pavements by several degrees.",
         "claim:trees cool the streets;premise:Shade lowers the heat on pavements by several "
         "degrees"},
        {"In conclusion, planting trees is a cheap way to keep towns livable.",
         "major_claim:planting trees is a cheap way to keep towns livable"},
    };
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("essay\ttext\tcomponents\n", f);
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        fprintf(f, "e1\t%s\t", rows[r][0]);
        char spec[512];
        snprintf(spec, sizeof spec, "%s", rows[r][1]);
        const char *sep = "";
        for (char *item = strtok(spec, ";"); item; item = strtok(NULL, ";")) {
            char *colon = strchr(item, ':');
            *colon = '\0';
            const char *at = strstr(rows[r][0], colon + 1);
            cr_assert_not_null(at);
            size_t start = (size_t)(at - rows[r][0]);
            fprintf(f, "%s%s %zu %zu", sep, item, start, start + strlen(colon + 1));
            sep = ";";
        }
        fputc('\n', f);
    }
    fclose(f);
}

Test(arguments, train_then_run_with_model)
{
    char dir[] = "/tmp/textpipe-test-arguments-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char data[256], model[256], opt[300];
    snprintf(data, sizeof data, "%s/train.tsv", dir);
    snprintf(model, sizeof model, "%s/model.txt", dir);
    write_training_file(data);
    run_result r;
    const char *train[] = {"train", "arguments", "-o", model, data, NULL};
    run_textpipe(&r, NULL, train);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_not_null(strstr(r.err, "4 examples"), "stderr: %s", r.err);
    run_result_free(&r);
    size_t len = 0;
    char *text = read_file(model, &len);
    cr_assert_not_null(text);
    cr_assert(strncmp(text, "arguments-model\t1\t", 18) == 0, "model file: %.40s", text);
    free(text);

    snprintf(opt, sizeof opt, "arguments.model=%s", model);
    const char *run[] = {"-p", "arguments", "-O", opt, "-", NULL};
    run_textpipe(&r, article, run);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    /* whatever the tiny model learnt, records keep their shape */
    cr_assert(r.out_len == 0 || strncmp(r.out, "argument\t-\tA1\t", 14) == 0, "%s", r.out);
    run_result_free(&r);
    unlink(data);
    unlink(model);
    rmdir(dir);
}

Test(arguments, training_rows_need_their_columns)
{
    char path[] = "/tmp/textpipe-test-train-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    write_file(path, "text\tlabel\nSome text here.\tclaim\n");
    char model[300];
    snprintf(model, sizeof model, "%s.model", path);
    run_result r;
    const char *argv[] = {"train", "arguments", "-o", model, path, NULL};
    run_textpipe(&r, NULL, argv);
    unlink(path);
    unlink(model);
    cr_assert_neq(r.status, 0);
    cr_assert_not_null(strstr(r.err, "essay, text and components"), "stderr: %s", r.err);
    run_result_free(&r);
}

Test(arguments, bad_model_refused)
{
    char path[] = "/tmp/textpipe-test-model-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    write_file(path, "not a model\n");
    char opt[128];
    snprintf(opt, sizeof opt, "arguments.model=%s", path);
    run_result r;
    const char *argv[] = {"-p", "arguments", "-O", opt, "-", NULL};
    run_textpipe(&r, article, argv);
    unlink(path);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "not an arguments model"), "stderr: %s", r.err);
    run_result_free(&r);
}
