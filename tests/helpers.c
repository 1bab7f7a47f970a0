/* helpers.c: running the built textpipe from tests, and test file paths. */
#include "config.h"

#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

static void
append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        if (*buf == NULL)
            abort();
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
}

void
run_command(run_result *r, const char *input, const char *const *argv)
{
    int in[2], out[2], err[2];
    memset(r, 0, sizeof *r);
    if (pipe(in) || pipe(out) || pipe(err))
        abort();
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    signal(SIGPIPE, SIG_IGN);
    size_t in_len = input ? strlen(input) : 0, in_off = 0;
    if (in_len == 0) {
        close(in[1]);
        in[1] = -1;
    } else {
        fcntl(in[1], F_SETFL, O_NONBLOCK);
    }
    size_t ocap = 0, ecap = 0;
    append(&r->out, &r->out_len, &ocap, "", 0);
    append(&r->err, &r->err_len, &ecap, "", 0);
    int open_out = 1, open_err = 1;
    while (open_out || open_err) {
        struct pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
        fds[0].fd = open_out ? out[0] : -1;
        fds[1].fd = open_err ? err[0] : -1;
        if (poll(fds, 3, -1) < 0 && errno != EINTR)
            abort();
        char chunk[65536];
        if (fds[0].revents) {
            ssize_t n = read(out[0], chunk, sizeof chunk);
            if (n <= 0)
                open_out = 0;
            else
                append(&r->out, &r->out_len, &ocap, chunk, (size_t)n);
        }
        if (fds[1].revents) {
            ssize_t n = read(err[0], chunk, sizeof chunk);
            if (n <= 0)
                open_err = 0;
            else
                append(&r->err, &r->err_len, &ecap, chunk, (size_t)n);
        }
        if (in[1] >= 0 && fds[2].revents) {
            ssize_t n = write(in[1], input + in_off, in_len - in_off);
            if (n > 0)
                in_off += (size_t)n;
            if (n < 0 || in_off == in_len) {
                close(in[1]);
                in[1] = -1;
            }
        }
    }
    if (in[1] >= 0)
        close(in[1]);
    close(out[0]);
    close(err[0]);
    int status;
    waitpid(pid, &status, 0);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void
run_textpipe(run_result *r, const char *input, const char *const *argv)
{
    const char *full[64];
    size_t n = 0;
    full[n++] = textpipe_bin();
    while (argv[n - 1] != NULL && n < 63) {
        full[n] = argv[n - 1];
        n++;
    }
    full[n] = NULL;
    run_command(r, input, full);
}

void
run_result_free(run_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

char *
textpipe_stdout(const char *input, const char *const *argv, int quiet)
{
    run_result r;
    run_textpipe(&r, input, argv);
    cr_assert_eq(r.status, 0, "status %d: %s", r.status, r.err);
    if (quiet)
        cr_assert_str_eq(r.err, "");
    char *out = r.out;
    r.out = NULL;
    run_result_free(&r);
    return out;
}

void
expect_textpipe_output(const char *input, const char *const *argv, const char *want)
{
    char *out = textpipe_stdout(input, argv, 0);
    cr_assert_str_eq(out, want);
    free(out);
}

char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *data = NULL;
    size_t n = 0, cap = 0;
    char chunk[65536];
    size_t got;
    append(&data, &n, &cap, "", 0);
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        append(&data, &n, &cap, chunk, got);
    fclose(f);
    if (len)
        *len = n;
    return data;
}

char *
read_file_in(const char *dir, const char *name)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = read_file(path, NULL);
    cr_assert_not_null(text, "%s missing", path);
    return text;
}

void
remove_tree(const char *dir)
{
    run_result r;
    const char *argv[] = {"/bin/rm", "-rf", dir, NULL};
    run_command(&r, NULL, argv);
    cr_assert_eq(r.status, 0, "rm -rf %s: %s", dir, r.err);
    run_result_free(&r);
}

const char *
test_data(const char *name)
{
    static char path[4][4096];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/tests/data/%s", TP_SRCDIR, name);
    return p;
}

const char *
textpipe_bin(void)
{
    return TP_BUILDDIR "/textpipe";
}

const char *
shared_dir(void)
{
    static char path[4096];
    const char *env = getenv("TEXTPIPE_SHARED");
    snprintf(path, sizeof path, "%s", env && *env ? env : TP_SRCDIR "/../shared");
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/DESIGN.md", path);
    return access(probe, R_OK) == 0 ? path : NULL;
}

tokenize_counts
tokenize_in_chunks(const char *in, size_t n, size_t chunk,
                   void (*fn)(void *arg, const tok_span *s), void *arg)
{
    size_t cap = 2 * TOKENIZE_LOOKAHEAD + chunk, base = 0, wlen = 0, pos = 0;
    size_t fed = 0, k;
    char *win = malloc(cap);
    tokenizer t;
    tok_span s;
    int r, eof;

    cr_assert(win != NULL);
    tokenize_init(&t);
    for (;;) {
        eof = fed == n;
        while (!eof && wlen - pos < TOKENIZE_LOOKAHEAD) {
            if (wlen + chunk > cap) {
                memmove(win, win + pos, wlen - pos);
                base += pos;
                wlen -= pos;
                pos = 0;
            }
            k = n - fed < chunk ? n - fed : chunk;
            memcpy(win + wlen, in + fed, k);
            wlen += k;
            fed += k;
            eof = fed == n;
        }
        r = tokenize_next(&t, win, wlen, &pos, eof, &s);
        if (r < 0)
            break;
        if (r == 0)
            continue;
        cr_assert(s.start + base < n && s.end + base <= n);
        cr_assert(memcmp(win + s.start, in + base + s.start, s.end - s.start) == 0,
                  "surface at %zu differs from the input", base + s.start);
        s.start += base;
        s.end += base;
        fn(arg, &s);
    }
    cr_assert_eq(base + pos, n);
    free(win);
    return t.counts;
}

int
is_valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0, k, need;
    uint32_t c;

    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        if (s[i] >= 0xC2 && s[i] <= 0xDF)
            need = 1, c = s[i] & 0x1F;
        else if (s[i] >= 0xE0 && s[i] <= 0xEF)
            need = 2, c = s[i] & 0x0F;
        else if (s[i] >= 0xF0 && s[i] <= 0xF4)
            need = 3, c = s[i] & 0x07;
        else
            return 0;
        if (i + need >= n)
            return 0;
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && c < 0x800) || (need == 3 && c < 0x10000) ||
            (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
            return 0;
        i += need + 1;
    }
    return 1;
}
