/* test_state.c: --state: a run killed with SIGKILL (or stopped with
 * SIGINT) and resumed writes what one clean run writes, byte for byte;
 * reruns process just the new, changed and failed documents, or all of
 * them when the plugins changed; gone documents are reported. */
#include "config.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define MAXARGS 32

typedef struct fixture {
    char *dir;
    char corpus[4200], out[4200], state[4200], clean[4200];
} fixture;

static void
setup(fixture *f)
{
    f->dir = strdup("/tmp/tp-state-XXXXXX");
    cr_assert_not_null(mkdtemp(f->dir));
    snprintf(f->corpus, sizeof f->corpus, "%s/corpus", f->dir);
    snprintf(f->out, sizeof f->out, "%s/out", f->dir);
    snprintf(f->state, sizeof f->state, "%s/state", f->dir);
    snprintf(f->clean, sizeof f->clean, "%s/clean", f->dir);
    mkdir(f->corpus, 0777);
}

static void
teardown(fixture *f)
{
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    cr_assert_eq(system(cmd), 0);
    free(f->dir);
}

static void
article(const fixture *f, int i, int sentences, const char *extra)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/a%03d.txt", f->corpus, i);
    FILE *out = fopen(path, "w");
    cr_assert_not_null(out);
    fprintf(out, "Report %d\n\n", i);
    for (int s = 0; s < sentences; s++)
        fprintf(out,
                "On day %d the river council of town %d asked the harbour board for %d "
                "new cranes, and the board said it would decide by spring. ",
                s, i, s * 7 + i);
    fprintf(out, "\n%s", extra ? extra : "");
    fclose(out);
}

/* textpipe -p PLUGINS [extra...] -o OUT [--state STATE] -r CORPUS */
static void
run(run_result *r, const fixture *f, const char *out, int with_state, const char *const *extra)
{
    const char *argv[MAXARGS];
    size_t n = 0;
    argv[n++] = "-p";
    argv[n++] = "tokens,wordfreq";
    for (; extra && *extra; extra++)
        argv[n++] = *extra;
    argv[n++] = "-o";
    argv[n++] = out;
    if (with_state) {
        argv[n++] = "--state";
        argv[n++] = f->state;
    }
    argv[n++] = "-r";
    argv[n++] = f->corpus;
    argv[n] = NULL;
    run_textpipe(r, NULL, argv);
}

/* The state's output equals a clean run's over the corpus as it is now. */
static void
assert_same_as_clean(const fixture *f)
{
    run_result r;
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->clean);
    cr_assert_eq(system(cmd), 0);
    run(&r, f, f->clean, 0, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_result_free(&r);
    const char *names[] = {"token.tsv", "wordfreq.tsv"};
    for (int i = 0; i < 2; i++) {
        char *want = read_file_in(f->clean, names[i]), *got = read_file_in(f->out, names[i]);
        cr_assert(strcmp(want, got) == 0, "%s differs from a clean run's", names[i]);
        free(want);
        free(got);
    }
    /* And so do the merged results. */
    char a[4300], b[4300];
    snprintf(a, sizeof a, "%s/wordfreq.tsv", f->out);
    snprintf(b, sizeof b, "%s/wordfreq.tsv", f->clean);
    const char *ma[] = {"merge", a, NULL}, *mb[] = {"merge", b, NULL};
    run_result x, y;
    run_textpipe(&x, NULL, ma);
    run_textpipe(&y, NULL, mb);
    cr_assert_eq(x.status, 0);
    cr_assert(strlen(x.out) > 100);
    cr_assert_str_eq(x.out, y.out);
    run_result_free(&x);
    run_result_free(&y);
}

static int
count_lines(const char *text, const char *prefix)
{
    int n = 0;
    size_t pl = strlen(prefix);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        n += strncmp(l, prefix, pl) == 0;
    return n;
}

/* Plain progress with a period no run here reaches, so that the summary is
 * stderr's first line however slow the machine (under ASan a run of the
 * big corpus can take longer than the default period). */
static const char *const plain[] = {"--progress=plain:3600", NULL};

