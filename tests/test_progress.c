/* test_progress.c: progress reports: the exact line of each mode from
 * fixed figures, and what a run prints on stderr in each mode (the bar
 * through a pseudo-terminal). */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "progress.h"

static const progress_figures midway = {
    .docs = 12,
    .docs_total = 340,
    .bytes = 1200000,
    .bytes_total = 45000000,
    .elapsed = 4.0,
};

Test(progress, a_plain_line_says_done_total_mb_rate_and_eta)
{
    char out[512];
    progress_figures counted = {0};
    progress_format(out, sizeof out, PROGRESS_PLAIN, &midway, &counted, 0);
    cr_assert_str_eq(out, "textpipe: 12/340 documents, 1.2/45.0 MB, 0.3 MB/s, 0:04 elapsed, "
                          "ETA 2:26\n");
    progress_figures lines = midway;
    lines.docs_total = 0;
    lines.bytes_total = 0;
    progress_format(out, sizeof out, PROGRESS_PLAIN, &lines, &counted, 0);
    cr_assert_str_eq(out, "textpipe: 12 documents, 1.2 MB, 0.3 MB/s, 0:04 elapsed\n");
}

Test(progress, the_final_line_counts_failures_and_unchanged_documents)
{
    char out[512];
    progress_figures end = {340, 340, 45000000, 45000000, 2, 12, 3725.0};
    progress_figures counted = {0};
    progress_format(out, sizeof out, PROGRESS_PLAIN, &end, &counted, 1);
    cr_assert_str_eq(out, "textpipe: done: 340/340 documents, 2 failed, 12 unchanged, 45.0 MB "
                          "in 1:02:05, 0.0 MB/s\n");
}

Test(progress, hadoop_counters_are_increments_and_status_follows)
{
    char out[1024];
    progress_figures counted = {0};
    progress_format(out, sizeof out, PROGRESS_HADOOP, &midway, &counted, 0);
    cr_assert_str_eq(out, "reporter:counter:textpipe,documents,12\n"
                          "reporter:counter:textpipe,bytes,1200000\n"
                          "reporter:status:textpipe: 12/340 documents, 1.2/45.0 MB, 0.3 MB/s, "
                          "0:04 elapsed, ETA 2:26\n");
    progress_figures later = midway;
    later.docs = 15;
    later.bytes = 1500000;
    later.failed = 1;
    later.elapsed = 5.0;
    progress_format(out, sizeof out, PROGRESS_HADOOP, &later, &counted, 0);
    cr_assert_str_eq(out, "reporter:counter:textpipe,documents,3\n"
                          "reporter:counter:textpipe,bytes,300000\n"
                          "reporter:counter:textpipe,failed,1\n"
                          "reporter:status:textpipe: 15/340 documents, 1 failed, 1.5/45.0 MB, "
                          "0.3 MB/s, 0:05 elapsed, ETA 2:25\n");
}

Test(progress, the_bar_fills_with_the_bytes_and_erases_its_tail)
{
    char out[512];
    progress_figures counted = {0}, half = midway;
    half.bytes = 22500000;
    half.elapsed = 10;
    progress_format(out, sizeof out, PROGRESS_BAR, &half, &counted, 0);
    cr_assert_str_eq(out, "[############............]  50% 12/340 documents, 22.5/45.0 MB, 2.2 "
                          "MB/s, 0:10 elapsed, ETA 0:10\033[K");
}

Test(progress, modes_parse_with_an_optional_interval)
{
    progress_mode m;
    double s;
    cr_assert_eq(progress_parse("plain", &m, &s), 0);
    cr_assert(m == PROGRESS_PLAIN && s == 0);
    cr_assert_eq(progress_parse("hadoop:30", &m, &s), 0);
    cr_assert(m == PROGRESS_HADOOP && s == 30);
    cr_assert_eq(progress_parse("bar:0.5", &m, &s), 0);
    cr_assert(m == PROGRESS_BAR && s == 0.5);
    cr_assert_eq(progress_parse("none", &m, &s), 0);
    cr_assert(m == PROGRESS_NONE);
    cr_assert_eq(progress_parse("loud", &m, &s), -1);
    cr_assert_eq(progress_parse("plain:", &m, &s), -1);
    cr_assert_eq(progress_parse("plain:0", &m, &s), -1);
}

/* ---- what a run prints -------------------------------------------------- */

static const char *const three[] = {"cli-a.txt", "cli-b.txt", "cli-c.txt"};

static long
total_bytes(void)
{
    long n = 0;
    for (int i = 0; i < 3; i++) {
        struct stat st;
        cr_assert_eq(stat(test_data(three[i]), &st), 0);
        n += st.st_size;
    }
    return n;
}

static void
run_three(run_result *r, const char *progress)
{
    char a[4200], b[4200], c[4200];
    snprintf(a, sizeof a, "%s", test_data(three[0]));
    snprintf(b, sizeof b, "%s", test_data(three[1]));
    snprintf(c, sizeof c, "%s", test_data(three[2]));
    const char *argv[] = {"-p", "wordfreq", progress, a, b, c, NULL};
    if (progress == NULL) {
        argv[2] = a, argv[3] = b, argv[4] = c, argv[5] = NULL;
    }
    run_textpipe(r, NULL, argv);
}

