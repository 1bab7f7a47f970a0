/* hash.h: the hash of short strings (words) that the core's tables use. */
#ifndef TP_HASH_H
#define TP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a: words are short, so a byte loop beats block hashes here.  Its
 * low bits are weak: fold the high ones in before masking a slot index. */
static inline uint32_t
hash_word(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

#endif
