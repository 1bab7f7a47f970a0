/* cli.c: the command line: options, the subcommands (merge, train) and
 * the listings; everything else is run.c's.  Setup errors exit 2 before
 * any input is read. */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "alloc.h"
#include "corpus.h"
#include "loader.h"
#include "merge.h"
#include "progress.h"
#include "report.h"
#include "run.h"
#include "stem.h"
#include "train.h"
#include "tsv.h"

#define DEFAULT_PLUGINS "entities,stance,arguments"

static const char usage_text[] =
    "Usage: textpipe [OPTION]... [FILE]...\n"
    "       textpipe [OPTION]... -r DIR [--include GLOB]... [-o DIR [--state FILE]]\n"
    "       textpipe merge [--header] [--sorted] [FILE]...\n"
    "       textpipe report [-o FILE] [--title T] [--top N] [--current DIR] RUN...\n"
    "       textpipe train PLUGIN -o MODEL [-O PLUGIN.KEY=VALUE]... FILE\n"
    "\n"
    "Tokenise, normalise and split each FILE (a document; - or none: stdin)\n"
    "into sentences and hand them to plugins, which write tab-separated\n"
    "records to standard output: TYPE, DOC, then the plugin's columns.\n"
    "\n"
    "  -p, --plugins=LIST     plugins to run, comma-separated (default:\n"
    "                         " DEFAULT_PLUGINS "); `tokens` writes the\n"
    "                         core's tokens; `none` runs the core alone\n"
    "  -O, --option=P.KEY=VALUE  set option KEY of plugin P (see --list-plugins)\n"
    "      --lang=L           language for stems and stopwords: an ISO 639-1\n"
    "                         code or Snowball name (default en), or none\n"
    "      --lines            each input line is a document; text before the\n"
    "                         first TAB is its id (else FILE:LINE), and offsets\n"
    "                         count from the first byte after that TAB\n"
    "  -j, --jobs=N           process documents on N threads (output is the\n"
    "                         same as with -j 1, byte for byte)\n"
    "      --header           first print a #TYPE line naming each record\n"
    "                         type's columns\n"
    "      --manifest         first print the run manifest: ## lines naming\n"
    "                         textpipe's, each plugin's (with the SHA-256 of\n"
    "                         its .so), utf8proc's and libstemmer's versions,\n"
    "                         the options and the language\n"
    "  -r, --recursive=DIR    every file under DIR, in sorted path order\n"
    "      --include=GLOB     with -r: only files whose name matches GLOB (a\n"
    "                         GLOB with / matches the path below DIR);\n"
    "                         repeatable\n"
    "      --files-from=FILE  the paths listed in FILE, one a line (- stdin)\n"
    "  -0, --null             --files-from paths end with NUL, not LF\n"
    "                         (inputs: FILEs, then -r trees, then lists)\n"
    "  -o, --output-dir=DIR   write DIR/TYPE.tsv, one file a record type, each\n"
    "                         with the manifest and its header; files appear\n"
    "                         whole (renamed into place at the end)\n"
    "      --state=FILE       with -o: journal what was processed (path, size,\n"
    "                         time, content hash, plugins, status) and process\n"
    "                         only new, changed or failed inputs, or all when\n"
    "                         the plugins or options changed; a run that was\n"
    "                         stopped or killed is finished by the next one\n"
    "      --progress[=MODE[:SECONDS]]  progress on stderr: bar, plain (a\n"
    "                         line every 5 s, for logs), hadoop (reporter:\n"
    "                         lines of Hadoop Streaming) or none; without\n"
    "                         MODE a bar on a terminal, else plain; without\n"
    "                         the option a bar when stderr is a terminal\n"
    "                         (and stdout is not, or -o is given)\n"
    "      --plugin-path=DIRS more directories to search for plugins\n"
    "                         (colon-separated; before TEXTPIPE_PLUGIN_PATH\n"
    "                         and the install directory)\n"
    "      --list-plugins     name, version, summary, records and options of\n"
    "                         every plugin found\n"
    "      --list-languages   the languages --lang accepts\n"
    "  -h, --help             this help\n"
    "  -V, --version          version and library versions\n"
    "\n"
    "merge aggregates records (of any plugin, from files or stdin) by the\n"
    "roles their columns declare: keys group, counts add, first offsets\n"
    "keep the smallest, lists unite; the doc column becomes *.\n"
    "\n"
    "merge --sorted is the reduce step of a map-sort-reduce job: input sorted\n"
    "by type and first key (see textpipe merge --help), constant memory.\n"
    "\n"
    "report turns runs' records (files or -o folders) into one HTML page\n"
    "with charts (see textpipe report --help).\n"
    "\n"
    "train fits a plugin's model from a labelled TSV file with a header\n"
    "line (e.g. the SemEval stance layout ID, Target, Tweet, Stance).\n"
    "\n"
    "Fields escape backslash, TAB, LF and CR as \\\\ \\t \\n \\r. Offsets are\n"
    "byte offsets into the input. Exit status: 0 all inputs processed,\n"
    "1 some input could not be processed (each one named on stderr),\n"
    "2 usage or plugin error (nothing processed). See textpipe(1).\n";

