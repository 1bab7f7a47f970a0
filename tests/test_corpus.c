/* test_corpus.c: choosing inputs (-r, --include, --files-from, -0), the
 * run manifest, and -o DIR: one whole file a record type, with the
 * manifest and its header, the same whatever -j. */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "helpers.h"
#include "sha256.h"
#include "textpipe/plugin.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define ABI STR(TP_ABI_MAJOR) "." STR(TP_ABI_MINOR)

static char *
temp_dir(void)
{
    char *t = strdup("/tmp/tp-corpus-XXXXXX");
    cr_assert_not_null(mkdtemp(t));
    return t;
}

static void
put(const char *dir, const char *name, const char *text)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *s = strchr(path + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0777);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* The doc ids of a run's records, each once, in order, one a line. */
static char *
docs_of(const char *records)
{
    char *out = calloc(1, strlen(records) + 1);
    size_t n = 0, lastlen = 0;
    const char *last = NULL;
    for (const char *line = records; *line; line = strchr(line, '\n') + 1) {
        if (line[0] == '#')
            continue;
        const char *id = strchr(line, '\t') + 1;
        size_t len = (size_t)(strchr(id, '\t') - id);
        if (last == NULL || lastlen != len || strncmp(last, id, len) != 0) {
            memcpy(out + n, id, len);
            n += len;
            out[n++] = '\n';
            last = id;
            lastlen = len;
        }
    }
    out[n] = '\0';
    return out;
}

static char *
tree(void)
{
    char *d = temp_dir();
    put(d, "b.txt", "Beta text.\n");
    put(d, "a.txt", "Alpha text.\n");
    put(d, "a/z.txt", "Zeta text.\n");
    put(d, "a/notes.md", "Notes.\n");
    put(d, "c/d/e.txt", "Epsilon text.\n");
    put(d, ".git/x.txt", "Hidden.\n");
    put(d, ".swap.txt", "Hidden too.\n");
    return d;
}

Test(corpus, a_tree_is_walked_in_sorted_order_without_hidden_files)
{
    char *d = tree();
    const char *argv[] = {"-p", "wordfreq", "-r", d, NULL};
    char *out = textpipe_stdout(NULL, argv, 1), *docs = docs_of(out);
    char want[20000];
    snprintf(want, sizeof want, "%s/a.txt\n%s/a/notes.md\n%s/a/z.txt\n%s/b.txt\n%s/c/d/e.txt\n", d,
             d, d, d, d);
    cr_assert_str_eq(docs, want);
    free(out);
    free(docs);
    remove_tree(d);
    free(d);
}

Test(corpus, include_globs_match_names_or_paths_below_the_tree)
{
    char *d = tree();
    const char *argv[] = {"-p",   "wordfreq",  "-r",        d,   "--include",
                          "*.md", "--include", "c/*/*.txt", NULL};
    char *out = textpipe_stdout(NULL, argv, 1), *docs = docs_of(out);
    char want[20000];
    snprintf(want, sizeof want, "%s/a/notes.md\n%s/c/d/e.txt\n", d, d);
    cr_assert_str_eq(docs, want);
    free(out);
    free(docs);

    cr_assert(corpus_match("x/y.txt", (char *[]){"*.txt"}, 1));
    cr_assert(!corpus_match("x/y.txt", (char *[]){"x/*/*.txt"}, 1));
    cr_assert(corpus_match("anything", NULL, 0));
    remove_tree(d);
    free(d);
}

Test(corpus, operands_then_trees_then_lists)
{
    char *d = tree();
    char list[4200], a[4200], b[4200], e[4200];
    snprintf(a, sizeof a, "%s/a.txt", d);
    snprintf(b, sizeof b, "%s/b.txt", d);
    snprintf(e, sizeof e, "%s/c/d/e.txt", d);
    snprintf(list, sizeof list, "%s/list", d);
    FILE *f = fopen(list, "w");
    fprintf(f, "%s\n\n%s\r\n", e, a); /* an empty line is skipped, a CR dropped */
    fclose(f);
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/a", d);
    const char *argv[] = {"-p", "wordfreq", "--files-from", list,    b,
                          "-r", sub,        "--include",    "*.txt", NULL};
    char *out = textpipe_stdout(NULL, argv, 1), *docs = docs_of(out);
    char want[20000];
    snprintf(want, sizeof want, "%s\n%s/z.txt\n%s\n%s\n", b, sub, e, a);
    cr_assert_str_eq(docs, want);
    free(out);
    free(docs);
    remove_tree(d);
    free(d);
}

