/* test_loader.c: the plugin handshake: refusals name the file, what was
 * found and what was expected, exit 2, and write no record. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "loader.h"

#define TEST_PLUGIN(name) TP_BUILDDIR "/tests/plugins/.libs/" name ".so"

static void
expect_refusal(const char *path, const char *why)
{
    char err[4096];
    plugin *p = loader_open(path, err, sizeof err);
    cr_assert_null(p, "%s was loaded", path);
    char want[4096];
    snprintf(want, sizeof want, "%s: %s", path, why);
    cr_assert_str_eq(err, want);
}

Test(loader, refuses_another_abi_major)
{
    expect_refusal(TEST_PLUGIN("bad_abi"), "refused: built for plugin ABI 99.0, expected ABI 1.x");
}

Test(loader, refuses_a_short_descriptor)
{
    char why[256];
    snprintf(why, sizeof why, "refused: descriptor is 16 bytes, expected at least %zu (ABI 1.0)",
             offsetof(tp_plugin, destroy) + sizeof(void (*)(void *)));
    expect_refusal(TEST_PLUGIN("short_desc"), why);
}

Test(loader, refuses_a_missing_entry_point)
{
    expect_refusal(TEST_PLUGIN("no_entry"),
                   "no entry point textpipe_plugin_v1() (not a textpipe plugin, or built for "
                   "another ABI)");
}

Test(loader, refuses_a_file_that_is_not_a_shared_object)
{
    char err[4096];
    const char *path = test_data("cli-a.txt");
    cr_assert_null(loader_open(path, err, sizeof err));
    cr_assert(strncmp(err, path, strlen(path)) == 0, "%s", err);
    cr_assert(strstr(err, ": cannot load: ") != NULL, "%s", err);
}

Test(loader, checks_descriptors_in_memory)
{
    static const tp_column cols[] = {{"x", TP_ROLE_KEY}};
    static const tp_record_type bad_name[] = {{"Bad Name", cols, 1}};
    tp_plugin d = {.size = sizeof d, .abi_major = TP_ABI_MAJOR, .name = "ok",
                   .version = "1", .summary = "s", .create = NULL};
    char err[512];
    cr_assert_eq(loader_check(&d, err, sizeof err), -1);
    cr_assert_str_eq(err, "descriptor has no create callback");
    d.create = (int (*)(const tp_host *, tp_ctx *, void **))1;
    d.name = "Upper";
    cr_assert_eq(loader_check(&d, err, sizeof err), -1);
    cr_assert_str_eq(err, "descriptor name \"Upper\" is not [a-z0-9_-]+");
    d.name = "ok";
    d.records = bad_name;
    d.nrecords = 1;
    cr_assert_eq(loader_check(&d, err, sizeof err), -1);
    cr_assert_str_eq(err, "record type 0 (\"Bad Name\") needs a [a-z0-9_-]+ name and columns");
    d.records = NULL;
    d.nrecords = 0;
    cr_assert_eq(loader_check(&d, err, sizeof err), 0);
}

/* Through the command line: exit 2, the message, and no output at all. */
static void
expect_cli_refusal(const char *plugin, const char *message)
{
    run_result r;
    const char *argv[] = {"-p", plugin, test_data("cli-a.txt"), NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 2, "status %d, stderr: %s", r.status, r.err);
    cr_assert_str_eq(r.out, "");
    cr_assert_str_eq(r.err, message);
    run_result_free(&r);
}

Test(loader_cli, refusals_exit_2_before_any_input)
{
    expect_cli_refusal(TEST_PLUGIN("bad_abi"), "textpipe: " TEST_PLUGIN("bad_abi")
                       ": refused: built for plugin ABI 99.0, expected ABI 1.x\n");
    expect_cli_refusal(TEST_PLUGIN("fail_create"),
                       "textpipe: refused: cannot start (" TEST_PLUGIN("fail_create")
                       "): cannot open lexicon /nonexistent/words.tsv\n");
    expect_cli_refusal(TEST_PLUGIN("no_entry"),
                       "textpipe: " TEST_PLUGIN("no_entry") ": no entry point textpipe_plugin_v1() "
                       "(not a textpipe plugin, or built for another ABI)\n");
}

Test(loader_cli, an_unknown_plugin_names_where_it_looked)
{
    run_result r;
    const char *argv[] = {"-p", "nosuch", "--plugin-path", "/tmp/a:/tmp/b", "-", NULL};
    run_textpipe(&r, "text", argv);
    cr_assert_eq(r.status, 2);
    const char *want = "textpipe: no plugin \"nosuch\" (looked for nosuch.so in: /tmp/a /tmp/b ";
    cr_assert(strncmp(r.err, want, strlen(want)) == 0, "%s", r.err);
    cr_assert(strstr(r.err, "); see textpipe --list-plugins\n") != NULL, "%s", r.err);
    run_result_free(&r);
}

Test(loader_cli, a_record_with_the_wrong_field_count_fails_the_document)
{
    run_result r;
    const char *argv[] = {"-p", TEST_PLUGIN("bad_write"), "-", NULL};
    run_textpipe(&r, "One sentence.", argv);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.out, "");
    cr_assert_str_eq(r.err, "textpipe: refused: doc -: write: pair record with 1 fields, declared 2\n"
                            "textpipe: refused: doc -: the host refused a record\n");
    run_result_free(&r);
}

Test(loader_cli, sentences_lend_the_stems_hashes)
{
    /* words seen once (hashed as analysed) and again (from the cache) */
    const char *argv[] = {"-p", TEST_PLUGIN("stem_hashes"), "-", NULL};
    char *out = textpipe_stdout("Rivers rose. The rivers rose again, flooding Zaragoza.\n"
                                "Flooding rivers rose.\n",
                                argv, 1);
    cr_assert_str_eq(out, "hashes\t-\t3\t3\nhashes\t-\t8\t8\nhashes\t-\t4\t4\n");
    free(out);
}

Test(loader_cli, unknown_option_keys_list_the_valid_ones)
{
    run_result r;
    const char *argv[] = {"-p", "wordfreq", "-O", "wordfreq.bogus=1", "-", NULL};
    run_textpipe(&r, "text", argv);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: -O wordfreq.bogus=1: wordfreq: unknown option \"bogus\"; "
                            "valid keys: min-count stopwords\n");
    run_result_free(&r);
}

Test(loader_cli, list_plugins_shows_columns_roles_and_options)
{
    run_result r;
    const char *argv[] = {"--list-plugins", NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "wordfreq 1.0\tstem frequencies per document (merge sums them over a "
                            "corpus)\n") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "  record wordfreq: doc stem(key) count(sum) docs(sum) first(min)\n")
              != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "  -O wordfreq.min-count=...\twrite stems seen at least this often in "
                            "the document (default: 1)\n") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "tokens 0.1.0\t") != NULL, "%s", r.out);
    run_result_free(&r);
}