static void
usage_error(const char *fmt, const char *arg)
{
    fputs("textpipe: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'textpipe --help' for more information.\n", stderr);
}

static int
finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fclose(stdout);
        return 1;
    }
    return fclose(stdout) != 0;
}

static void
print_version(void)
{
    printf("textpipe %s\nplugin ABI %d.%d\nutf8proc %s (Unicode %s)\nlibstemmer (Snowball)\n",
           PACKAGE_VERSION, TP_ABI_MAJOR, TP_ABI_MINOR, utf8proc_version(),
           utf8proc_unicode_version());
}

static const char *const role_names[] = {"key", "sum", "min", "max", "text"};

static void
list_one(void *arg, const char *name, plugin *p, const char *err)
{
    (void)arg;
    if (p == NULL) {
        printf("%s\t(refused: %s)\n\n", name, err);
        return;
    }
    const tp_plugin *d = p->desc;
    printf("%s %s\t%s\n  file: %s\n", d->name, d->version, d->summary, p->path);
    for (size_t i = 0; i < d->nrecords; i++) {
        printf("  record %s: doc", d->records[i].name);
        for (size_t c = 0; c < d->records[i].ncolumns; c++)
            printf(" %s(%s)", d->records[i].columns[c].name,
                   role_names[d->records[i].columns[c].role]);
        putchar('\n');
    }
    for (size_t i = 0; i < d->noptions; i++) {
        const tp_option *o = &d->options[i];
        printf("  -O %s.%s=...\t%s", d->name, o->key, o->help);
        if (o->fallback != NULL)
            printf(" (default: %s)", o->fallback);
        putchar('\n');
    }
    if (TP_HAS(d, train_finish) && d->train_finish != NULL)
        printf("  trainable: textpipe train %s -o MODEL FILE\n", d->name);
    putchar('\n');
    loader_free(p);
}

/* ---- merge ---------------------------------------------------------- */

typedef struct decl_set {
    plugin **ps;
    size_t n;
} decl_set;

static void
collect(void *arg, const char *name, plugin *p, const char *err)
{
    (void)name;
    (void)err;
    decl_set *s = arg;
    if (p == NULL)
        return;
    s->ps = xrealloc(s->ps, (s->n + 1) * sizeof *s->ps);
    s->ps[s->n++] = p;
}

static const tp_record_type *
lookup(void *arg, const char *type)
{
    decl_set *s = arg;
    for (size_t i = 0; i < s->n; i++) {
        const tp_record_type *rt = loader_record_type(s->ps[i], type);
        if (rt != NULL)
            return rt;
    }
    return NULL;
}

