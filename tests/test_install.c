/* test_install.c: a plugin built out of tree, from the installed header and
 * pkg-config file only (after make install DESTDIR=...), loads and runs.
 * The plugin is the README's own example, so the guide cannot rot. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* The first ```c block of README.md. */
static char *
readme_plugin(void)
{
    char *readme = read_file(TP_SRCDIR "/README.md", NULL);
    cr_assert_not_null(readme);
    char *start = strstr(readme, "```c\n");
    cr_assert_not_null(start, "README.md has no ```c block");
    start += 5;
    char *end = strstr(start, "```\n");
    cr_assert_not_null(end);
    size_t n = (size_t)(end - start);
    char *code = malloc(n + 1);
    memcpy(code, start, n);
    code[n] = '\0';
    free(readme);
    return code;
}

static void
sh(const char *cmd)
{
    run_result r;
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    run_command(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "%s\nexit %d\n%s%s", cmd, r.status, r.out, r.err);
    run_result_free(&r);
}

Test(install, readme_plugin_builds_out_of_tree_and_runs, .timeout = 300)
{
    char tmp[] = "/tmp/textpipe-install-XXXXXX";
    cr_assert_not_null(mkdtemp(tmp));
    char cmd[8192];
    /* A make of its own: not the jobserver of the make running the tests. */
    snprintf(cmd, sizeof cmd,
             "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C '%s' install DESTDIR='%s' "
             ">/dev/null",
             TP_BUILDDIR, tmp);
    sh(cmd);

    char *code = readme_plugin();
    char src[4200];
    snprintf(src, sizeof src, "%s/hello.c", tmp);
    FILE *f = fopen(src, "w");
    cr_assert_not_null(f);
    fputs(code, f);
    fclose(f);
    free(code);

    snprintf(cmd, sizeof cmd,
             "cd '%s' && PKG_CONFIG_PATH='%s%s/pkgconfig' PKG_CONFIG_LIBDIR= "
             "cc -std=c11 -Wall -Wextra -Werror -shared -fPIC "
             "$(PKG_CONFIG_PATH='%s%s/pkgconfig' pkg-config --define-variable=prefix='%s%s' "
             "--cflags textpipe) -o hello.so hello.c",
             tmp, tmp, TP_LIBDIR, tmp, TP_LIBDIR, tmp, TP_PREFIX);
    sh(cmd);

    /* The header came from the install, not from the source tree. */
    char hdr[4200];
    snprintf(hdr, sizeof hdr, "%s%s/textpipe/plugin.h", tmp, TP_INCLUDEDIR);
    char *installed = read_file(hdr, NULL), *ours = read_file(TP_SRCDIR "/include/textpipe/plugin.h", NULL);
    cr_assert_not_null(installed, "%s not installed", hdr);
    cr_assert_str_eq(installed, ours);
    free(installed);
    free(ours);

    char so[4200];
    snprintf(so, sizeof so, "%s/hello.so", tmp);
    run_result r;
    const char *argv[] = {"-p", so, "--header", "-", NULL};
    run_textpipe(&r, "Rain fell over the valley for three days.\n\nFarmers in the north welcomed "
                     "it; traders in the south did not.\n", argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "#hello\tdoc\tsentences\twords\nhello\t-\t2\t20\n");
    run_result_free(&r);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    sh(cmd);
}
