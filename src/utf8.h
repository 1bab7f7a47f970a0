/* utf8.h: decoding one UTF-8 character, strictly (the tokeniser and the
 * normaliser must agree on what is ill-formed and on how long it is). */
#ifndef TP_UTF8_H
#define TP_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one character of s[0, n), n >= 1.  Returns its length; *cp is -1
 * for an ill-formed sequence, whose length is then that of its maximal
 * subpart (at least 1), so that one bad sequence is counted once. */
static inline size_t
utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned char b0 = s[0], lo = 0x80, hi = 0xBF;

    *cp = -1;
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 < 0xC2 || b0 > 0xF4)
        return 1;
    if (b0 < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 1;
        *cp = ((int32_t)(b0 & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (b0 == 0xE0)
        lo = 0xA0;
    else if (b0 == 0xED)
        hi = 0x9F;
    else if (b0 == 0xF0)
        lo = 0x90;
    else if (b0 == 0xF4)
        hi = 0x8F;
    if (n < 2 || s[1] < lo || s[1] > hi)
        return 1;
    if (n < 3 || (s[2] & 0xC0) != 0x80)
        return 2;
    if (b0 < 0xF0) {
        *cp = ((int32_t)(b0 & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (n < 4 || (s[3] & 0xC0) != 0x80)
        return 3;
    *cp = ((int32_t)(b0 & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
          ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
}

#endif