static int
merge_stream(merger *m, FILE *f, const char *name, int *bad)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long long lineno = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        char err[512];
        if (merge_line(m, line, (size_t)n, err, sizeof err) != 0) {
            fprintf(stderr, "textpipe: merge: %s:%llu: %s\n", name, lineno, err);
            *bad = 1;
        }
    }
    int rc = ferror(f) ? -1 : 0;
    free(line);
    return rc;
}

static int
cmd_merge(int argc, char **argv)
{
    static const struct option longs[] = {
        {"header", no_argument, NULL, 'H'},
        {"plugin-path", required_argument, NULL, 'P'},
        {"sorted", no_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int header = 0, sorted = 0, c;
    const char *plugin_path = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'H': header = 1; break;
        case 'P': plugin_path = optarg; break;
        case 'S': sorted = 1; break;
        case 'h':
            fputs("Usage: textpipe merge [--header] [--sorted] [--plugin-path=DIRS] [FILE]...\n"
                  "Aggregate textpipe records from FILEs (or stdin) across documents by\n"
                  "the roles their plugins declare (see --list-plugins): key columns\n"
                  "group, sum columns add, min/max keep the extreme, text columns unite\n"
                  "their |-separated items. The doc column of the result is *. Records\n"
                  "come out in order of first appearance, so merging merged shards\n"
                  "equals merging the whole.\n"
                  "With --sorted, the reduce step of a map-sort-reduce job: input sorted\n"
                  "by `" MERGE_SORT_COMMAND "`\n"
                  "is merged in constant memory, each group written as soon as its lines\n"
                  "end; the output equals plain merge's sorted the same way.\n",
                  stdout);
            return finish_stdout();
        default:
            fputs("Try 'textpipe merge --help' for more information.\n", stderr);
            return 2;
        }
    }
    loader_path_init(plugin_path);
    decl_set s = {NULL, 0};
    loader_each(collect, &s);
    merger *m = merge_new(lookup, &s);
    if (sorted)
        merge_stream_to(m, stdout, header);
    int status = 0, bad = 0;
    if (optind == argc) {
        if (merge_stream(m, stdin, "-", &bad) != 0) {
            fprintf(stderr, "textpipe: merge: -: read error\n");
            status = 1;
        }
    }
    for (int i = optind; i < argc; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (f == NULL) {
            fprintf(stderr, "textpipe: merge: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (merge_stream(m, f, argv[i], &bad) != 0) {
            fprintf(stderr, "textpipe: merge: %s: read error\n", argv[i]);
            status = 1;
        }
        if (f != stdin)
            fclose(f);
    }
    if (merge_write(m, stdout, header) != 0 || finish_stdout() != 0) {
        /* A reader that went away (| head) ends the run quietly. */
        if (errno != EPIPE) {
            fprintf(stderr, "textpipe: merge: write error: %s\n", strerror(errno));
            status = 1;
        }
    }
    merge_free(m);
    for (size_t i = 0; i < s.n; i++)
        loader_free(s.ps[i]);
    free(s.ps);
    loader_path_free();
    return status ? status : bad;
}

/* ---- the main command ------------------------------------------------ */

/* Split "P.KEY=VALUE". */
static int
parse_option(char *spec, char **plugin, char **key, char **value)
{
    char *dot = strchr(spec, '.');
    char *eq = strchr(spec, '=');
    if (dot == NULL || eq == NULL || dot > eq || dot == spec || eq == dot + 1)
        return -1;
    *dot = '\0';
    *eq = '\0';
    *plugin = spec;
    *key = dot + 1;
    *value = eq + 1;
    return 0;
}

typedef struct cli {
    char *plugins;
    char **opts;
    size_t nopts;
    const char *lang;
    const char *plugin_path;
    const char *model_out; /* -o: train's MODEL, the main command's DIR */
    int lines, jobs, header;
    char **trees, **globs, **lists; /* -r, --include, --files-from */
    size_t ntrees, nglobs, nlists;
    int nul, manifest, progress;
    double progress_seconds;
    const char *state;
} cli;

/* Load the -p plugins and apply the -O options; exit status 2 on error. */
static int
load_plugins(cli *o, plugin ***out, size_t *nout)
{
    plugin **ps = NULL;
    size_t n = 0;
    char err[4096];
    int rc = 0;
    loader_path_init(o->plugin_path);
    if (strcmp(o->plugins, "none") != 0) {
        char *list = xstrdup(o->plugins), *save = NULL;
        for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
            int dup = 0;
            for (size_t i = 0; i < n; i++)
                dup |= strcmp(ps[i]->desc->name, name) == 0;
            if (dup)
                continue;
            plugin *p = loader_open(name, err, sizeof err);
            if (p == NULL) {
                fprintf(stderr, "textpipe: %s\n", err);
                rc = 2;
                break;
            }
            ps = xrealloc(ps, (n + 1) * sizeof *ps);
            ps[n++] = p;
        }
        free(list);
    }
    for (size_t i = 0; i < o->nopts && rc == 0; i++) {
        char *spec = xstrdup(o->opts[i]), *pn, *key, *value;
        if (parse_option(spec, &pn, &key, &value) != 0) {
            usage_error("-O %s: expected PLUGIN.KEY=VALUE", o->opts[i]);
            rc = 2;
        } else {
            size_t k;
            for (k = 0; k < n; k++)
                if (strcmp(ps[k]->desc->name, pn) == 0)
                    break;
            if (k == n) {
                fprintf(stderr, "textpipe: -O %s: plugin \"%s\" is not loaded (see -p)\n",
                        o->opts[i], pn);
                rc = 2;
            } else if (loader_set_option(ps[k], key, value, err, sizeof err) != 0) {
                fprintf(stderr, "textpipe: -O %s: %s\n", o->opts[i], err);
                rc = 2;
            }
        }
        free(spec);
    }
    *out = ps;
    *nout = n;
    return rc;
}

