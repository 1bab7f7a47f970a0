/* test_report.c: `textpipe report`: what the page counts (the newest run
 * of each document), escaping, a golden page, the command's errors, and a
 * real browser (headless Chromium) rendering it. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "helpers.h"

static char *
two_runs(void)
{
    const char *argv[] = {
        "report", "--title", "Two runs", test_data("report-run1.tsv"), test_data("report-run2.tsv"),
        NULL};
    return textpipe_stdout(NULL, argv, 1);
}

static size_t
count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

/* text with "textpipe VERSION" (the golden file's spelling, so that a
 * new version needs no new golden file) made "textpipe X.Y.Z". */
static char *
versioned(const char *text)
{
    static const char from[] = "textpipe VERSION", to[] = "textpipe " PACKAGE_VERSION;
    char *out = malloc(strlen(text) * 2 + sizeof to), *o = out;
    const char *p;
    while ((p = strstr(text, from)) != NULL) {
        memcpy(o, text, (size_t)(p - text));
        o += p - text;
        memcpy(o, to, sizeof to - 1);
        o += sizeof to - 1;
        text = p + sizeof from - 1;
    }
    strcpy(o, text);
    return out;
}

Test(report, golden_page)
{
    char *page = two_runs();
    char *golden = read_file(test_data("report-expected.html"), NULL);
    cr_assert_not_null(golden, "missing tests/data/report-expected.html");
    char *want = versioned(golden);
    cr_assert_str_eq(page, want);
    free(page);
    free(golden);
    free(want);
}

Test(report, each_document_counts_from_the_newest_run_that_has_it)
{
    char *page = two_runs();
    /* a.txt: 4 (run 2 replaces its 2 of run 1), b.txt: 1 */
    cr_assert(strstr(page, "<title>Oslo (GPE): 5 mentions</title>"), "%s", page);
    cr_assert(strstr(page, "<title>Bergen (GPE): 2 mentions</title>"), "%s", page);
    /* Nordic Council was in a.txt's first version only. */
    cr_assert_null(strstr(page, "Nordic Council (ORG)"));
    /* Oslo: a.txt now against, b.txt against; Nordic Council: no side. */
    cr_assert(strstr(page, "<title>Oslo: 2 against, 0 in favour, 0 neither (documents)</title>"));
    cr_assert(strstr(page, "<title>Bergen: 0 against, 1 in favour, 0 neither (documents)</title>"));
    cr_assert_null(strstr(page, "<title>Nordic Council:"));
    /* a.txt's claim is the new one, and its old premise is gone. */
    cr_assert(strstr(page, "<td class=\"text\">Oslo may host the council</td><td>claim</td>"
                           "<td class=\"num\">0</td><td class=\"doc\">a.txt</td>"
                           "<td class=\"num\">0&ndash;35</td>"));
    cr_assert_null(strstr(page, "Oslo should host"));
    /* b.txt's claim has a premise for it and one against: support 2. */
    cr_assert(strstr(page, "<td>claim</td><td class=\"num\">2</td><td class=\"doc\">b.txt</td>"));
    /* The line chart has each run's own counts: Oslo 3 then 4. */
    cr_assert(strstr(page, "<svg id=\"chart-trend\""));
    cr_assert_eq(count(page, "<polyline"), 3);
    cr_assert(strstr(page, "3 documents, 12 records, from 2 runs: report-run1 to report-run2. "
                           "Totals count each document once, from the newest run that has it."));
    free(page);
}

