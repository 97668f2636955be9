#ifndef CTROCSCAN_H
#define CTROCSCAN_H

#include <stddef.h>
#include <stdint.h>

/// Indexes a block of CSV bytes, one bit per byte (bit `i % 64` of word `i / 64`): in `separators`, where a byte is
/// `delimiter` or LF; in `quotes`, where it is `"`. Both must hold `(count + 63) / 64` words; bits past `count` are 0.
/// Returns 1 if any byte is NUL or 0xEF (the first byte of U+FFFD), else 0.
///
/// With AVX2 (checked at run time) 64 bytes take a few vector instructions; elsewhere a byte at a time.
int troc_scan_index(const uint8_t *bytes, size_t count, uint8_t delimiter, uint64_t *separators, uint64_t *quotes);

/// The same, a byte at a time whatever the CPU: what the vector path is tested against.
int troc_scan_index_scalar(const uint8_t *bytes, size_t count, uint8_t delimiter, uint64_t *separators, uint64_t *quotes);

/// The length of the longest prefix of `bytes` below 0x80 (ASCII), adding the LF bytes in it to `*line_feeds`: the
/// text decoder's fast path, 32 bytes at a time with AVX2.
size_t troc_ascii_prefix(const uint8_t *bytes, size_t count, size_t *line_feeds);

/// The same, a byte at a time whatever the CPU.
size_t troc_ascii_prefix_scalar(const uint8_t *bytes, size_t count, size_t *line_feeds);

#endif