static void
free_plugins(plugin **ps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        loader_free(ps[i]);
    free(ps);
    loader_path_free();
}

enum { OPT_LANG = 256, OPT_LINES, OPT_HEADER, OPT_PLUGIN_PATH, OPT_LIST_PLUGINS, OPT_LIST_LANGS };
enum { OPT_INCLUDE = 300, OPT_FILES_FROM, OPT_STATE, OPT_MANIFEST, OPT_PROGRESS };

static const struct option long_options[] = {
    {"plugins", required_argument, NULL, 'p'},
    {"option", required_argument, NULL, 'O'},
    {"lang", required_argument, NULL, OPT_LANG},
    {"lines", no_argument, NULL, OPT_LINES},
    {"jobs", required_argument, NULL, 'j'},
    {"header", no_argument, NULL, OPT_HEADER},
    {"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
    {"list-plugins", no_argument, NULL, OPT_LIST_PLUGINS},
    {"list-languages", no_argument, NULL, OPT_LIST_LANGS},
    {"recursive", required_argument, NULL, 'r'},
    {"include", required_argument, NULL, OPT_INCLUDE},
    {"files-from", required_argument, NULL, OPT_FILES_FROM},
    {"null", no_argument, NULL, '0'},
    {"output-dir", required_argument, NULL, 'o'},
    {"state", required_argument, NULL, OPT_STATE},
    {"manifest", no_argument, NULL, OPT_MANIFEST},
    {"progress", optional_argument, NULL, OPT_PROGRESS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
add_arg(char ***list, size_t *n, char *arg)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = arg;
}

/* Parse options shared by the main command and train; 0, 1 for an action
 * done (help, listings: *status set), or 2 on a usage error. */
static int
parse(cli *o, int argc, char **argv, const char *shortopts, int *status)
{
    int c;
    while ((c = getopt_long(argc, argv, shortopts, long_options, NULL)) != -1) {
        switch (c) {
        case 'p': o->plugins = optarg; break;
        case 'O':
            o->opts = xrealloc(o->opts, (o->nopts + 1) * sizeof *o->opts);
            o->opts[o->nopts++] = optarg;
            break;
        case 'o': o->model_out = optarg; break;
        case 'r': add_arg(&o->trees, &o->ntrees, optarg); break;
        case OPT_INCLUDE: add_arg(&o->globs, &o->nglobs, optarg); break;
        case OPT_FILES_FROM: add_arg(&o->lists, &o->nlists, optarg); break;
        case '0': o->nul = 1; break;
        case OPT_STATE: o->state = optarg; break;
        case OPT_MANIFEST: o->manifest = 1; break;
        case OPT_PROGRESS: {
            progress_mode m;
            const char *arg = optarg ? optarg : isatty(STDERR_FILENO) ? "bar" : "plain";
            if (progress_parse(arg, &m, &o->progress_seconds) != 0) {
                usage_error("--progress=%s: expected bar, plain, hadoop or none, optionally "
                            "with :SECONDS", arg);
                return 2;
            }
            o->progress = (int)m;
            break;
        }
        case OPT_LANG: o->lang = optarg; break;
        case OPT_LINES: o->lines = 1; break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end != '\0' || j < 1 || j > 256) {
                usage_error("-j %s: expected a number of threads from 1 to 256", optarg);
                return 2;
            }
            o->jobs = (int)j;
            break;
        }
        case OPT_HEADER: o->header = 1; break;
        case OPT_PLUGIN_PATH: o->plugin_path = optarg; break;
        case OPT_LIST_PLUGINS:
            loader_path_init(o->plugin_path);
            loader_each(list_one, NULL);
            loader_path_free();
            *status = finish_stdout();
            return 1;
        case OPT_LIST_LANGS:
            stem_list_languages(stdout);
            *status = finish_stdout();
            return 1;
        case 'h':
            fputs(usage_text, stdout);
            *status = finish_stdout();
            return 1;
        case 'V':
            print_version();
            *status = finish_stdout();
            return 1;
        default:
            fputs("Try 'textpipe --help' for more information.\n", stderr);
            return 2;
        }
    }
    return 0;
}

