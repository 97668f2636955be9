// HMAC-SHA-256 with the RFC 2104 pads precompressed, fed whole blocks: swift-crypto's HMAC costs ~1 µs
// per short message in set-up and copies, and the engine hashes millions of short keys. The compression
// is the CPU's SHA extensions called directly where it has them (sha256_ni.c), else libcrypto's
// SHA256_Transform (its own SHA-NI/AVX2 assembly, chosen at run time).
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "CTrocHash.h"
#include "sha256_ni.h"

#include <openssl/sha.h>
#include <string.h>

static int has_sha_extensions;

__attribute__((constructor)) static void detect_sha_extensions(void) { has_sha_extensions = troc_sha256_ni_available(); }

static void compress(uint32_t state[8], const uint8_t block[64]) {
    if (has_sha_extensions) {
        troc_sha256_ni_compress(state, block);
        return;
    }
    // SHA256_Transform reads and writes only `h`, so the other context fields are never initialised here.
    SHA256_CTX ctx;
    memcpy(ctx.h, state, sizeof(uint32_t) * 8);
    SHA256_Transform(&ctx, block);
    memcpy(state, ctx.h, sizeof(uint32_t) * 8);
}

static void compress2(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8], const uint8_t block_b[64]) {
    if (has_sha_extensions) {
        troc_sha256_ni_compress2(state_a, block_a, state_b, block_b);
        return;
    }
    compress(state_a, block_a);
    compress(state_b, block_b);
}

static const uint32_t initial_state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static void compress_pad(uint32_t state[8], const uint8_t block[64]) {
    memcpy(state, initial_state, sizeof initial_state);
    compress(state, block);
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

static void store_digest(const uint32_t state[8], uint8_t out[32]) {
    for (int i = 0; i < 8; i++) {
        uint32_t h = state[i];
        out[4 * i] = (uint8_t)(h >> 24);
        out[4 * i + 1] = (uint8_t)(h >> 16);
        out[4 * i + 2] = (uint8_t)(h >> 8);
        out[4 * i + 3] = (uint8_t)h;
    }
}

/// A message hashed as the continuation of a stream whose first 64 bytes (a pad) are already in `state`:
/// its whole blocks where they lie, then the rest and the SHA-256 padding in `tail`.
typedef struct {
    uint32_t state[8];
    const uint8_t *message;
    size_t whole_blocks;
    size_t tail_blocks;
    uint8_t tail[128];
} stream;

static void stream_start(stream *s, const uint32_t pad_state[8], const uint8_t *message, size_t length) {
    memcpy(s->state, pad_state, sizeof s->state);
    s->message = message;
    s->whole_blocks = length / 64;
    size_t rest = length % 64;
    s->tail_blocks = rest + 1 + 8 > 64 ? 2 : 1;
    memset(s->tail, 0, 64 * s->tail_blocks);
    if (rest > 0) memcpy(s->tail, message + 64 * s->whole_blocks, rest);
    s->tail[rest] = 0x80;
    store_be64(s->tail + s->tail_blocks * 64 - 8, (uint64_t)(64 + length) * 8);
}

static size_t stream_blocks(const stream *s) { return s->whole_blocks + s->tail_blocks; }

static const uint8_t *stream_block(const stream *s, size_t index) {
    return index < s->whole_blocks ? s->message + 64 * index : s->tail + 64 * (index - s->whole_blocks);
}

void troc_hmac_sha256(const troc_hmac_sha256_key *key, const uint8_t *message, size_t length, uint8_t out[32]) {
    stream s;
    stream_start(&s, key->inner, message, length);
    for (size_t index = 0; index < stream_blocks(&s); index++) compress(s.state, stream_block(&s, index));
    uint8_t inner_digest[32];
    store_digest(s.state, inner_digest);
    stream_start(&s, key->outer, inner_digest, 32);
    compress(s.state, stream_block(&s, 0));
    store_digest(s.state, out);
}

/// The block of a message of at most 55 bytes after a 64-byte pad: the message, the 0x80 byte, zeros, and the length
/// in bits of the pad and the message.
static void short_block(uint8_t block[64], const uint8_t *message, size_t length) {
    memset(block, 0, 64);
    memcpy(block, message, length);
    block[length] = 0x80;
    store_be64(block + 56, (uint64_t)(64 + length) * 8);
}

/// The outer block of an HMAC: the inner digest (32 bytes) and its padding, the same for every message.
static void outer_block(uint8_t block[64], const uint32_t inner_state[8]) {
    store_digest(inner_state, block);
    memset(block + 32, 0, 32);
    block[32] = 0x80;
    block[62] = 0x03;  // (64 + 32) * 8 = 768 bits
}

/// Both messages fit one block after the pad (at most 55 bytes, as every match key does): four compressions two by two,
/// and no stream set-up, which cost more than the compressions themselves.
static void hmac_pair_short(
    const troc_hmac_sha256_key *key_a, const uint8_t *message_a, size_t length_a, uint8_t out_a[32], const troc_hmac_sha256_key *key_b,
    const uint8_t *message_b, size_t length_b, uint8_t out_b[32]) {
    uint8_t block_a[64], block_b[64];
    uint32_t state_a[8], state_b[8];
    short_block(block_a, message_a, length_a);
    short_block(block_b, message_b, length_b);
    memcpy(state_a, key_a->inner, sizeof state_a);
    memcpy(state_b, key_b->inner, sizeof state_b);
    troc_sha256_ni_compress2(state_a, block_a, state_b, block_b);
    outer_block(block_a, state_a);
    outer_block(block_b, state_b);
    memcpy(state_a, key_a->outer, sizeof state_a);
    memcpy(state_b, key_b->outer, sizeof state_b);
    troc_sha256_ni_compress2(state_a, block_a, state_b, block_b);
    store_digest(state_a, out_a);
    store_digest(state_b, out_b);
}

void troc_hmac_sha256_pair(
    const troc_hmac_sha256_key *key_a, const uint8_t *message_a, size_t length_a, uint8_t out_a[32], const troc_hmac_sha256_key *key_b,
    const uint8_t *message_b, size_t length_b, uint8_t out_b[32]) {
    if (has_sha_extensions && length_a <= 55 && length_b <= 55) {
        hmac_pair_short(key_a, message_a, length_a, out_a, key_b, message_b, length_b, out_b);
        return;
    }
    stream a, b;
    stream_start(&a, key_a->inner, message_a, length_a);
    stream_start(&b, key_b->inner, message_b, length_b);
    size_t blocks_a = stream_blocks(&a), blocks_b = stream_blocks(&b);
    size_t common = blocks_a < blocks_b ? blocks_a : blocks_b;
    for (size_t index = 0; index < common; index++) compress2(a.state, stream_block(&a, index), b.state, stream_block(&b, index));
    for (size_t index = common; index < blocks_a; index++) compress(a.state, stream_block(&a, index));
    for (size_t index = common; index < blocks_b; index++) compress(b.state, stream_block(&b, index));
    uint8_t inner_a[32], inner_b[32];
    store_digest(a.state, inner_a);
    store_digest(b.state, inner_b);
    stream_start(&a, key_a->outer, inner_a, 32);
    stream_start(&b, key_b->outer, inner_b, 32);
    compress2(a.state, stream_block(&a, 0), b.state, stream_block(&b, 0));
    store_digest(a.state, out_a);
    store_digest(b.state, out_b);
}
