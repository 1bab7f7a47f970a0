/* test_scaleout.c: textpipe as mapper and reducer: map over shards, shuffle
 * with sort, reduce with merge --sorted equals the single-process run;
 * GNU parallel over shards equals it too; scripts/nightly end to end. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* Runs a shell script with $1 = textpipe, $2 = a fresh temporary
 * directory (also the working directory), $3 = the shipped corpora,
 * $4 = the source tree; fails the test on a non-zero status. */
static void
sh(run_result *r, const char *script, char *dir)
{
    const char *argv[] = {
        "/bin/sh", "-euc", script, "sh", textpipe_bin(), dir, TP_SRCDIR "/corpora",
        TP_SRCDIR, NULL};
    run_command(r, NULL, argv);
    cr_assert_eq(r->status, 0, "script failed (%d):\n%s\nstderr:\n%s", r->status, script, r->err);
}

static char *
temp_dir(void)
{
    char *dir = strdup("/tmp/textpipe-scaleout-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static void
remove_dir(char *dir)
{
    remove_tree(dir);
    free(dir);
}

static size_t
count_prefix(const char *text, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    for (const char *p = text; *p;) {
        n += strncmp(p, prefix, len) == 0;
        const char *nl = strchr(p, '\n');
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return n;
}

/* Every paragraph of the shipped articles as one `id<TAB>text` line: 84
 * documents, in the order of the files. */
#define MAKE_LINES                                                                                 \
    "for f in \"$3\"/*.txt; do b=${f##*/}; "                                                       \
    "awk -v b=\"${b%.txt}\" 'NF { printf \"%s:%d\\t%s\\n\", b, NR, $0 }' \"$f\"; "                 \
    "done > all.tsv\n"
#define SORT "LC_ALL=C sort -s -t\"$(printf '\\t')\" -k1,1 -k3,3"

Test(scaleout, map_shards_sort_reduce_equals_one_process)
{
    char *dir = temp_dir();
    run_result r;
    sh(&r,
       "cd \"$2\"\n" MAKE_LINES
       "\"$1\" --lines -p entities,stance,arguments,wordfreq all.tsv > whole\n"
       "\"$1\" merge whole | " SORT " > expect\n"
       /* map: seven shards of 12 lines, each its own process */
       "split -l 12 all.tsv shard.\n"
       "for s in shard.??; do \"$1\" --lines -p entities,stance,arguments,wordfreq \"$s\" > "
       "\"$s.out\"; done\n"
       /* shuffle and reduce */
       "cat shard.??.out | " SORT " | \"$1\" merge --sorted > got\n"
       /* the same with whole files as documents, in two shards */
       "\"$1\" \"$3\"/*.txt | \"$1\" merge | " SORT " > expect-files\n"
       "set -- \"$1\" \"$2\" \"$3\"/*.txt\n"
       "T=$1; shift 2\n"
       "{ \"$T\" \"$1\" \"$2\"; shift 2; \"$T\" \"$@\"; } | " SORT
       " | \"$T\" merge --sorted > got-files\n",
       dir);
    run_result_free(&r);
    char *expect = read_file_in(dir, "expect"), *got = read_file_in(dir, "got");
    cr_assert_gt(count_prefix(expect, "entity\t*\t"), 100);
    cr_assert_gt(count_prefix(expect, "argument\t*\t"), 5);
    cr_assert_gt(count_prefix(expect, "wordfreq\t*\t"), 500);
    cr_assert_str_eq(got, expect);
    char *expect_files = read_file_in(dir, "expect-files"),
         *got_files = read_file_in(dir, "got-files");
    cr_assert_gt(count_prefix(expect_files, "stance\t*\t"), 5);
    cr_assert_str_eq(got_files, expect_files);
    free(expect);
    free(got);
    free(expect_files);
    free(got_files);
    remove_dir(dir);
}

Test(scaleout, shuffled_map_output_gives_the_same_keys_and_numbers)
{
    /* A shuffle that does not keep the shards' order (Hadoop's) changes
     * only orders: of items in text columns, and of the keys that share a
     * first key column.  entity, type, count and first stay. */
    char *dir = temp_dir();
    run_result r;
    sh(&r,
       "cd \"$2\"\n" MAKE_LINES "\"$1\" --lines -p entities all.tsv > whole\n"
       "\"$1\" merge whole | cut -f1-6 | LC_ALL=C sort > expect\n"
       "awk 'NR % 2' whole > odd; awk 'NR % 2 == 0' whole > even\n"
       "cat even odd | " SORT " | \"$1\" merge --sorted | cut -f1-6 | LC_ALL=C sort > got\n",
       dir);
    run_result_free(&r);
    char *expect = read_file_in(dir, "expect"), *got = read_file_in(dir, "got");
    cr_assert_gt(count_prefix(expect, "entity\t*\t"), 100);
    cr_assert_str_eq(got, expect);
    free(expect);
    free(got);
    remove_dir(dir);
}

static const char *
gnu_parallel(void)
{
    static const char *const where[] = {"/usr/bin/parallel", "/usr/local/bin/parallel"};
    for (size_t i = 0; i < 2; i++)
        if (access(where[i], X_OK) == 0)
            return where[i];
    return NULL;
}

Test(scaleout, gnu_parallel_over_shards_equals_one_process)
{
    const char *parallel = gnu_parallel();
    if (parallel == NULL)
        cr_skip_test("GNU parallel not found (Debian package parallel), skipping");
    char *dir = temp_dir();
    run_result r;
    char script[2048];
    snprintf(script, sizeof script,
             "cd \"$2\"\n%s\"$1\" --lines all.tsv > whole\n"
             "\"$1\" merge whole | " SORT " > expect\n"
             /* 8 KB blocks: three jobs at once (parallel starts slowly) */
             "%s --will-cite --pipe --block 8k -k -j 4 \"$1\" --lines < all.tsv > mapped\n" SORT
             " mapped | \"$1\" merge --sorted > got\n",
             MAKE_LINES, parallel);
    sh(&r, script, dir);
    run_result_free(&r);
    char *whole = read_file_in(dir, "whole"), *mapped = read_file_in(dir, "mapped");
    cr_assert_gt(count_prefix(whole, "argument\t"), 10);
    cr_assert_str_eq(mapped, whole);
    char *expect = read_file_in(dir, "expect"), *got = read_file_in(dir, "got");
    cr_assert_str_eq(got, expect);
    free(whole);
    free(mapped);
    free(expect);
    free(got);
    remove_dir(dir);
}

/* ---- scripts/nightly ---------------------------------------------------- */

Test(scaleout, nightly_twice_processes_only_what_changed)
{
    char *dir = temp_dir();
    run_result r;
    sh(&r,
       "cd \"$2\"; T=$1; export TEXTPIPE=$1\n"
       "mkdir corpus; cp \"$3\"/*.txt corpus/\n"
       "NIGHTLY_DATE=2026-01-01 sh \"$4/scripts/nightly\" corpus out 2> log1\n"
       "$T -r corpus | $T merge | LC_ALL=C sort > expect1\n"
       "LC_ALL=C sort out/totals.tsv > totals1\n"
       /* a day later: one article changed, one added, one only touched */
       "printf '%s\\n' 'A late paragraph: the Mekong River Commission met in Vientiane again.'"
       " >> corpus/en-river-treaty.txt\n"
       "printf '%s\\n' 'Ferries for the Fjords' 'Norway should fund the ferries of its western"
       " fjords, said Ingrid Dahl in Bergen, because the roads close every winter.'"
       " > corpus/en-new-ferries.txt\n"
       "touch -d '2030-01-01 00:00' corpus/ru-arktika.txt\n"
       "NIGHTLY_DATE=2026-01-02 sh \"$4/scripts/nightly\" corpus out 2> log2\n"
       "$T -r corpus | $T merge | LC_ALL=C sort > expect2\n"
       "LC_ALL=C sort out/totals.tsv > totals2\n"
       "for f in out/runs/2026-01-02/*.tsv; do grep -v '^#' \"$f\" || :; done"
       " | cut -f2 | LC_ALL=C sort -u > docs2\n"
       /* and once more the same day: nothing to do */
       "NIGHTLY_DATE=2026-01-02 sh \"$4/scripts/nightly\" corpus out 2> log3\n"
       "ls out/runs > runs\n",
       dir);
    run_result_free(&r);

    char *log1 = read_file_in(dir, "log1"), *log2 = read_file_in(dir, "log2"),
         *log3 = read_file_in(dir, "log3");
    cr_assert(strstr(log1, "textpipe: done: 5/5 documents"), "%s", log1);
    cr_assert(strstr(log1, "nightly: 2026-01-01: 5 new or changed documents\n"), "%s", log1);
    /* The second night processes just the changed and the new article
     * (textpipe --state; the touched one is unchanged). */
    cr_assert(strstr(log2, "textpipe: done: 6/6 documents, 4 unchanged"), "%s", log2);
    cr_assert(strstr(log2, "nightly: 2026-01-02: 2 new or changed documents\n"), "%s", log2);
    cr_assert(strstr(log3, "nightly: 2026-01-02.02: 0 new or changed documents\n"), "%s", log3);
    char *night = read_file_in(dir, "out/runs/2026-01-02/.documents");
    cr_assert_str_eq(night, "corpus/en-new-ferries.txt\ncorpus/en-river-treaty.txt\n");
    char *docs2 = read_file_in(dir, "docs2");
    cr_assert_str_eq(docs2, "corpus/en-new-ferries.txt\ncorpus/en-river-treaty.txt\n");
    char *runs = read_file_in(dir, "runs");
    cr_assert_str_eq(runs, "2026-01-01\n2026-01-02\n2026-01-02.02\n");

    /* Cumulative totals equal a merge of one fresh run over the corpus. */
    char *expect1 = read_file_in(dir, "expect1"), *totals1 = read_file_in(dir, "totals1");
    cr_assert_gt(count_prefix(expect1, "entity\t*\t"), 100);
    cr_assert_str_eq(totals1, expect1);
    char *expect2 = read_file_in(dir, "expect2"), *totals2 = read_file_in(dir, "totals2");
    cr_assert(strstr(expect2, "entity\t*\tIngrid Dahl\tPERSON\t1\t"), "%s", expect2);
    cr_assert_str_eq(totals2, expect2);

    char *page = read_file_in(dir, "out/report.html");
    cr_assert(strstr(page, "<svg id=\"chart-entities\""));
    cr_assert(strstr(page, "<svg id=\"chart-trend\""));
    cr_assert(strstr(page, "6 documents"), "%.600s", page);
    cr_assert(strstr(page, "from 3 runs: 2026-01-01 to 2026-01-02.02. Totals are over the corpus "
                           "as it is now."));
    free(log1);
    free(log2);
    free(log3);
    free(night);
    free(docs2);
    free(runs);
    free(expect1);
    free(totals1);
    free(expect2);
    free(totals2);
    free(page);
    remove_dir(dir);
}
