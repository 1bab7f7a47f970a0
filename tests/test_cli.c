/* test_cli.c: the command line as users meet it: exit codes, messages,
 * golden outputs, -j identity, order independence, merge, pipes. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "textpipe/plugin.h"

static char *
golden(const char *name)
{
    char *g = read_file(test_data(name), NULL);
    cr_assert_not_null(g, "missing golden file tests/data/%s", name);
    return g;
}

Test(cli, help_answers_on_stdout)
{
    run_result r;
    const char *argv[] = {"--help", NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "Usage: textpipe [OPTION]... [FILE]...\n", 38) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "--lines") && strstr(r.out, "Exit status: 0"), "%s", r.out);
    cr_assert_str_eq(r.err, "");
    run_result_free(&r);
}

Test(cli, version_names_the_abi)
{
    run_result r;
    const char *argv[] = {"--version", NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 0);
    char want[64];
    snprintf(want, sizeof want, "textpipe %s\nplugin ABI %d.%d\n", PACKAGE_VERSION, TP_ABI_MAJOR,
             TP_ABI_MINOR);
    cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
    run_result_free(&r);
}

Test(cli, a_bad_option_is_a_usage_error)
{
    run_result r;
    const char *argv[] = {"--bogus", NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.out, "");
    cr_assert_str_eq(r.err, "textpipe: unrecognized option '--bogus'\n"
                            "Try 'textpipe --help' for more information.\n");
    run_result_free(&r);

    const char *argv2[] = {"-j", "0", "-", NULL};
    run_textpipe(&r, "", argv2);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: -j 0: expected a number of threads from 1 to 256\n"
                            "Try 'textpipe --help' for more information.\n");
    run_result_free(&r);

    const char *argv3[] = {"-p", "none", "--lang", "klingon", "-", NULL};
    run_textpipe(&r, "", argv3);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: unknown language \"klingon\" (see textpipe "
                            "--list-languages)\n");
    run_result_free(&r);
}

Test(cli, a_missing_file_among_good_ones_exits_1_and_the_rest_is_processed)
{
    run_result r;
    const char *a = test_data("cli-a.txt"), *b = test_data("cli-b.txt");
    const char *argv[] = {"-p", "wordfreq", a, "/nonexistent/gone.txt", b, NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err, "textpipe: /nonexistent/gone.txt: No such file or directory\n");
    char want_a[4200], want_b[4200];
    snprintf(want_a, sizeof want_a, "wordfreq\t%s\t", a);
    snprintf(want_b, sizeof want_b, "wordfreq\t%s\t", b);
    cr_assert(strstr(r.out, want_a) != NULL && strstr(r.out, want_b) != NULL, "%s", r.out);
    run_result_free(&r);

    const char *argv2[] = {"-p", "wordfreq", TP_SRCDIR "/tests", NULL};
    run_textpipe(&r, NULL, argv2);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err, "textpipe: " TP_SRCDIR "/tests: Is a directory\n");
    run_result_free(&r);
}

Test(cli, tokens_match_the_golden_file)
{
    run_result r;
    const char *argv[] = {"-p", "tokens", "--header", "-", NULL};
    char *in = read_file(test_data("cli-a.txt"), NULL);
    run_textpipe(&r, in, argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *g = golden("cli-a.tokens.tsv");
    cr_assert_str_eq(r.out, g);
    free(g);
    free(in);
    run_result_free(&r);
}

Test(cli, wordfreq_matches_the_golden_file)
{
    run_result r;
    const char *argv[] = {"-p", "wordfreq", "--header", "--lines", "-", NULL};
    char *in = read_file(test_data("cli-lines.txt"), NULL);
    run_textpipe(&r, in, argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *g = golden("cli-lines.wordfreq.tsv");
    cr_assert_str_eq(r.out, g);
    free(g);
    free(in);
    run_result_free(&r);
}

Test(cli, fields_are_escaped)
{
    run_result r;
    const char *argv[] = {"-p", "tokens", "--lines", "-", NULL};
    run_textpipe(&r, "a\\b\tx \\ y\n", argv);
    cr_assert_eq(r.status, 0);
    /* The id "a\b" is escaped; the lone backslash token too. */
    cr_assert(strstr(r.out, "token\ta\\\\b\t0\t1\t2\t3\t\\\\\t\\\\\t\\\\\tsymbol,space\n") != NULL,
              "%s", r.out);
    run_result_free(&r);
}

