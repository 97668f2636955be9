// HMAC-SHA-256 on libcrypto's SHA-256 block function (SHA-NI/AVX2 assembly chosen by OpenSSL at run time).
// swift-crypto's HMAC costs ~1 µs per short message in set-up and copies; the engine hashes millions of
// short keys, so we keep the RFC 2104 pads precompressed and feed whole blocks to SHA256_Transform.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "CTrocHash.h"

#include <openssl/sha.h>
#include <string.h>

// SHA256_Transform reads and writes only `h`, so the other context fields are never initialised here.
static void load_state(SHA256_CTX *ctx, const uint32_t state[8]) { memcpy(ctx->h, state, sizeof(uint32_t) * 8); }

static void compress_pad(uint32_t state[8], const uint8_t block[64]) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Transform(&ctx, block);
    memcpy(state, ctx.h, sizeof(uint32_t) * 8);
}

void troc_hmac_sha256_key_init(troc_hmac_sha256_key *key, const uint8_t *key_bytes, size_t key_length) {
    uint8_t block[64];
    uint8_t digest[32];
    memset(block, 0, sizeof block);
    if (key_length > 64) {
        SHA256(key_bytes, key_length, digest);
        memcpy(block, digest, 32);
    } else if (key_length > 0) {
        memcpy(block, key_bytes, key_length);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    compress_pad(key->inner, pad);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    compress_pad(key->outer, pad);
}

static void store_be64(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/// Hashes `message` as the continuation of a stream whose first 64 bytes (the pad) are already in
/// `state`, finishing with SHA-256 padding, and leaves the digest words in `ctx->h`.
static void finish(SHA256_CTX *ctx, const uint32_t state[8], const uint8_t *message, size_t length) {
    load_state(ctx, state);
    size_t offset = 0;
    while (length - offset >= 64) {
        SHA256_Transform(ctx, message + offset);
        offset += 64;
    }
    uint8_t tail[128];
    size_t rest = length - offset;
    memset(tail, 0, sizeof tail);
    if (rest > 0) memcpy(tail, message + offset, rest);
    tail[rest] = 0x80;
    size_t blocks = rest + 1 + 8 > 64 ? 2 : 1;
    store_be64(tail + blocks * 64 - 8, (uint64_t)(64 + length) * 8);
    SHA256_Transform(ctx, tail);
    if (blocks == 2) SHA256_Transform(ctx, tail + 64);
}

void troc_hmac_sha256(const troc_hmac_sha256_key *key, const uint8_t *message, size_t length, uint8_t out[32]) {
    SHA256_CTX ctx;
    finish(&ctx, key->inner, message, length);
    uint8_t inner_digest[32];
    for (int i = 0; i < 8; i++) {
        uint32_t h = ctx.h[i];
        inner_digest[4 * i] = (uint8_t)(h >> 24);
        inner_digest[4 * i + 1] = (uint8_t)(h >> 16);
        inner_digest[4 * i + 2] = (uint8_t)(h >> 8);
        inner_digest[4 * i + 3] = (uint8_t)h;
    }
    finish(&ctx, key->outer, inner_digest, 32);
    for (int i = 0; i < 8; i++) {
        uint32_t h = ctx.h[i];
        out[4 * i] = (uint8_t)(h >> 24);
        out[4 * i + 1] = (uint8_t)(h >> 16);
        out[4 * i + 2] = (uint8_t)(h >> 8);
        out[4 * i + 3] = (uint8_t)h;
    }
}