Test(report, escapes_everything_and_fetches_nothing)
{
    char *page = two_runs();
    cr_assert(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt; is no claim\tbut text"));
    cr_assert(strstr(page, "Ada &lt;Lovelace&gt; &amp; &quot;Co&quot;"));
    /* No script, no link or source to load, no URL at all. */
    static const char *const never[] = {
        "<script", "http:", "https:", "src=", "href=", "url(", "@import", "<link", "<iframe"};
    for (size_t i = 0; i < sizeof never / sizeof *never; i++)
        for (const char *p = page; *p; p++)
            cr_assert(strncasecmp(p, never[i], strlen(never[i])) != 0, "found %s", never[i]);
    free(page);
}

Test(report, current_records_alone_make_the_totals)
{
    /* The corpus now: a.txt was deleted, b.txt is as it was. */
    const char *argv[] = {
        "report", "--current", "-", test_data("report-run1.tsv"), test_data("report-run2.tsv"),
        NULL};
    char *page = textpipe_stdout("entity\tb.txt\tOslo\tGPE\t1\t5\tOslo\n"
                                 "stance\tb.txt\tOslo\tAGAINST\t-0.4\t1\t0\t1\n",
                                 argv, 1);
    cr_assert(strstr(page, "<title>Oslo (GPE): 1 mentions</title>"), "%s", page);
    cr_assert_null(strstr(page, "<title>Bergen (GPE)"));
    cr_assert(strstr(page, "<title>Oslo: 1 against, 0 in favour, 0 neither (documents)</title>"));
    cr_assert(strstr(page, "<p class=\"note\">No claims.</p>"));
    /* The runs still draw their own counts: Oslo 3, then 4. */
    cr_assert(strstr(page, "<svg id=\"chart-trend\""));
    cr_assert(strstr(page, "1 document, 2 records, from 2 runs: report-run1 to report-run2. "
                           "Totals are over the corpus as it is now."));
    free(page);
}

Test(report, one_run_has_no_line_chart)
{
    const char *argv[] = {"report", "-", NULL};
    char *page = textpipe_stdout("entity\td\tOslo\tGPE\t2\t0\tOslo\n", argv, 1);
    cr_assert(strstr(page, "<svg id=\"chart-entities\""));
    cr_assert_null(strstr(page, "<svg id=\"chart-trend\""));
    cr_assert(strstr(page, "<p class=\"note\">One run so far: the chart needs two.</p>"));
    cr_assert(strstr(page, "<p class=\"note\">No document takes a side on a target.</p>"));
    cr_assert(strstr(page, "<p class=\"note\">No claims.</p>"));
    cr_assert(strstr(page, "<title>textpipe report</title>"));
    free(page);
}

Test(report, a_header_line_names_the_columns)
{
    const char *argv[] = {"report", "-", NULL};
    char *page = textpipe_stdout("#entity\tdoc\tcount\ttype\tentity\n"
                                 "entity\td\t7\tORG\tAcme\n",
                                 argv, 1);
    cr_assert(strstr(page, "<title>Acme (ORG): 7 mentions</title>"), "%s", page);
    free(page);
}

Test(report, errors)
{
    run_result r;
    const char *none[] = {"report", NULL};
    run_textpipe(&r, NULL, none);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.out, "");
    cr_assert_str_eq(r.err, "textpipe: report: expected at least one RUN (a records file or "
                            "directory)\nTry 'textpipe report --help' for more information.\n");
    run_result_free(&r);

    const char *missing[] = {"report", "/nonexistent/run", test_data("report-run2.tsv"), NULL};
    run_textpipe(&r, NULL, missing);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err, "textpipe: report: /nonexistent/run: No such file or directory\n");
    cr_assert(strstr(r.out, "<title>Bergen (GPE): 2 mentions</title>"));
    run_result_free(&r);

    const char *short_line[] = {"report", "-", NULL};
    run_textpipe(&r, "entity\td\tOslo\n", short_line);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err, "textpipe: report: -:1: entity record with 3 fields, expected 5\n");
    run_result_free(&r);

    const char *top[] = {"report", "--top", "0", "-", NULL};
    run_textpipe(&r, "", top);
    cr_assert_eq(r.status, 2);
    run_result_free(&r);
}