Test(cli, invalid_input_is_reported_once_and_never_fatal)
{
    run_result r;
    const char *argv[] = {"-p", "tokens", "-", NULL};
    run_textpipe(&r, "\xef\xbb\xbf" "caf\xe9 ok.\r\nnext\r\n", argv);
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.err, "textpipe: -: 1 invalid UTF-8 sequence, 1 byte order mark, 2 CRLF line "
                            "ends (handled; offsets are into the input as it is)\n");
    /* The bad byte stays in the surface and becomes U+FFFD in the norm. */
    cr_assert(strstr(r.out, "\t3\t7\tcaf\xe9\tcaf\xef\xbf\xbd\t") != NULL, "%s", r.out);
    run_result_free(&r);
}

Test(cli, jobs_4_writes_what_jobs_1_writes)
{
    const char *a = test_data("cli-a.txt"), *b = test_data("cli-b.txt"),
               *c = test_data("cli-c.txt");
    const char *one[] = {"-p", "tokens,wordfreq", "-j", "1", a, b, c, a, c, b, a, NULL};
    const char *four[] = {"-p", "tokens,wordfreq", "-j", "4", a, b, c, a, c, b, a, NULL};
    char *x = textpipe_stdout(NULL, one, 0), *y = textpipe_stdout(NULL, four, 0);
    cr_assert(strlen(x) > 1000);
    cr_assert_str_eq(x, y);
    free(x);
    free(y);

    char *lines = read_file(test_data("cli-lines.txt"), NULL);
    const char *l1[] = {"-p", "tokens", "--lines", "-j", "1", "-", NULL};
    const char *l3[] = {"-p", "tokens", "--lines", "-j", "3", "-", NULL};
    x = textpipe_stdout(lines, l1, 0);
    y = textpipe_stdout(lines, l3, 0);
    cr_assert_str_eq(x, y);
    free(x);
    free(y);
    free(lines);
}

Test(cli, a_documents_records_do_not_depend_on_the_documents_before_it)
{
    const char *a = test_data("cli-a.txt"), *b = test_data("cli-b.txt");
    const char *alone[] = {"-p", "tokens,wordfreq", a, NULL};
    const char *after[] = {"-p", "tokens,wordfreq", b, a, NULL};
    char *x = textpipe_stdout(NULL, alone, 0), *y = textpipe_stdout(NULL, after, 0);
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "\t%s\t", a);
    const char *from = strstr(y, prefix);
    cr_assert_not_null(from);
    while (from > y && from[-1] != '\n')
        from--;
    cr_assert_str_eq(from, x);
    free(x);
    free(y);
}

Test(cli, lines_mode_ids)
{
    const char *argv[] = {"-p", "wordfreq", "--lines", "-", NULL};
    char *out = textpipe_stdout("id-1\tAlpha beta.\nGamma delta.\n", argv, 0);
    cr_assert_str_eq(out, "wordfreq\tid-1\talpha\t1\t1\t0\n"
                          "wordfreq\tid-1\tbeta\t1\t1\t6\n"
                          "wordfreq\t-:2\tgamma\t1\t1\t0\n"
                          "wordfreq\t-:2\tdelta\t1\t1\t6\n");
    free(out);
}

