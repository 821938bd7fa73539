/*
 * test_sha256.c — engine/sha256.c against the FIPS 180-4 example vectors
 * (and the NIST "million a"), fed whole and in uneven pieces, so that every
 * way a block boundary can fall is crossed.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "rules_embedded.h"
#include "sha256.h"

static void expect_hex(const char *msg, size_t len, const char *want)
{
    char got[SHA256_HEX_LEN + 1];
    sha256_hex(msg, len, got);
    cr_expect_str_eq(got, want, "sha256 of %zu bytes", len);
    /* the same bytes fed in pieces of 1, 3, 63, 64 and 65 bytes */
    static const size_t pieces[] = {1, 3, 63, 64, 65};
    for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
        sha256_ctx c;
        sha256_init(&c);
        for (size_t at = 0; at < len; at += pieces[k])
            sha256_update(&c, msg + at, len - at < pieces[k] ? len - at : pieces[k]);
        sha256_final_hex(&c, got);
        cr_expect_str_eq(got, want, "sha256 of %zu bytes in pieces of %zu", len, pieces[k]);
    }
}

Test(sha256, empty)
{
    expect_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(sha256, abc)
{
    expect_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sha256, two_blocks)
{
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    expect_hex(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, padding_edge_55_56_64)
{
    char m[64];
    memset(m, 'a', sizeof m);
    expect_hex(m, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    expect_hex(m, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    expect_hex(m, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

Test(sha256, million_a)
{
    size_t n = 1000000;
    char *m = malloc(n);
    cr_assert(m);
    memset(m, 'a', n);
    expect_hex(m, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

/* The build computes each built-in rule file's digest (cmake/EmbedRules.cmake)
 * so that no run hashes its own bytes: it must be the digest of those bytes. */
Test(sha256, built_in_rule_files_carry_their_digest)
{
    size_t n = 0;
    for (const rules_embedded_file *f = rules_embedded; f->file; f++, n++) {
        char hex[SHA256_HEX_LEN + 1];
        sha256_hex(f->bytes, f->len, hex);
        cr_expect_str_eq(f->sha256, hex, "%s", f->file);
    }
    cr_expect_gt(n, 1);
}
