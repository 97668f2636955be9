#ifndef CTROCHASH_SHA256_NI_H
#define CTROCHASH_SHA256_NI_H

#include <stdint.h>

/// Whether the CPU has the SHA extensions (and SSSE3, SSE4.1) that the functions below need.
int troc_sha256_ni_available(void);

/// One SHA-256 compression of `block` into `state` (host-order words).
void troc_sha256_ni_compress(uint32_t state[8], const uint8_t block[64]);

/// Two independent compressions run side by side.
void troc_sha256_ni_compress2(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8], const uint8_t block_b[64]);

#endif
