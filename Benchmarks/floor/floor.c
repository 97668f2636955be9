// The floor of `troc match` on shared/bench/gen_contacts.py's files: the work no implementation of the
// match can skip, written as tightly as we know how, to tell how far the engine is from the hardware.
//
// Each file on its own thread: read(2) in 1 MiB pieces into one reused buffer, rows and fields split with
// AVX2 (separator and LF masks, 64 bytes at a time; the files hold no quotes, so none are handled), then
// per row the three keys a match needs: the email trimmed and lowercased, the phone's digits in +33 form,
// the SIRET's 14 digits, each HMAC-SHA-256'd (docs/RULES.md: keys are HMAC-SHA-256) two at a time straight
// from the key's precompressed pads with CTrocHash's SHA-NI compression, and kept as 96 bits and a row
// number. Then each file's email keys sorted (a 16-bit bucket pass, then insertion sort), and the
// distinct keys both files hold counted by merging the two sorted arrays.
//
// Left out, because a floor must not do them: every other check (email syntax and the gmail rules,
// phone plans, the SIRET's Luhn sum, NAF codes, dates, consent), dedupe within a file, the phone and
// SIRET joins, quality, balancing and the report. Its time is therefore below anything a correct match
// can reach; its overlap is not the match's (no gmail rules).
//
// x86-64 with AVX2 and the SHA extensions only. Benchmarks/match_vs_baselines.py --floor builds it with
// cc and runs it beside troc and DuckDB; by hand: floor A.csv B.csv (prints JSON).
#include "CTrocHash.h"
#include "sha256_ni.h"

#include <fcntl.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { email_column = 3, phone_column = 4, siret_column = 9 };

typedef struct {
    uint64_t high;
    uint32_t low;
    uint32_t row;
} key_entry;

typedef struct {
    const char *path;
    const troc_hmac_sha256_key *key;
    key_entry *emails, *phones, *sirets;
    size_t email_count, phone_count, siret_count, rows;
    double split_seconds, total_seconds;
} file_work;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

// HMAC-SHA-256 of two messages of at most 55 bytes each (one padded block), straight from the key's
// precompressed pads: four compressions, two by two, and the first 96 bits of each result. CTrocHash's
// troc_hmac_sha256_pair takes the same one-block path but writes whole digests byte by byte; called here
// instead, it made the floor about 25 % slower (0.74-0.83 s against 0.56-0.63 s, three interleaved runs on
// 7 December), which is what CTrocHash has left to gain.
static void hmac_pair_short(const troc_hmac_sha256_key *key, const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length,
                            uint32_t out_a[3], uint32_t out_b[3]) {
    uint8_t block_a[64] __attribute__((aligned(16))) = {0}, block_b[64] __attribute__((aligned(16))) = {0};
    memcpy(block_a, a, a_length);
    memcpy(block_b, b, b_length);
    block_a[a_length] = 0x80;
    block_b[b_length] = 0x80;
    uint64_t bits_a = __builtin_bswap64((uint64_t)(64 + a_length) * 8), bits_b = __builtin_bswap64((uint64_t)(64 + b_length) * 8);
    memcpy(block_a + 56, &bits_a, 8);
    memcpy(block_b + 56, &bits_b, 8);
    uint32_t state_a[8], state_b[8];
    memcpy(state_a, key->inner, 32);
    memcpy(state_b, key->inner, 32);
    troc_sha256_ni_compress2(state_a, block_a, state_b, block_b);
    memset(block_a + 32, 0, 32);
    memset(block_b + 32, 0, 32);
    for (int i = 0; i < 8; i++) {
        uint32_t word_a = __builtin_bswap32(state_a[i]), word_b = __builtin_bswap32(state_b[i]);
        memcpy(block_a + 4 * i, &word_a, 4);
        memcpy(block_b + 4 * i, &word_b, 4);
    }
    block_a[32] = block_b[32] = 0x80;
    block_a[62] = block_b[62] = 0x03;
    memcpy(state_a, key->outer, 32);
    memcpy(state_b, key->outer, 32);
    troc_sha256_ni_compress2(state_a, block_a, state_b, block_b);
    for (int i = 0; i < 3; i++) {
        out_a[i] = state_a[i];
        out_b[i] = state_b[i];
    }
}

static key_entry short_entry(const uint32_t words[3], uint32_t row) {
    key_entry e = {.high = (uint64_t)words[0] << 32 | words[1], .low = words[2], .row = row};
    return e;
}

static key_entry entry(const uint8_t digest[32], uint32_t row) {
    key_entry e;
    uint64_t high = 0;
    uint32_t low = 0;
    for (int i = 0; i < 8; i++) high = high << 8 | digest[i];
    for (int i = 8; i < 12; i++) low = low << 8 | digest[i];
    e.high = high;
    e.low = low;
    e.row = row;
    return e;
}

static size_t lower_trimmed(const uint8_t *start, const uint8_t *end, uint8_t *out) {
    while (start < end && *start == ' ') start++;
    while (end > start && end[-1] == ' ') end--;
    size_t n = 0;
    for (const uint8_t *p = start; p < end && n < 255; p++) out[n++] = (uint8_t)((unsigned)(*p - 'A') < 26u ? *p | 0x20 : *p);
    return n;
}