Test(corpus, null_separated_lists_hold_any_name)
{
    char *d = temp_dir();
    put(d, "new\nline.txt", "Odd name.\n");
    put(d, "plain.txt", "Plain name.\n");
    char input[4200];
    int n = snprintf(input, sizeof input, "%s/plain.txt", d);
    input[n++] = '\0';
    n += snprintf(input + n, sizeof input - (size_t)n, "%s/new\nline.txt", d);
    /* run_textpipe feeds a C string: write the list to a file instead. */
    char list[4200];
    snprintf(list, sizeof list, "%s/list0", d);
    FILE *f = fopen(list, "w");
    fwrite(input, 1, (size_t)n + 1, f);
    fclose(f);
    const char *argv[] = {"-p", "wordfreq", "-0", "--files-from", list, NULL};
    char *out = textpipe_stdout(NULL, argv, 1);
    char want1[4200], want2[4200];
    snprintf(want1, sizeof want1, "wordfreq\t%s/plain.txt\tplain\t", d);
    snprintf(want2, sizeof want2, "wordfreq\t%s/new\\nline.txt\todd\t", d);
    cr_assert(strstr(out, want1) != NULL && strstr(out, want2) != NULL, "%s", out);
    cr_assert(strstr(out, want1) < strstr(out, want2));
    free(out);

    /* The same list from stdin, with "-". */
    char *stdin_list = read_file(list, NULL);
    const char *argv2[] = {"-p", "wordfreq", "--files-from", "-", NULL};
    char lf[4200];
    snprintf(lf, sizeof lf, "%s\n", stdin_list); /* up to the first NUL */
    out = textpipe_stdout(lf, argv2, 1);
    cr_assert(strstr(out, want1) != NULL && strstr(out, want2) == NULL, "%s", out);
    free(out);
    free(stdin_list);
    remove_tree(d);
    free(d);
}

Test(corpus, bad_selections_are_usage_errors)
{
    run_result r;
    const char *argv[] = {"-r", "/nonexistent/corpus", NULL};
    run_textpipe(&r, NULL, argv);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: -r /nonexistent/corpus: No such file or directory\n");
    run_result_free(&r);

    const char *argv2[] = {"--include", "*.txt", "-", NULL};
    run_textpipe(&r, "", argv2);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "textpipe: --include needs -r DIR\n"
                            "Try 'textpipe --help' for more information.\n");
    run_result_free(&r);

    const char *argv3[] = {"--files-from", "/nonexistent/list", NULL};
    run_textpipe(&r, NULL, argv3);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err,
                     "textpipe: --files-from /nonexistent/list: No such file or directory\n");
    run_result_free(&r);
}

/* ---- the manifest -------------------------------------------------------- */

static void
assert_manifest(const char *text, const char *plugins_line, const char *options)
{
    char want[20000];
    snprintf(want, sizeof want, "##textpipe\t" PACKAGE_VERSION "\tmanifest 1\n%s", plugins_line);
    cr_assert(strncmp(text, want, strlen(want)) == 0, "%s", text);
    snprintf(want, sizeof want, "\n##options\t%s\n##lang\ten\tenglish\n##utf8proc\t", options);
    cr_assert(strstr(text, want) != NULL, "%s", text);
    cr_assert(strstr(text, "\n##libstemmer\tlibstemmer.so") != NULL, "%s", text);
}

Test(corpus, the_manifest_names_versions_hashes_and_options)
{
    const char *argv[] = {"-p",         "wordfreq,tokens", "-O", "wordfreq.min-count=2",
                          "--manifest", "--header",        "-",  NULL};
    char *out = textpipe_stdout("Some words.\n", argv, 1);
    char so[4200], hex[SHA256_HEX_SIZE], line[4400];
    snprintf(so, sizeof so, "%s/plugins/wordfreq/.libs/wordfreq.so", TP_BUILDDIR);
    cr_assert_eq(sha256_file(so, hex), 0);
    snprintf(line, sizeof line,
             "##plugin\twordfreq\t1.0\tabi " ABI "\tsha256 %s\n"
             "##plugin\ttokens\t" PACKAGE_VERSION "\tabi " ABI "\tbuilt-in\n",
             hex);
    assert_manifest(out, line, "-p wordfreq,tokens -O wordfreq.min-count=2 --lang en");
    /* Then the header lines, then records. */
    cr_assert(strstr(out, "\n#wordfreq\tdoc\tstem\tcount\tdocs\tfirst\n#token\tdoc\t") != NULL,
              "%s", out);
    free(out);

    /* merge skips it, as it skips headers. */
    run_result r;
    const char *argv2[] = {"merge", NULL};
    const char *argv3[] = {"-p", "wordfreq", "--manifest", "-", NULL};
    char *with = textpipe_stdout("Some words, some more words.\n", argv3, 1);
    run_textpipe(&r, with, argv2);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "wordfreq\t*\tword\t2\t1\t5\n");
    run_result_free(&r);
    free(with);
}