static int
cmd_train(int argc, char **argv)
{
    cli o = {.plugins = NULL, .lang = "en", .jobs = 1};
    int status = 0;
    optind = 1;
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs("Usage: textpipe train PLUGIN -o MODEL [-O PLUGIN.KEY=VALUE]... [--lang=L] FILE\n"
                  "Fit PLUGIN's model from FILE: TSV, a header line naming the columns,\n"
                  "then one labelled example a line. The plugin names the text column\n"
                  "(the stance plugin: Tweet, in the SemEval layout ID, Target, Tweet,\n"
                  "Stance). Use the model with -O PLUGIN.model=MODEL.\n",
                  stdout);
            return finish_stdout();
        }
        usage_error("train: %s", "expected a plugin name: textpipe train PLUGIN -o MODEL FILE");
        return 2;
    }
    o.plugins = argv[1];
    int rc = parse(&o, argc - 1, argv + 1, "O:o:h", &status);
    if (rc != 0) {
        free(o.opts);
        return rc == 1 ? status : 2;
    }
    int nfiles = argc - 1 - optind;
    if (o.model_out == NULL || nfiles != 1) {
        usage_error("train: %s", o.model_out == NULL ? "-o MODEL is required"
                                                      : "expected exactly one training FILE");
        free(o.opts);
        return 2;
    }
    if (strchr(o.plugins, ',') != NULL || strcmp(o.plugins, "none") == 0) {
        usage_error("train: %s", "name exactly one plugin");
        free(o.opts);
        return 2;
    }
    plugin **ps;
    size_t n;
    status = load_plugins(&o, &ps, &n);
    if (status == 0)
        status = train_main(ps[0], o.lang, argv[1 + optind], o.model_out);
    free_plugins(ps, n);
    free(o.opts);
    return status;
}

/* The inputs of the main command: FILE operands, then the -r trees,
 * then the --files-from lists; stdin when there is none of them.  0, or
 * 2 with the usage error reported. */