Test(cli, merge_does_not_depend_on_how_the_input_was_split)
{
    const char *a = test_data("cli-a.txt"), *b = test_data("cli-b.txt"),
               *c = test_data("cli-c.txt");
    const char *all[] = {"-p", "wordfreq", "--header", a, b, c, NULL};
    char *whole = textpipe_stdout(NULL, all, 0);
    const char *m[] = {"merge", "--header", NULL};
    char *merged = textpipe_stdout(whole, m, 0);
    cr_assert(strncmp(merged, "#wordfreq\tdoc\tstem\tcount\tdocs\tfirst\n", 35) == 0, "%s", merged);

    const char *s1[] = {"-p", "wordfreq", a, NULL};
    const char *s2[] = {"-p", "wordfreq", b, c, NULL};
    char *o1 = textpipe_stdout(NULL, s1, 0), *o2 = textpipe_stdout(NULL, s2, 0);
    const char *plain[] = {"merge", NULL};
    char *m1 = textpipe_stdout(o1, plain, 0), *m2 = textpipe_stdout(o2, plain, 0);
    size_t n1 = strlen(m1), n2 = strlen(m2);
    char *cat = malloc(n1 + n2 + 1);
    memcpy(cat, m1, n1);
    memcpy(cat + n1, m2, n2 + 1);
    char *shards = textpipe_stdout(cat, m, 0);
    cr_assert_str_eq(shards, merged);
    /* "the" is a stopword; "said" occurs in a (1) and c (1): 2 over 2 docs. */
    cr_assert(strstr(merged, "wordfreq\t*\tsaid\t2\t2\t") != NULL, "%s", merged);
    free(whole);
    free(merged);
    free(o1);
    free(o2);
    free(m1);
    free(m2);
    free(cat);
    free(shards);
}

Test(cli, a_closed_pipe_ends_the_run_quietly)
{
    run_result r;
    char cmd[4200];
    snprintf(cmd, sizeof cmd,
             "yes 'Plenty of words in a sentence that repeats.' | head -c 20000000 | "
             "'%s' -p tokens | head -n 1; echo \"status=${PIPESTATUS[2]}\"",
             textpipe_bin());
    const char *argv[] = {"/bin/bash", "-c", cmd, NULL};
    run_command(&r, NULL, argv);
    cr_assert_str_eq(r.out, "token\t-\t0\t0\t0\t6\tPlenty\tplenty\tplenti\tword,capital,sent_start\n"
                            "status=0\n");
    cr_assert_str_eq(r.err, "");
    run_result_free(&r);
}

Test(cli, train_refuses_a_plugin_that_cannot_learn)
{
    run_result r;
    const char *argv[] = {"train", "wordfreq", "-o", "/tmp/never", test_data("cli-a.txt"), NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "textpipe: train: plugin wordfreq (") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, ") cannot be trained\n") != NULL, "%s", r.err);
    run_result_free(&r);
}

Test(cli, sentences_carry_span_paragraph_and_heading_flag)
{
    const char *argv[] = {"-p", "sentences", "--header", "-", NULL};
    char *out = textpipe_stdout("Water Rights in Dry Years\nRain fell for three days. "
                                "Farmers \"welcomed\" it.\n\nTraders did not\nwelcome it.\n",
                                argv, 0);
    cr_assert_str_eq(out,
                     "#sentence\tdoc\tindex\tparagraph\tstart\tend\ttokens\tflags\ttext\n"
                     "sentence\t-\t0\t0\t0\t25\t5\theading,para_start\tWater Rights in Dry Years\n"
                     "sentence\t-\t1\t1\t26\t51\t6\tpara_start\tRain fell for three days.\n"
                     "sentence\t-\t2\t1\t52\t74\t6\t-\tFarmers \"welcomed\" it.\n"
                     "sentence\t-\t3\t2\t76\t103\t6\tpara_start\tTraders did not\\nwelcome it.\n");
    free(out);
}

Test(cli, a_runaway_sentence_is_cut_at_the_cap_and_reported)
{
    /* 2500 words and no stop: one cut after 2000 tokens, flagged. */
    char *in = malloc(2500 * 5 + 2);
    for (int i = 0; i < 2500; i++)
        memcpy(in + 5 * i, "word ", 5);
    in[2500 * 5] = '\n';
    in[2500 * 5 + 1] = '\0';
    run_result r;
    const char *argv[] = {"-p", "sentences", "-", NULL};
    run_textpipe(&r, in, argv);
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.err, "textpipe: -: 1 sentence cut at the length cap (handled; offsets are "
                            "into the input as it is)\n");
    cr_assert(strncmp(r.out, "sentence\t-\t0\t0\t0\t9999\t2000\tcapped,para_start\t", 45) == 0,
              "%.80s", r.out);
    cr_assert(strstr(r.out, "\nsentence\t-\t1\t0\t10000\t12499\t500\t-\t") != NULL, "%s",
              r.out + strlen(r.out) - 200);
    run_result_free(&r);
    free(in);
}