static size_t digits(const uint8_t *start, const uint8_t *end, uint8_t *out, size_t room) {
    size_t n = 0;
    for (const uint8_t *p = start; p < end && n < room; p++)
        if ((uint8_t)(*p - '0') < 10) out[n++] = *p;
    return n;
}

static size_t phone_e164(const uint8_t *start, const uint8_t *end, uint8_t *out) {
    uint8_t raw[32];
    size_t n = digits(start, end, raw, sizeof raw);
    out[0] = '+';
    if (n == 10 && raw[0] == '0') {
        out[1] = '3';
        out[2] = '3';
        memcpy(out + 3, raw + 1, 9);
        return 12;
    }
    memcpy(out + 1, raw, n);
    return n + 1;
}

// The keys of one row, kept until the row's end.
typedef struct {
    uint8_t email[256], phone[32], siret[32];
    size_t email_length, phone_length, siret_length;
    int has_waiting_siret;
    uint8_t waiting_siret[32];
    uint32_t waiting_siret_row;
} row_state;

static void hash_pair(const troc_hmac_sha256_key *key, const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length,
                      key_entry *out_a, key_entry *out_b, uint32_t row_a, uint32_t row_b) {
    if (a_length <= 55 && b_length <= 55) {
        uint32_t words_a[3], words_b[3];
        hmac_pair_short(key, a, a_length, b, b_length, words_a, words_b);
        *out_a = short_entry(words_a, row_a);
        *out_b = short_entry(words_b, row_b);
    } else {
        uint8_t digest_a[32], digest_b[32];
        troc_hmac_sha256_pair(key, a, a_length, digest_a, key, b, b_length, digest_b);
        *out_a = entry(digest_a, row_a);
        *out_b = entry(digest_b, row_b);
    }
}

static void end_row(file_work *work, row_state *keys, uint32_t row) {
    hash_pair(work->key, keys->email, keys->email_length, keys->phone, keys->phone_length, &work->emails[work->email_count++],
              &work->phones[work->phone_count++], row, row);
    if (keys->siret_length != 14) return;
    if (keys->has_waiting_siret) {
        hash_pair(work->key, keys->waiting_siret, 14, keys->siret, 14, &work->sirets[work->siret_count], &work->sirets[work->siret_count + 1],
                  keys->waiting_siret_row, row);
        work->siret_count += 2;
        keys->has_waiting_siret = 0;
    } else {
        memcpy(keys->waiting_siret, keys->siret, 14);
        keys->waiting_siret_row = row;
        keys->has_waiting_siret = 1;
    }
}

enum { buffer_size = 4 << 20, read_size = 1 << 20 };

