/*
 * sha256.h — SHA-256 (FIPS 180-4), for the digest that identifies a rule set
 * in every result (meta.rules.sha256). Neither GMP nor MPFR offers a hash,
 * and the stamp is not a security boundary: a small, tested implementation
 * is enough.
 */
#ifndef KOFU_ENGINE_SHA256_H
#define KOFU_ENGINE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t total;          /* bytes hashed so far                          */
    unsigned char block[64]; /* the pending partial block                    */
    size_t used;
} sha256_ctx;

#define SHA256_HEX_LEN 64

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, unsigned char out[32]);
/* The digest of len bytes as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);
void sha256_final_hex(sha256_ctx *c, char out[SHA256_HEX_LEN + 1]);

#endif
