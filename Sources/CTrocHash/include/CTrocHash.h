#ifndef CTROCHASH_H
#define CTROCHASH_H

#include <stddef.h>
#include <stdint.h>

/// An HMAC-SHA-256 key with its inner and outer pad blocks already compressed, so that a short
/// message costs two SHA-256 compressions and no allocation.
typedef struct {
    uint32_t inner[8];
    uint32_t outer[8];
} troc_hmac_sha256_key;

/// Prepares `key` from `key_bytes` (any length; longer than 64 bytes is hashed first, per RFC 2104).
void troc_hmac_sha256_key_init(troc_hmac_sha256_key *key, const uint8_t *key_bytes, size_t key_length);

/// Writes HMAC-SHA-256(key, message) into `out` (32 bytes).
void troc_hmac_sha256(const troc_hmac_sha256_key *key, const uint8_t *message, size_t length, uint8_t out[32]);

/// Two HMAC-SHA-256 at once (the same as two calls, in about the time of one where the CPU has SHA extensions).
void troc_hmac_sha256_pair(
    const troc_hmac_sha256_key *key_a, const uint8_t *message_a, size_t length_a, uint8_t out_a[32], const troc_hmac_sha256_key *key_b,
    const uint8_t *message_b, size_t length_b, uint8_t out_b[32]);

#endif