static void *work_on_file(void *argument) {
    file_work *work = argument;
    double start = now();
    int fd = open(work->path, O_RDONLY);
    if (fd < 0) {
        perror(work->path);
        exit(1);
    }
    size_t capacity = (size_t)lseek(fd, 0, SEEK_END) / 64 + 16;
    lseek(fd, 0, SEEK_SET);
    work->emails = malloc(capacity * sizeof(key_entry));
    work->phones = malloc(capacity * sizeof(key_entry));
    work->sirets = malloc(capacity * sizeof(key_entry));
    uint8_t *buffer = aligned_alloc(64, buffer_size + 64);
    size_t filled = 0;
    int header = 1;
    uint32_t row = 0;
    row_state keys = {0};
    const __m256i separator = _mm256_set1_epi8(';'), line_feed = _mm256_set1_epi8('\n');
    for (;;) {
        ssize_t got = read(fd, buffer + filled, read_size);
        if (got < 0) {
            perror(work->path);
            exit(1);
        }
        filled += (size_t)got;
        // Whole rows only: up to the last LF (or everything at the end of the file, which ends with one here).
        size_t limit = filled;
        while (limit > 0 && buffer[limit - 1] != '\n') limit--;
        if (got == 0) limit = filled;
        size_t position = 0;
        if (header) {
            while (position < limit && buffer[position] != '\n') position++;
            position++;
            header = 0;
        }
        size_t field_start = position;
        int column = 0;
        size_t chunk = position & ~(size_t)63;
        unsigned skip = (unsigned)(position - chunk);
        for (; chunk < limit; chunk += 64) {
            __m256i low = _mm256_load_si256((const __m256i *)(buffer + chunk));
            __m256i high = _mm256_load_si256((const __m256i *)(buffer + chunk + 32));
            uint64_t seps = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, separator)) |
                            (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, separator)) << 32;
            uint64_t lines = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, line_feed)) |
                             (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, line_feed)) << 32;
            uint64_t ends = (seps | lines) >> skip << skip;
            skip = 0;
            while (ends) {
                size_t at = chunk + (size_t)__builtin_ctzll(ends);
                if (at >= limit) break;
                int is_line = (lines >> (at - chunk)) & 1;
                ends &= ends - 1;
                const uint8_t *field = buffer + field_start, *field_end = buffer + at;
                if (is_line && field_end > field && field_end[-1] == '\r') field_end--;
                switch (column) {
                case email_column: keys.email_length = lower_trimmed(field, field_end, keys.email); break;
                case phone_column: keys.phone_length = phone_e164(field, field_end, keys.phone); break;
                case siret_column: keys.siret_length = digits(field, field_end, keys.siret, 14); break;
                default: break;
                }
                column++;
                field_start = at + 1;
                if (!is_line) continue;
                end_row(work, &keys, row++);
                column = 0;
            }
        }
        if (got == 0) break;
        memmove(buffer, buffer + limit, filled - limit);
        filled -= limit;
    }
    close(fd);
    free(buffer);
    if (keys.has_waiting_siret) {
        uint8_t digest[32];
        troc_hmac_sha256(work->key, keys.waiting_siret, 14, digest);
        work->sirets[work->siret_count++] = entry(digest, keys.waiting_siret_row);
    }
    work->rows = row;
    double split_done = now();

    // Sort the email keys: a pass into 65,536 buckets by the top 16 bits, then insertion sort in each.
    size_t count = work->email_count;
    key_entry *sorted = malloc(count * sizeof(key_entry));
    size_t *starts = calloc(65537, sizeof(size_t));
    for (size_t i = 0; i < count; i++) starts[(work->emails[i].high >> 48) + 1]++;
    for (size_t b = 1; b <= 65536; b++) starts[b] += starts[b - 1];
    size_t *next = malloc(65536 * sizeof(size_t));
    memcpy(next, starts, 65536 * sizeof(size_t));
    for (size_t i = 0; i < count; i++) sorted[next[work->emails[i].high >> 48]++] = work->emails[i];
    for (size_t b = 0; b < 65536; b++) {
        for (size_t i = starts[b] + 1; i < starts[b + 1]; i++) {
            key_entry value = sorted[i];
            size_t j = i;
            while (j > starts[b] && (sorted[j - 1].high > value.high || (sorted[j - 1].high == value.high && sorted[j - 1].low > value.low))) {
                sorted[j] = sorted[j - 1];
                j--;
            }
            sorted[j] = value;
        }
    }
    free(work->emails);
    free(starts);
    free(next);
    work->emails = sorted;
    double end = now();
    work->split_seconds = split_done - start;
    work->total_seconds = end - start;
    return NULL;
}

static int compare(const key_entry *a, const key_entry *b) {
    if (a->high != b->high) return a->high < b->high ? -1 : 1;
    if (a->low != b->low) return a->low < b->low ? -1 : 1;
    return 0;
}

// Distinct keys held by both sorted arrays.
static size_t overlap(const key_entry *a, size_t na, const key_entry *b, size_t nb) {
    size_t i = 0, j = 0, shared = 0;
    while (i < na && j < nb) {
        int c = compare(&a[i], &b[j]);
        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            shared++;
            key_entry k = a[i];
            while (i < na && compare(&a[i], &k) == 0) i++;
            while (j < nb && compare(&b[j], &k) == 0) j++;
        }
    }
    return shared;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s A.csv B.csv\n", argv[0]);
        return 2;
    }
    double start = now();
    troc_hmac_sha256_key key;
    troc_hmac_sha256_key_init(&key, (const uint8_t *)"floor-benchmark-secret-0123456789", 33);
    // The short-message pair must give CTrocHash's HMAC, bit for bit.
    for (size_t length = 0; length <= 55; length++) {
        uint8_t message[55], digest[32];
        for (size_t i = 0; i < length; i++) message[i] = (uint8_t)(i * 7 + length);
        uint32_t words_a[3], words_b[3];
        hmac_pair_short(&key, message, length, message, length / 2, words_a, words_b);
        troc_hmac_sha256(&key, message, length, digest);
        key_entry expected = entry(digest, 0), got = short_entry(words_a, 0);
        troc_hmac_sha256(&key, message, length / 2, digest);
        key_entry expected_b = entry(digest, 0), got_b = short_entry(words_b, 0);
        if (compare(&expected, &got) != 0 || compare(&expected_b, &got_b) != 0) {
            fprintf(stderr, "hmac_pair_short differs from troc_hmac_sha256 at length %zu\n", length);
            return 1;
        }
    }
    file_work files[2] = {{.path = argv[1], .key = &key}, {.path = argv[2], .key = &key}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, work_on_file, &files[i]);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    size_t shared = overlap(files[0].emails, files[0].email_count, files[1].emails, files[1].email_count);
    double end = now();
    printf(
        "{\"rows\": [%zu, %zu], \"keys\": %zu, \"overlap_email_keys\": %zu, \"read_split_hash_s\": [%.3f, %.3f], "
        "\"thread_s\": [%.3f, %.3f], \"wall_s\": %.3f}\n",
        files[0].rows, files[1].rows,
        files[0].email_count + files[0].phone_count + files[0].siret_count + files[1].email_count + files[1].phone_count + files[1].siret_count,
        shared, files[0].split_seconds, files[1].split_seconds, files[0].total_seconds,
        files[1].total_seconds, end - start);
    return 0;
}
