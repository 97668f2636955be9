// The structural index of a block of CSV bytes: where its separators, line ends and quotes are, one bit per
// byte, so that the row parser finds each field's end with a bit scan instead of testing bytes. Swift's SIMD
// types compare 32 bytes at once but have no way to turn the result into a bit mask (x86's pmovmskb), so the
// kernel is C. Checked against the scalar version byte for byte by TrocCoreTests (StructuralIndexTests). Also the text
// decoder's ASCII fast path, which counts line ends as it goes.
#include "CTrocScan.h"

#include <string.h>

int troc_scan_index_scalar(const uint8_t *bytes, size_t count, uint8_t delimiter, uint64_t *separators, uint64_t *quotes) {
    size_t words = (count + 63) / 64;
    memset(separators, 0, words * sizeof(uint64_t));
    memset(quotes, 0, words * sizeof(uint64_t));
    int anomaly = 0;
    for (size_t i = 0; i < count; i++) {
        uint8_t byte = bytes[i];
        uint64_t bit = (uint64_t)1 << (i % 64);
        if (byte == delimiter || byte == '\n') separators[i / 64] |= bit;
        if (byte == '"') quotes[i / 64] |= bit;
        if (byte == 0 || byte == 0xEF) anomaly = 1;
    }
    return anomaly;
}

size_t troc_ascii_prefix_scalar(const uint8_t *bytes, size_t count, size_t *line_feeds) {
    size_t index = 0, found = 0;
    for (; index < count && bytes[index] < 0x80; index++) found += bytes[index] == '\n';
    *line_feeds += found;
    return index;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

static int has_avx2;

__attribute__((constructor)) static void detect_avx2(void) {
    __builtin_cpu_init();
    has_avx2 = __builtin_cpu_supports("avx2");
}

#define AVX2 __attribute__((target("avx2")))

AVX2 static inline uint64_t mask64(__m256i low, __m256i high, __m256i value) {
    uint32_t low_bits = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, value));
    uint32_t high_bits = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, value));
    return (uint64_t)high_bits << 32 | low_bits;
}

/// One 64-byte chunk; `valid` masks the bits of the bytes that belong to the block.
AVX2 static inline uint64_t index_chunk(
    const uint8_t *chunk, uint64_t valid, __m256i delimiter, uint64_t *separators, uint64_t *quotes) {
    const __m256i line_feed = _mm256_set1_epi8('\n'), quote = _mm256_set1_epi8('"');
    const __m256i zero = _mm256_setzero_si256(), replacement_lead = _mm256_set1_epi8((char)0xEF);
    __m256i low = _mm256_loadu_si256((const __m256i *)chunk);
    __m256i high = _mm256_loadu_si256((const __m256i *)(chunk + 32));
    *separators = (mask64(low, high, delimiter) | mask64(low, high, line_feed)) & valid;
    *quotes = mask64(low, high, quote) & valid;
    return (mask64(low, high, zero) | mask64(low, high, replacement_lead)) & valid;
}

AVX2 static int index_avx2(const uint8_t *bytes, size_t count, uint8_t delimiter, uint64_t *separators, uint64_t *quotes) {
    const __m256i delimiters = _mm256_set1_epi8((char)delimiter);
    uint64_t anomalies = 0;
    size_t word = 0;
    for (; (word + 1) * 64 <= count; word++) {
        anomalies |= index_chunk(bytes + word * 64, ~(uint64_t)0, delimiters, &separators[word], &quotes[word]);
    }
    size_t rest = count - word * 64;
    if (rest > 0) {
        // The last bytes, copied into a chunk of their own so that no load reads past the block.
        uint8_t last[64] = {0};
        memcpy(last, bytes + word * 64, rest);
        anomalies |= index_chunk(last, ((uint64_t)1 << rest) - 1, delimiters, &separators[word], &quotes[word]);
    }
    return anomalies != 0;
}

AVX2 static size_t ascii_prefix_avx2(const uint8_t *bytes, size_t count, size_t *line_feeds) {
    const __m256i line_feed = _mm256_set1_epi8('\n');
    size_t index = 0, found = 0;
    for (; index + 32 <= count; index += 32) {
        __m256i chunk = _mm256_loadu_si256((const __m256i *)(bytes + index));
        if (_mm256_movemask_epi8(chunk) != 0) break;
        found += (size_t)__builtin_popcount((uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(chunk, line_feed)));
    }
    *line_feeds += found;
    return index + troc_ascii_prefix_scalar(bytes + index, count - index, line_feeds);
}

size_t troc_ascii_prefix(const uint8_t *bytes, size_t count, size_t *line_feeds) {
    if (has_avx2) return ascii_prefix_avx2(bytes, count, line_feeds);
    return troc_ascii_prefix_scalar(bytes, count, line_feeds);
}

int troc_scan_index(const uint8_t *bytes, size_t count, uint8_t delimiter, uint64_t *separators, uint64_t *quotes) {
    if (has_avx2) return index_avx2(bytes, count, delimiter, separators, quotes);
    return troc_scan_index_scalar(bytes, count, delimiter, separators, quotes);
}

#else

size_t troc_ascii_prefix(const uint8_t *bytes, size_t count, size_t *line_feeds) {
    return troc_ascii_prefix_scalar(bytes, count, line_feeds);
}

int troc_scan_index(const uint8_t *bytes, size_t count, uint8_t delimiter, uint64_t *separators, uint64_t *quotes) {
    return troc_scan_index_scalar(bytes, count, delimiter, separators, quotes);
}

#endif
