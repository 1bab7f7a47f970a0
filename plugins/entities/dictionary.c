/* dictionary.c: a sorted word list searched in place (see dictionary.h). */
#include "config.h"

#include "dictionary.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int
dictionary_open(dictionary *d, const char *path)
{
    d->p = NULL;
    d->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            close(fd);
            return -1;
        }
        d->p = p;
        d->len = (size_t)st.st_size;
    }
    close(fd);
    return 0;
}

void
dictionary_close(dictionary *d)
{
    if (d->p != NULL)
        munmap((void *)d->p, d->len);
    d->p = NULL;
    d->len = 0;
}

/* Bisect over byte offsets: back up from the middle to the start of its
 * line, compare the line, and keep the half that can still hold w. */
int
dictionary_has(const dictionary *d, const char *w, size_t n)
{
    size_t lo = 0, hi = d->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, start = mid;
        while (start > lo && d->p[start - 1] != '\n')
            start--;
        const char *nl = memchr(d->p + start, '\n', hi - start);
        size_t end = nl != NULL ? (size_t)(nl - d->p) : hi;
        size_t len = end - start, common = len < n ? len : n;
        int c = memcmp(d->p + start, w, common);
        if (c == 0)
            c = (len > n) - (len < n);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = end + 1;
        else
            hi = start;
    }
    return 0;
}