Test(state, a_rerun_processes_just_the_new_and_the_changed)
{
    fixture f;
    setup(&f);
    for (int i = 0; i < 6; i++)
        article(&f, i, 5, NULL);
    run_result r;
    run(&r, &f, f.out, 1, plain);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "textpipe: done: 6/6 documents, 0.0 MB in ") == r.err, "%s", r.err);
    run_result_free(&r);
    assert_same_as_clean(&f);

    /* Nothing changed: nothing is processed. */
    run(&r, &f, f.out, 1, plain);
    cr_assert(strstr(r.err, "textpipe: done: 6/6 documents, 6 unchanged, 0.0 MB in ") == r.err,
              "%s", r.err);
    run_result_free(&r);

    /* One new, one changed, one touched (same bytes, a new time). */
    article(&f, 6, 3, NULL);
    article(&f, 2, 5, "A last line was added.\n");
    article(&f, 4, 5, NULL);
    run(&r, &f, f.out, 1, plain);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "textpipe: done: 7/7 documents, 5 unchanged, ") == r.err, "%s", r.err);
    run_result_free(&r);
    assert_same_as_clean(&f);

    /* A gone document is reported, and its records leave the output. */
    char gone[4300];
    snprintf(gone, sizeof gone, "%s/a003.txt", f.corpus);
    unlink(gone);
    run(&r, &f, f.out, 1, plain);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[9000];
    snprintf(want, sizeof want,
             "textpipe: %s: gone since the last run; its records are dropped\n"
             "textpipe: done: 6/6 documents, 6 unchanged, ",
             gone);
    cr_assert(strstr(r.err, want) == r.err, "%s", r.err);
    run_result_free(&r);
    assert_same_as_clean(&f);

    /* Other options make other records: everything is done again. */
    const char *other[] = {"--progress=plain", "-O", "wordfreq.min-count=2", NULL};
    run(&r, &f, f.out, 1, other);
    cr_assert(strstr(r.err, "textpipe: done: 6/6 documents, 0.0 MB") == r.err, "%s", r.err);
    run_result_free(&r);
    teardown(&f);
}

Test(state, a_failed_document_is_reported_kept_failed_and_retried)
{
    fixture f;
    setup(&f);
    for (int i = 0; i < 3; i++)
        article(&f, i, 2, NULL);
    char list[4300], missing[4300];
    snprintf(list, sizeof list, "%s/list", f.dir);
    snprintf(missing, sizeof missing, "%s/a009.txt", f.corpus);
    FILE *l = fopen(list, "w");
    fprintf(l, "%s/a000.txt\n%s\n%s/a001.txt\n", f.corpus, missing, f.corpus);
    fclose(l);
    const char *argv[] = {"-p",      "wordfreq", "--progress=plain", "-o", f.out,
                          "--state", f.state,    "--files-from",     list, NULL};
    run_result r;
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 1);
    char want[9000];
    snprintf(want, sizeof want,
             "textpipe: %s: No such file or directory\n"
             "textpipe: done: 3/3 documents, 1 failed, ",
             missing);
    cr_assert(strstr(r.err, want) == r.err, "%s", r.err);
    run_result_free(&r);
    char *journal = read_file_in(f.dir, "state");
    cr_assert_eq(count_lines(journal, "doc\t"), 3, "%s", journal);
    snprintf(want, sizeof want, "\tfailed\t0\t0.000000000\t-\t");
    cr_assert(strstr(journal, want) != NULL, "%s", journal);
    free(journal);
    char *words = read_file_in(f.out, "wordfreq.tsv");
    cr_assert(strstr(words, "a000.txt\t") && strstr(words, "a001.txt\t"), "%s", words);
    free(words);

    /* It is there now: just it is processed. */
    article(&f, 9, 2, NULL);
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "textpipe: done: 3/3 documents, 2 unchanged, ") == r.err, "%s", r.err);
    run_result_free(&r);
    teardown(&f);
}