static int
gather_inputs(cli *o, int argc, char **argv, corpus *c)
{
    char err[4200];
    if (o->nglobs > 0 && o->ntrees == 0) {
        usage_error("%s", "--include needs -r DIR");
        return 2;
    }
    if (o->state != NULL && o->model_out == NULL) {
        usage_error("%s", "--state needs -o DIR (the records it keeps track of)");
        return 2;
    }
    for (int i = optind; i < argc; i++)
        corpus_add(c, argv[i]);
    for (size_t i = 0; i < o->ntrees; i++) {
        if (corpus_add_tree(c, o->trees[i], o->globs, o->nglobs, err, sizeof err) != 0) {
            fprintf(stderr, "textpipe: %s\n", err);
            return 2;
        }
    }
    for (size_t i = 0; i < o->nlists; i++) {
        if (corpus_add_list(c, o->lists[i], o->nul, err, sizeof err) != 0) {
            fprintf(stderr, "textpipe: %s\n", err);
            return 2;
        }
    }
    if (optind == argc && o->ntrees == 0 && o->nlists == 0)
        corpus_add(c, "-");
    for (size_t i = 0; o->state != NULL && i < c->n; i++) {
        if (strcmp(c->paths[i], "-") == 0) {
            usage_error("%s", "--state keeps track of files, not of stdin (-)");
            return 2;
        }
    }
    return 0;
}

static void
free_inputs(cli *o, corpus *c)
{
    corpus_free(c);
    free(o->opts);
    free(o->trees);
    free(o->globs);
    free(o->lists);
}

int
cli_main(int argc, char **argv)
{
    /* A closed pipe shows up as EPIPE on write, and ends the run quietly. */
    signal(SIGPIPE, SIG_IGN);
    /* getopt names argv[0] in its messages: name the command, not the
     * path it was started by. */
    static char name[] = "textpipe", merge_name[] = "textpipe merge",
                train_name[] = "textpipe train", report_name[] = "textpipe report";
    if (argc > 1 && strcmp(argv[1], "merge") == 0) {
        argv[1] = merge_name;
        return cmd_merge(argc - 1, argv + 1);
    }
    if (argc > 1 && strcmp(argv[1], "report") == 0) {
        argv[1] = report_name;
        return report_main(argc - 1, argv + 1);
    }
    if (argc > 1 && strcmp(argv[1], "train") == 0) {
        argv[1] = train_name;
        return cmd_train(argc - 1, argv + 1);
    }
    argv[0] = name;

    cli o = {.plugins = DEFAULT_PLUGINS, .lang = "en", .jobs = 1};
    o.progress = -1; /* not asked for */
    int status = 0;
    corpus inputs;
    corpus_init(&inputs);
    int rc = parse(&o, argc, argv, "p:O:j:hVr:o:0", &status);
    if (rc == 0)
        rc = gather_inputs(&o, argc, argv, &inputs);
    if (rc != 0) {
        free_inputs(&o, &inputs);
        return rc == 1 ? status : 2;
    }
    /* Unasked, a bar only where someone watches it and records do not
     * scroll it away: stderr a terminal, stdout not (or -o). */
    if (o.progress < 0)
        o.progress = isatty(STDERR_FILENO) && (o.model_out != NULL || !isatty(STDOUT_FILENO))
                         ? PROGRESS_BAR
                         : PROGRESS_NONE;
    plugin **ps;
    size_t n;
    status = load_plugins(&o, &ps, &n);
    if (status == 0) {
        run_config cfg = {
            .plugins = ps,
            .nplugins = n,
            .lang = o.lang,
            .lines = o.lines,
            .jobs = o.jobs,
            .header = o.header,
            .inputs = inputs.paths,
            .ninputs = inputs.n,
            .manifest = o.manifest,
            .outdir = o.model_out,
            .state = o.state,
            .progress = o.progress,
            .progress_seconds = o.progress_seconds,
        };
        status = run_main(&cfg);
        if (status == 0 && inputs.problems > 0)
            status = 1;
    }
    free_plugins(ps, n);
    free_inputs(&o, &inputs);
    return status;
}