Test(corpus, sha256_matches_the_standard_vectors)
{
    sha256 s;
    char hex[SHA256_HEX_SIZE];
    sha256_init(&s);
    sha256_hex(&s, hex);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_init(&s);
    sha256_update(&s, "abc", 3);
    sha256_hex(&s, hex);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_init(&s);
    for (const char *p = two; *p; p++)
        sha256_update(&s, p, 1); /* byte by byte: the block carry */
    sha256_hex(&s, hex);
    cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    static char million[1000000];
    memset(million, 'a', sizeof million);
    sha256_init(&s);
    sha256_update(&s, million, sizeof million);
    sha256_hex(&s, hex);
    cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* ---- -o DIR ---------------------------------------------------------------- */

/* The lines of text that start with prefix, in order. */
static char *
lines_starting(const char *text, const char *prefix)
{
    char *out = calloc(1, strlen(text) + 1);
    size_t pl = strlen(prefix);
    for (const char *l = text; *l;) {
        const char *end = strchr(l, '\n') + 1;
        if (strncmp(l, prefix, pl) == 0)
            strncat(out, l, (size_t)(end - l));
        l = end;
    }
    return out;
}

Test(corpus, output_dir_holds_one_whole_file_a_type_with_manifest_and_header)
{
    char *d = temp_dir();
    char out[4200];
    snprintf(out, sizeof out, "%s/out", d);
    const char *a = test_data("cli-a.txt"), *b = test_data("cli-b.txt"),
               *c = test_data("cli-c.txt");
    const char *argv[] = {"-p", "tokens,wordfreq", "-o", out, a, b, c, NULL};
    char *nothing = textpipe_stdout(NULL, argv, 1);
    cr_assert_str_eq(nothing, "");
    free(nothing);
    const char *plain[] = {"-p", "tokens,wordfreq", a, b, c, NULL};
    char *all = textpipe_stdout(NULL, plain, 1);

    char *tokens = read_file_in(out, "token.tsv"), *words = read_file_in(out, "wordfreq.tsv");
    cr_assert_not_null(tokens);
    cr_assert_not_null(words);
    assert_manifest(tokens, "##plugin\ttokens\t", "-p tokens,wordfreq --lang en");
    char *t_body =
        strstr(tokens, "\n#token\tdoc\tsentence\tindex\tstart\tend\tsurface\tnorm\tstem\t"
                       "flags\n");
    char *w_body = strstr(words, "\n#wordfreq\tdoc\tstem\tcount\tdocs\tfirst\n");
    cr_assert(t_body && w_body);
    char *t_want = lines_starting(all, "token\t"), *w_want = lines_starting(all, "wordfreq\t");
    cr_assert_str_eq(strchr(t_body + 1, '\n') + 1, t_want);
    cr_assert_str_eq(strchr(w_body + 1, '\n') + 1, w_want);
    cr_assert_str_eq(words, strstr(words, "##textpipe")); /* the manifest comes first */

    /* Nothing else is left in the directory. */
    DIR *dir = opendir(out);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dir)) != NULL)
        files += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(dir);
    cr_assert_eq(files, 2);

    /* -j 4 writes the same files, byte for byte. */
    char out4[4200];
    snprintf(out4, sizeof out4, "%s/out4", d);
    const char *argv4[] = {"-p", "tokens,wordfreq", "-j", "4", "-o", out4, a, b, c, a, b, NULL};
    const char *argv1[] = {"-p", "tokens,wordfreq", "-j", "1", "-o", out, a, b, c, a, b, NULL};
    free(textpipe_stdout(NULL, argv4, 1));
    free(textpipe_stdout(NULL, argv1, 1));
    char *t1 = read_file_in(out, "token.tsv"), *t4 = read_file_in(out4, "token.tsv");
    cr_assert_str_eq(t1, t4);
    free(t1);
    free(t4);
    free(tokens);
    free(words);
    free(t_want);
    free(w_want);
    free(all);
    remove_tree(d);
    free(d);
}

Test(corpus, a_stopped_run_leaves_the_old_files_as_they_were)
{
    char *d = temp_dir();
    char out[4200], corpus_dir[4200];
    snprintf(out, sizeof out, "%s/out", d);
    snprintf(corpus_dir, sizeof corpus_dir, "%s/c", d);
    mkdir(corpus_dir, 0777);
    mkdir(out, 0777);
    put(out, "token.tsv", "old\n");
    char text[20000] = "";
    for (int i = 0; i < 200; i++)
        strcat(text, "The harbour board met the river council again, and nothing was agreed. ");
    for (int i = 0; i < 400; i++) {
        char name[64];
        snprintf(name, sizeof name, "a%03d.txt", i);
        put(corpus_dir, name, text);
    }
    for (int sig = 0; sig < 2; sig++) {
        pid_t pid = fork();
        cr_assert(pid >= 0);
        if (pid == 0) {
            freopen("/dev/null", "w", stdout);
            freopen("/dev/null", "w", stderr);
            execl(textpipe_bin(), "textpipe", "-p", "tokens", "-o", out, "-r", corpus_dir,
                  (char *)NULL);
            _exit(127);
        }
        struct timespec t = {0, 150 * 1000 * 1000};
        nanosleep(&t, NULL);
        kill(pid, sig == 0 ? SIGTERM : SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (sig == 0 && WIFEXITED(status)) {
            cr_assert_eq(WEXITSTATUS(status), 128 + SIGTERM);
        }
        char *now = read_file_in(out, "token.tsv");
        cr_assert_str_eq(now, "old\n");
        free(now);
    }
    remove_tree(d);
    free(d);
}
