/* progress.c: progress reports from a thread of their own, so that a
 * report comes on time whatever the workers are doing, and the workers
 * only bump counters. */
#include "config.h"

#include "progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"

#define BAR_WIDTH 24

int
progress_parse(const char *arg, progress_mode *mode, double *seconds)
{
    static const struct {
        const char *name;
        progress_mode mode;
    } names[] = {{"bar", PROGRESS_BAR},
                 {"plain", PROGRESS_PLAIN},
                 {"hadoop", PROGRESS_HADOOP},
                 {"none", PROGRESS_NONE},
                 {"auto", PROGRESS_NONE}};
    const char *colon = strchr(arg, ':');
    size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
    *seconds = 0;
    if (colon != NULL) {
        char *end;
        *seconds = strtod(colon + 1, &end);
        if (end == colon + 1 || *end != '\0' || !(*seconds > 0 && *seconds <= 86400))
            return -1;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == len && strncmp(arg, names[i].name, len) == 0) {
            *mode = names[i].mode;
            if (i == 4)
                *mode = isatty(STDERR_FILENO) ? PROGRESS_BAR : PROGRESS_NONE;
            return 0;
        }
    }
    return -1;
}

static void
clock_text(char *out, size_t size, double seconds)
{
    unsigned long s = seconds > 0 ? (unsigned long)(seconds + 0.5) : 0;
    if (s >= 3600)
        snprintf(out, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, size, "%lu:%02lu", s / 60, s % 60);
}

static double
rate(const progress_figures *f)
{
    return f->elapsed > 0 ? (double)f->bytes / 1e6 / f->elapsed : 0;
}

/* "12/340 documents, 1.2/45.0 MB, 3.4 MB/s, ETA 0:13" and its parts. */
static size_t
figures_text(char *out, size_t size, const progress_figures *f, int final)
{
    char docs[64], mb[64], eta[48] = "", elapsed[24], extra[96] = "";
    if (f->docs_total > 0)
        snprintf(docs, sizeof docs, "%llu/%llu", (unsigned long long)f->docs,
                 (unsigned long long)f->docs_total);
    else
        snprintf(docs, sizeof docs, "%llu", (unsigned long long)f->docs);
    if (f->bytes_total > 0 && !final)
        snprintf(mb, sizeof mb, "%.1f/%.1f MB", (double)f->bytes / 1e6,
                 (double)f->bytes_total / 1e6);
    else
        snprintf(mb, sizeof mb, "%.1f MB", (double)f->bytes / 1e6);
    clock_text(elapsed, sizeof elapsed, f->elapsed);
    if (!final && f->bytes_total > 0 && f->bytes > 0 && f->elapsed > 0) {
        uint64_t left = f->bytes_total > f->bytes ? f->bytes_total - f->bytes : 0;
        char t[24];
        clock_text(t, sizeof t, (double)left / ((double)f->bytes / f->elapsed));
        snprintf(eta, sizeof eta, ", ETA %s", t);
    }
    size_t n = 0;
    if (f->failed > 0)
        n += (size_t)snprintf(extra + n, sizeof extra - n, ", %llu failed",
                              (unsigned long long)f->failed);
    if (f->unchanged > 0)
        snprintf(extra + n, sizeof extra - n, ", %llu unchanged", (unsigned long long)f->unchanged);
    if (final)
        return (size_t)snprintf(out, size, "done: %s documents%s, %s in %s, %.1f MB/s", docs, extra,
                                mb, elapsed, rate(f));
    return (size_t)snprintf(out, size, "%s documents%s, %s, %.1f MB/s, %s elapsed%s", docs, extra,
                            mb, rate(f), elapsed, eta);
}