static int
matches(const char *pattern, const char *text)
{
    regex_t re;
    cr_assert_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    int ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

Test(progress, nothing_on_stderr_that_is_no_terminal_without_the_option)
{
    run_result r;
    run_three(&r, NULL);
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.err, "");
    run_result_free(&r);
}

Test(progress, plain_ends_with_one_done_line)
{
    run_result r;
    run_three(&r, "--progress=plain");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[200];
    snprintf(want, sizeof want,
             "^textpipe: done: 3/3 documents, 0\\.0 MB in 0:0[0-9], [0-9]+\\.[0-9] MB/s\n$");
    cr_assert(matches(want, r.err), "%s", r.err);
    run_result_free(&r);
}

Test(progress, plain_reports_at_its_interval_while_running)
{
    /* Many documents on stdin lines, a report every 10 ms: every line but
     * the last is an interim one. */
    char *text = malloc(4 << 20);
    size_t n = 0;
    for (int i = 0; n < (4 << 20) - 200; i++)
        n += (size_t)sprintf(text + n, "d%d\tThe council of the river towns met again on Monday.\n",
                             i);
    run_result r;
    const char *argv[] = {"-p", "none", "--lines", "--progress=plain:0.01", "-", NULL};
    run_textpipe(&r, text, argv);
    free(text);
    cr_assert_eq(r.status, 0);
    char *save = NULL, *lines = strdup(r.err);
    int interim = 0, done = 0;
    for (char *l = strtok_r(lines, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (matches("^textpipe: done: [0-9]+ documents, [0-9]+\\.[0-9] MB in [0-9]+:[0-9]{2}, "
                    "[0-9]+\\.[0-9] MB/s$",
                    l)) {
            done++;
            continue;
        }
        cr_assert(done == 0, "a line after the last: %s", l);
        cr_assert(matches("^textpipe: [0-9]+ documents, [0-9]+\\.[0-9] MB, [0-9]+\\.[0-9] MB/s, "
                          "[0-9]+:[0-9]{2} elapsed$",
                          l),
                  "%s", l);
        interim++;
    }
    cr_assert_eq(done, 1, "%s", r.err);
    cr_assert_gt(interim, 0, "no interim report in %s", r.err);
    free(lines);
    run_result_free(&r);
}

Test(progress, hadoop_counts_documents_and_bytes_exactly)
{
    run_result r;
    run_three(&r, "--progress=hadoop");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[200];
    snprintf(want, sizeof want,
             "reporter:counter:textpipe,documents,3\nreporter:counter:textpipe,bytes,%ld\n"
             "reporter:status:textpipe: done: 3/3 documents, 0.0 MB in 0:0",
             total_bytes());
    cr_assert(strncmp(r.err, want, strlen(want)) == 0, "%s", r.err);
    cr_assert(matches("MB/s\n$", r.err), "%s", r.err);
    run_result_free(&r);
}

Test(progress, a_bad_mode_is_a_usage_error)
{
    run_result r;
    const char *argv[] = {"--progress=loud", "-", NULL};
    run_textpipe(&r, "", argv);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: --progress=loud: expected bar, plain, hadoop or none, "
                            "optionally with :SECONDS\nTry 'textpipe --help' for more "
                            "information.\n");
    run_result_free(&r);
}

/* Run textpipe with stderr on a pseudo-terminal cols wide (0: unset);
 * what it wrote there goes to got. */
static void
run_on_terminal(unsigned short cols, char *got, size_t size)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        cr_skip_test("no pseudo-terminal here, skipping the bar");
    char slave[256];
    cr_assert_eq(ptsname_r(master, slave, sizeof slave), 0);
    if (cols > 0) {
        struct winsize ws = {.ws_row = 24, .ws_col = cols};
        cr_assert_eq(ioctl(master, TIOCSWINSZ, &ws), 0);
    }
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fd = open(slave, O_RDWR | O_NOCTTY);
        int null = open("/dev/null", O_RDWR);
        if (fd < 0 || null < 0)
            _exit(127);
        dup2(null, 0);
        dup2(null, 1);
        dup2(fd, 2);
        execl(textpipe_bin(), "textpipe", "-p", "wordfreq", test_data(three[0]),
              test_data(three[1]), (char *)NULL);
        _exit(127);
    }
    size_t n = 0;
    for (;;) {
        struct pollfd p = {master, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            break;
        ssize_t k = read(master, got + n, size - 1 - n);
        if (k <= 0)
            break;
        n += (size_t)k;
        if (n > 0 && got[n - 1] == '\n')
            break;
    }
    got[n] = '\0';
    int status;
    waitpid(pid, &status, 0);
    close(master);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

Test(progress, a_terminal_gets_the_bar_by_default)
{
    char got[8192];
    run_on_terminal(0, got, sizeof got);
    /* Interim bars may come first; the terminal turns LF into CR LF. */
    cr_assert(matches("\r\\[#{24}\\] 100% done: 2/2 documents, 0\\.0 MB in 0:0[0-9], "
                      "[0-9]+\\.[0-9] MB/s\033\\[K\r?\n$",
                      got),
              "%s", got);
}

Test(progress, the_bar_is_cut_to_the_terminal_width)
{
    char got[8192];
    run_on_terminal(60, got, sizeof got); /* 59 columns of text */
    cr_assert(matches("\r\\[#{24}\\] 100% done: 2/2 documents, 0\\.0 MB\033\\[K\r?\n$", got), "%s",
              got);
}