Test(report, output_file_and_directories_of_records)
{
    char dir[] = "/tmp/textpipe-report-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char script[4096];
    /* Runs as `textpipe -o DIR` writes them: one file a record type. */
    snprintf(script, sizeof script,
             "set -e; cd %s; mkdir -p runs/1 runs/2\n"
             "grep '^entity' %s > runs/1/entity.tsv; grep -v '^entity' %s > runs/1/other.tsv\n"
             "cp %s runs/2/all.tsv; echo 'entity\td\tJunk\tORG\t9\t0\tJunk' > runs/2/.hidden.tsv\n"
             "%s report -o page.html runs/1 runs/2/\n",
             dir, test_data("report-run1.tsv"), test_data("report-run1.tsv"),
             test_data("report-run2.tsv"), textpipe_bin());
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    run_result r;
    run_command(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    run_result_free(&r);
    char path[256];
    snprintf(path, sizeof path, "%s/page.html", dir);
    char *page = read_file(path, NULL);
    cr_assert_not_null(page);
    cr_assert(strstr(page, "<title>Oslo (GPE): 5 mentions</title>"));
    cr_assert_null(strstr(page, "Junk"));
    cr_assert(strstr(page, "from 2 runs: 1 to 2."));
    free(page);
    snprintf(script, sizeof script, "rm -rf %s", dir);
    const char *rm[] = {"/bin/sh", "-c", script, NULL};
    run_command(&r, NULL, rm);
    run_result_free(&r);
}

/* ---- in a real browser -------------------------------------------------- */

#define CHROMIUM "/usr/bin/chromium"
#define CHROMIUM_FLAGS                                                                             \
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "                         \
    "--disable-background-networking --disable-component-update --disable-sync "                   \
    "--window-size=1200,2000"

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

Test(report, chromium_renders_the_charts, .timeout = 120)
{
    if (access(CHROMIUM, X_OK) != 0)
        cr_skip_test(CHROMIUM " not found (Debian package chromium), skipping the browser test");
    char dir[] = "/tmp/textpipe-browser-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char script[8192];
    /* The report of the shipped articles in three runs, and, for scale,
     * a blank page: both rendered at once (Chromium starts slowly). */
    snprintf(script, sizeof script,
             "set -e; cd %s; C=%s/corpora; T=%s\n"
             "$T $C/en-river-treaty.txt $C/en-grain-corridor.txt > 2026-01-01.tsv\n"
             "$T $C/en-port-investment.txt $C/en-river-treaty.txt > 2026-01-02.tsv\n"
             "$T $C/fr-accord-energie.txt $C/ru-arktika.txt > 2026-01-03.tsv\n"
             "$T report -o report.html 2026-01-01.tsv 2026-01-02.tsv 2026-01-03.tsv\n"
             "echo '<!DOCTYPE html><html><body></body></html>' > blank.html\n"
             "%s " CHROMIUM_FLAGS " --user-data-dir=$(mktemp -d -p .) --screenshot=$PWD/report.png"
             " --dump-dom file://$PWD/report.html > dom.html 2> chromium.log &\n"
             "%s " CHROMIUM_FLAGS " --user-data-dir=$(mktemp -d -p .) --screenshot=$PWD/blank.png"
             " file://$PWD/blank.html > /dev/null 2>> chromium.log &\n"
             "wait\n",
             dir, TP_SRCDIR, textpipe_bin(), CHROMIUM, CHROMIUM);
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    run_result r;
    run_command(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_result_free(&r);

    char path[256];
    snprintf(path, sizeof path, "%s/dom.html", dir);
    char *dom = read_file(path, NULL);
    cr_assert_not_null(dom);
    /* The browser built the page: the three charts with their bars, lines
     * and points, and the claims table. */
    cr_assert(strstr(dom, "<svg id=\"chart-entities\""), "DOM:\n%.2000s", dom);
    cr_assert(strstr(dom, "<svg id=\"chart-trend\""));
    cr_assert(strstr(dom, "<svg id=\"chart-stance\""));
    cr_assert(strstr(dom, "<table id=\"claims\">"));
    cr_assert_geq(count(dom, "<g class=\"bar\">"), 10);
    cr_assert_geq(count(dom, "<polyline"), 5);
    cr_assert_geq(count(dom, "<g class=\"target\">"), 5);
    cr_assert_eq(count(dom, "<tr><td>"), 15);
    cr_assert(strstr(dom, "Mekong"));
    free(dom);

    size_t len, blank_len;
    snprintf(path, sizeof path, "%s/report.png", dir);
    unsigned char *png = (unsigned char *)read_file(path, &len);
    snprintf(path, sizeof path, "%s/blank.png", dir);
    char *blank = read_file(path, &blank_len);
    cr_assert_not_null(png, "no screenshot");
    cr_assert_not_null(blank, "no screenshot of the blank page");
    cr_assert_gt(len, 24);
    cr_assert(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(png + 12, "IHDR", 4) == 0);
    cr_assert_eq(be32(png + 16), 1200);
    cr_assert_eq(be32(png + 20), 2000);
    /* Charts and text compress far worse than white: a page that rendered
     * blank would be about the size of the blank one. */
    cr_assert_gt(len, 5 * blank_len, "screenshot %zu bytes, blank page %zu", len, blank_len);
    free(png);
    free(blank);

    snprintf(script, sizeof script, "rm -rf %s", dir);
    const char *rm[] = {"/bin/sh", "-c", script, NULL};
    run_command(&r, NULL, rm);
    run_result_free(&r);
}