size_t
progress_format(char *out, size_t size, progress_mode mode, const progress_figures *f,
                progress_figures *counted, int final)
{
    char text[400];
    figures_text(text, sizeof text, f, final);
    switch (mode) {
    case PROGRESS_PLAIN: return (size_t)snprintf(out, size, "textpipe: %s\n", text);
    case PROGRESS_HADOOP: {
        /* Counters are increments: Hadoop adds them up. */
        size_t n = 0;
        struct {
            const char *name;
            uint64_t now, before;
        } c[] = {{"documents", f->docs, counted->docs},
                 {"bytes", f->bytes, counted->bytes},
                 {"failed", f->failed, counted->failed},
                 {"unchanged", f->unchanged, counted->unchanged}};
        for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
            if (c[i].now > c[i].before && n < size)
                n += (size_t)snprintf(out + n, size - n, "reporter:counter:textpipe,%s,%llu\n",
                                      c[i].name, (unsigned long long)(c[i].now - c[i].before));
        }
        *counted = *f;
        if (n < size)
            n += (size_t)snprintf(out + n, size - n, "reporter:status:textpipe: %s\n", text);
        return n;
    }
    case PROGRESS_BAR: {
        char bar[BAR_WIDTH + 1];
        double share = 0;
        if (final)
            share = 1;
        else if (f->bytes_total > 0)
            share = (double)f->bytes / (double)f->bytes_total;
        else if (f->docs_total > 0)
            share = (double)f->docs / (double)f->docs_total;
        if (share > 1)
            share = 1;
        size_t full = (size_t)(share * BAR_WIDTH);
        for (size_t i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < full ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        /* Erase to the end of the line: a shorter report leaves no tail. */
        return (size_t)snprintf(out, size, "[%s] %3d%% %s\033[K%s", bar, (int)(share * 100), text,
                                final ? "\n" : "");
    }
    case PROGRESS_NONE: break;
    }
    if (size > 0)
        out[0] = '\0';
    return 0;
}

struct progress {
    progress_mode mode;
    double seconds;
    FILE *f;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
    struct timespec start;
    progress_figures now, counted;
};

static double
since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* With the lock held. */
static void
report(progress *p, int final)
{
    char text[1024];
    p->now.elapsed = since(&p->start);
    size_t n = progress_format(text, sizeof text, p->mode, &p->now, &p->counted, final);
    if (n >= sizeof text)
        n = sizeof text - 1;
    struct winsize ws;
    if (p->mode == PROGRESS_BAR && ioctl(fileno(p->f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 8) {
        /* A bar wider than the terminal wraps, and every redraw would then
         * leave a line behind: cut it before the erase sequence. */
        char *erase = strstr(text, "\033[K");
        size_t width = (size_t)ws.ws_col - 1;
        if (erase != NULL && (size_t)(erase - text) > width) {
            memmove(text + width, erase, strlen(erase) + 1);
            n = strlen(text);
        }
    }
    if (p->mode == PROGRESS_BAR)
        fputc('\r', p->f);
    fwrite(text, 1, n, p->f);
    fflush(p->f);
}

static void *
ticker(void *arg)
{
    progress *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        long long ns = (long long)(p->seconds * 1e9) + t.tv_nsec;
        t.tv_sec += (time_t)(ns / 1000000000);
        t.tv_nsec = (long)(ns % 1000000000);
        while (!p->stop && pthread_cond_timedwait(&p->wake, &p->lock, &t) == 0) {
        }
        if (!p->stop)
            report(p, 0);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

progress *
progress_start(progress_mode mode, double seconds, FILE *f, uint64_t docs_total,
               uint64_t bytes_total)
{
    if (mode == PROGRESS_NONE)
        return NULL;
    progress *p = xcalloc(1, sizeof *p);
    p->mode = mode;
    p->seconds = seconds > 0              ? seconds
                 : mode == PROGRESS_BAR   ? 0.2
                 : mode == PROGRESS_PLAIN ? 5
                                          : 10;
    p->f = f;
    p->now.docs_total = docs_total;
    p->now.bytes_total = bytes_total;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_create(&p->thread, NULL, ticker, p);
    return p;
}

void
progress_done(progress *p, uint64_t bytes, int failed)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    p->now.docs++;
    p->now.bytes += bytes;
    p->now.failed += failed != 0;
    pthread_mutex_unlock(&p->lock);
}

void
progress_unchanged(progress *p, uint64_t bytes)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    p->now.docs++;
    p->now.unchanged++;
    p->now.bytes_total -= bytes < p->now.bytes_total ? bytes : p->now.bytes_total;
    pthread_mutex_unlock(&p->lock);
}

void
progress_finish(progress *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    report(p, 1);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p);
}