Test(state, needs_an_output_dir_and_files)
{
    run_result r;
    const char *argv[] = {"--state", "/tmp/x", "-", NULL};
    run_textpipe(&r, "", argv);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: --state needs -o DIR (the records it keeps track of)\n"
                            "Try 'textpipe --help' for more information.\n");
    run_result_free(&r);
    const char *argv2[] = {"--state", "/tmp/x", "-o", "/tmp/y", NULL};
    run_textpipe(&r, "", argv2);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: --state keeps track of files, not of stdin (-)\n"
                            "Try 'textpipe --help' for more information.\n");
    run_result_free(&r);
}

/* Start a state run in the background. */
static pid_t
start(const fixture *f, const char *jobs)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL)
            _exit(127);
        execl(textpipe_bin(), "textpipe", "-p", "tokens,wordfreq", "-j", jobs, "-o", f->out,
              "--state", f->state, "-r", f->corpus, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Wait until the journal has committed some documents (or the run ended),
 * then send sig.  Returns the documents journaled when it arrived. */
static int
interrupt_after_some(const fixture *f, pid_t pid, int sig, int more_than, int *status)
{
    int docs = 0;
    for (int tries = 0; tries < 20000; tries++) {
        if (waitpid(pid, status, WNOHANG) == pid)
            return -1;
        char *j = read_file(f->state, NULL);
        docs = count_lines(j, "doc\t");
        free(j);
        if (docs > more_than)
            break;
        struct timespec t = {0, 1000 * 1000};
        nanosleep(&t, NULL);
    }
    kill(pid, sig);
    waitpid(pid, status, 0);
    return docs;
}

/* Big enough that a run lasts well past its first commit (0.2 s), even on
 * an idle machine: 600 articles of 60 sentences are ~60 MB of token
 * records to write. */
#define KILLED_DOCS 600

/* Big enough that a run lasts well past its first commit (0.2 s). */
static void
big_corpus(fixture *f, int n)
{
    for (int i = 0; i < n; i++)
        article(f, i, 60, NULL);
}

Test(state, killed_twice_with_sigkill_and_resumed_equals_one_clean_run, .timeout = 60)
{
    fixture f;
    setup(&f);
    big_corpus(&f, KILLED_DOCS);
    int status;
    int first = interrupt_after_some(&f, start(&f, "3"), SIGKILL, 0, &status);
    cr_assert(first > 0 && first < KILLED_DOCS, "the run was not killed half-way (%d done)", first);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    int second = interrupt_after_some(&f, start(&f, "1"), SIGKILL, first, &status);
    cr_assert(second != 0);

    run_result r;
    run(&r, &f, f.out, 1, plain);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* What the killed runs had journaled is not done again. */
    char done[64];
    snprintf(done, sizeof done, "textpipe: done: %d/%d documents, ", KILLED_DOCS, KILLED_DOCS);
    cr_assert(strstr(r.err, done) == r.err, "%s", r.err);
    cr_assert(strstr(r.err, " unchanged, ") != NULL, "%s", r.err);
    run_result_free(&r);
    assert_same_as_clean(&f);

    /* Only the compacted parts are left. */
    char parts[4300];
    snprintf(parts, sizeof parts, "ls '%s/parts' | wc -l > '%s/n'", f.out, f.dir);
    cr_assert_eq(system(parts), 0);
    char *n = read_file_in(f.dir, "n");
    cr_assert_str_eq(n, "2\n");
    free(n);
    teardown(&f);
}

Test(state, stopped_with_sigint_keeps_what_was_done, .timeout = 60)
{
    fixture f;
    setup(&f);
    big_corpus(&f, KILLED_DOCS);
    pid_t pid = start(&f, "2");
    int status;
    int docs = interrupt_after_some(&f, pid, SIGINT, 0, &status);
    cr_assert(docs > 0, "the run ended before it could be stopped");
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGINT, "status %d", status);
    run_result r;
    run(&r, &f, f.out, 1, plain);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, " unchanged, ") != NULL, "%s", r.err);
    run_result_free(&r);
    assert_same_as_clean(&f);
    teardown(&f);
}
