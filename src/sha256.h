/* sha256.h: SHA-256 (FIPS 180-4), for the content hashes of the run state
 * and the plugin hashes of the run manifest. */
#ifndef TP_SHA256_H
#define TP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

typedef struct sha256 {
    uint32_t h[8];
    uint64_t total; /* bytes hashed so far */
    unsigned char block[64];
    size_t fill;
} sha256;

void sha256_init(sha256 *s);
void sha256_update(sha256 *s, const void *data, size_t len);
/* The digest as 64 lower-case hex digits; s must be initialised again
 * before reuse. */
void sha256_hex(sha256 *s, char hex[SHA256_HEX_SIZE]);

/* The hash of a whole file: 0, or -1 with errno set. */
int sha256_file(const char *path, char hex[SHA256_HEX_SIZE]);

#endif
