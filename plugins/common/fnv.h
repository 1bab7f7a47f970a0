/* fnv.h: FNV-1a, the hash the shipped plugins file short keys under. */
#ifndef TP_PLUGINS_FNV_H
#define TP_PLUGINS_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV_START 2166136261u

/* h carried on over s[0, len): fnv_add(FNV_START, s, len) is the hash of
 * s, and hashing pieces in turn hashes their concatenation. */
static inline uint32_t
fnv_add(uint32_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

#endif
