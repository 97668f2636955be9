// SHA-256 compression with the x86 SHA extensions, called directly: libcrypto's SHA256_Transform runs the
// same instructions but one block per call, behind a dispatch and copies. A match key is two
// compressions (inner and outer HMAC block), each a chain of dependent sha256rnds2 instructions, so two
// independent messages compressed together fill the pipeline that one leaves idle.
#include "sha256_ni.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
    0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
    0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
    0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
    0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

int troc_sha256_ni_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    int ssse3 = (ecx >> 9) & 1, sse41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    int sha = (ebx >> 29) & 1;
    return ssse3 && sse41 && sha;
}

#define TARGET __attribute__((target("sha,sse4.1,ssse3")))

// The eight state words as the instructions want them: ABEF and CDGH.
TARGET static inline void load(const uint32_t state[8], __m128i *abef, __m128i *cdgh) {
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);
    *abef = _mm_alignr_epi8(dcba, efgh, 8);
    *cdgh = _mm_blend_epi16(efgh, dcba, 0xF0);
}

TARGET static inline void store(__m128i abef, __m128i cdgh, uint32_t state[8]) {
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

TARGET static inline __m128i schedule(__m128i w0, __m128i w1, __m128i w2, __m128i w3) {
    return _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4)), w3);
}

// Four rounds of every lane, then the next four message words of every lane (groups 0–11). `group` is
// a literal at each use, so the word indices are constants and the words stay in registers.
#define GROUP(group)                                                                                                                   \
    {                                                                                                                                  \
        __m128i k = _mm_loadu_si128((const __m128i *)&round_constants[4 * (group)]);                                                   \
        for (int l = 0; l < LANES; l++) {                                                                                              \
            __m128i message = _mm_add_epi32(w[l][(group) & 3], k);                                                                     \
            cdgh[l] = _mm_sha256rnds2_epu32(cdgh[l], abef[l], message);                                                                \
            abef[l] = _mm_sha256rnds2_epu32(abef[l], cdgh[l], _mm_shuffle_epi32(message, 0x0E));                                       \
            if ((group) < 12)                                                                                                          \
                w[l][(group) & 3] =                                                                                                    \
                    schedule(w[l][(group) & 3], w[l][((group) + 1) & 3], w[l][((group) + 2) & 3], w[l][((group) + 3) & 3]);           \
        }                                                                                                                              \
    }

// The 64 rounds over one block in each of LANES independent states, side by side so that one lane's
// instructions fill the latency of the other's.
#define COMPRESS                                                                                                                       \
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);                                               \
    __m128i abef[LANES], cdgh[LANES], saved_abef[LANES], saved_cdgh[LANES], w[LANES][4];                                               \
    for (int l = 0; l < LANES; l++) {                                                                                                  \
        load(states[l], &abef[l], &cdgh[l]);                                                                                           \
        saved_abef[l] = abef[l];                                                                                                       \
        saved_cdgh[l] = cdgh[l];                                                                                                       \
        for (int i = 0; i < 4; i++) w[l][i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks[l] + 16 * i)), swap);        \
    }                                                                                                                                  \
    GROUP(0) GROUP(1) GROUP(2) GROUP(3) GROUP(4) GROUP(5) GROUP(6) GROUP(7)                                                            \
    GROUP(8) GROUP(9) GROUP(10) GROUP(11) GROUP(12) GROUP(13) GROUP(14) GROUP(15)                                                      \
    for (int l = 0; l < LANES; l++) store(_mm_add_epi32(abef[l], saved_abef[l]), _mm_add_epi32(cdgh[l], saved_cdgh[l]), states[l]);

TARGET void troc_sha256_ni_compress(uint32_t state[8], const uint8_t block[64]) {
    uint32_t *states[1] = {state};
    const uint8_t *blocks[1] = {block};
    enum { LANES = 1 };
    COMPRESS
}

TARGET void troc_sha256_ni_compress2(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8], const uint8_t block_b[64]) {
    uint32_t *states[2] = {state_a, state_b};
    const uint8_t *blocks[2] = {block_a, block_b};
    enum { LANES = 2 };
    COMPRESS
}

#else

int troc_sha256_ni_available(void) { return 0; }
void troc_sha256_ni_compress(uint32_t state[8], const uint8_t block[64]) { (void)state, (void)block; }
void troc_sha256_ni_compress2(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8], const uint8_t block_b[64]) {
    (void)state_a, (void)block_a, (void)state_b, (void)block_b;
}

#endif
