/**
 * The Troc transfer envelope (docs/envelope.md, section 1) in the browser, on WebCrypto alone: RFC 9180 HPKE base mode
 * with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM, sealed and opened one chunk at a time so that no file
 * is ever held whole in the page.
 *
 * An ES2020 module with no dependency and no build step. Keys never leave the page: a private key file is read with
 * `File.text()` and imported as a non-extractable WebCrypto key.
 *
 * ```js
 * import { importPublicKey, importPrivateKey, sealToBlob, openToBlob } from "/console/assets/troc-envelope.js";
 * const broker = await importPublicKey((await (await fetch("/v1/broker-key")).json()).publicKey);
 * const envelope = await sealToBlob(file, broker, "upload:org-42", { onProgress: ({ done, total }) => bar.value = done / total });
 * const firmKey = await importPrivateKey(await keyFile.text());
 * const csv = await openToBlob((await fetch(deliveryURL)).body, firmKey, "delivery:deal-7:org-42", { type: "text/csv" });
 * ```
 *
 * Errors are `EnvelopeError` and `KeyFileError`, whose `code` and `message` are those of TrocCrypto's `EnvelopeError`
 * and `KeyFileError` for the same fault (checked by the WebCrypto* suites of Tests/TrocCryptoTests).
 *
 * @module troc-envelope
 */

const MAGIC = Uint8Array.of(0x54, 0x52, 0x4f, 0x43, 0x48, 0x50, 0x4b, 0x45);
const VERSION = 1;
const KEM_ID = 0x0020;
const KDF_ID = 0x0001;
const AEAD_AES_256_GCM = 0x0002;
const AEAD_CHACHA20_POLY1305 = 0x0003;
const FIXED_HEADER_LENGTH = 19;
const HEADER_LENGTH = 51;
const RECORD_HEADER_LENGTH = 5;
const TAG_LENGTH = 16;
const FLAG_MORE = 0x00;
const FLAG_FINAL = 0x01;
const PURPOSE_MAXIMUM_LENGTH = 255;
/** X25519 key length, and `Nenc`, `Npk`, `Nsecret` and `Nh` of the suite. */
const KEY_LENGTH = 32;
/** `Nn` of AES-256-GCM. */
const NONCE_LENGTH = 12;
/** How much of an input `Blob` is read at once when opening. */
const SOURCE_SLICE_LENGTH = 256 * 1024;
/** How many bytes of output are handed to the browser's blob store at once by `sealToBlob` and `openToBlob`. */
const BLOB_BATCH_LENGTH = 4 * 1024 * 1024;
const EMPTY = new Uint8Array(0);
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00);
const PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20);
const FOREIGN_ALGORITHMS = [
    [Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x70), "Ed25519 (a signing key)"],
    [Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x6f), "X448"],
    [Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x71), "Ed448 (a signing key)"],
    [Uint8Array.of(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01), "an elliptic-curve (ECDSA/ECDH) key"],
    [Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01), "an RSA key"],
];

/** Smallest chunk size the format allows. */
export const MIN_CHUNK_SIZE = 1024;
/** Largest chunk size the format allows. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** The chunk size `troc` and `trocd` use (docs/envelope.md 1.7). */
export const DEFAULT_CHUNK_SIZE = 32 * 1024;

/**
 * Why an envelope could not be sealed or opened. `code` names the case as TrocCrypto's `EnvelopeError` does
 * (`notAnEnvelope`, `unsupportedVersion`, `unsupportedSuite`, `chunkSizeOutOfBounds`, `invalidPurpose`, `invalidKey`,
 * `wrongKeyOrPurpose`, `chunkAuthenticationFailed`, `malformedRecord`, `truncated`, `trailingData`, `sealingFailed`),
 * plus two the browser adds: `webCryptoUnavailable` and `sourceChanged`. `details` holds the case's values
 * (`index`, `offset`, `completeChunks`, ...).
 */
export class EnvelopeError extends Error {
    /**
     * @param {string} code the case, as in TrocCrypto
     * @param {string} message what failed, where, and what to do
     * @param {Object<string, (number|string)>} [details] the case's values
     */
    constructor(code, message, details) {
        super(message);
        this.name = "EnvelopeError";
        this.code = code;
        this.details = Object.freeze(Object.assign({}, details));
    }
}

/**
 * Why a key could not be read. `code` names the case as TrocCrypto's `KeyFileError` does (`noPEMBlock`,
 * `wrongPEMLabel`, `encryptedPrivateKey`, `invalidBase64`, `notX25519`, `malformedDER`, `invalidRawKeyLength`,
 * `lowOrderPublicKey`), with the same message.
 */
export class KeyFileError extends Error {
    /**
     * @param {string} code the case, as in TrocCrypto
     * @param {string} message what is wrong and what to do
     * @param {Object<string, (number|string)>} [details] the case's values
     */
    constructor(code, message, details) {
        super(message);
        this.name = "KeyFileError";
        this.code = code;
        this.details = Object.freeze(Object.assign({}, details));
    }
}

/** An X25519 public key that envelopes are sealed to; make one with `importPublicKey`. */
export class EnvelopePublicKey {
    /**
     * @param {Uint8Array} raw the 32 key bytes
     * @param {CryptoKey} cryptoKey the WebCrypto key
     * @param {string} fingerprint as `fingerprint` computes it
     */
    constructor(raw, cryptoKey, fingerprint) {
        /** The 32 raw key bytes. @type {Uint8Array} */
        this.raw = raw;
        /** The WebCrypto X25519 public key. @type {CryptoKey} */
        this.cryptoKey = cryptoKey;
        /** First 16 bytes of SHA-256 over the DER SubjectPublicKeyInfo, as 8 colon-separated groups of 4 hex digits. @type {string} */
        this.fingerprint = fingerprint;
        Object.freeze(this);
    }
}

/** An X25519 private key that opens envelopes, held as a non-extractable WebCrypto key; make one with `importPrivateKey`. */
export class EnvelopePrivateKey {
    /**
     * @param {CryptoKey} cryptoKey the non-extractable WebCrypto key
     * @param {EnvelopePublicKey} publicKey the matching public key
     */
    constructor(cryptoKey, publicKey) {
        /** The WebCrypto X25519 private key (not extractable). @type {CryptoKey} */
        this.cryptoKey = cryptoKey;
        /** The matching public key, whose fingerprint the page can show. @type {EnvelopePublicKey} */
        this.publicKey = publicKey;
        Object.freeze(this);
    }
}

/**
 * Reads a public key: the `PUBLIC KEY` PEM text (SubjectPublicKeyInfo) that `GET /v1/broker-key` returns in
 * `publicKey` and `troc keygen` writes, or the 32 raw key bytes. A low-order point is refused.
 *
 * @param {string|Uint8Array|ArrayBuffer} input PEM text, or 32 raw bytes
 * @returns {Promise<EnvelopePublicKey>}
 * @throws {KeyFileError} when the input is not an X25519 public key
 */
export async function importPublicKey(input) {
    let raw;
    if (typeof input === "string") {
        raw = rawKeyFromDER(decodePEM(input, "PUBLIC KEY"), SPKI_PREFIX);
    } else {
        raw = bytesOf(input).slice();
        if (raw.length !== KEY_LENGTH) {
            throw new KeyFileError("invalidRawKeyLength", `an X25519 key is 32 bytes, got ${raw.length}`, { count: raw.length });
        }
    }
    const cryptoKey = await importX25519PublicKey(raw);
    const probe = await withX25519(() => subtle().generateKey({ name: "X25519" }, false, ["deriveBits"]));
    if ((await diffieHellman(probe.privateKey, cryptoKey)) === null) {
        throw new KeyFileError(
            "lowOrderPublicKey",
            "the public key is a low-order X25519 point, which would let anyone read what is sealed to it; " +
                "generate a new key pair with `troc keygen`",
        );
    }
    return new EnvelopePublicKey(raw, cryptoKey, await fingerprint(raw));
}

/**
 * Reads a private key file: the PKCS#8 `PRIVATE KEY` PEM text that `troc keygen` (or OpenSSL) writes. The key becomes a
 * non-extractable WebCrypto key; the page keeps no copy of its bytes.
 *
 * @param {string} pemText the file's text, e.g. `await file.text()`
 * @returns {Promise<EnvelopePrivateKey>}
 * @throws {KeyFileError} when the text is not an unencrypted X25519 private key
 */
export async function importPrivateKey(pemText) {
    if (typeof pemText !== "string") {
        throw new TypeError("importPrivateKey reads the text of a PEM key file: pass `await file.text()`");
    }
    const der = decodePEM(pemText, "PRIVATE KEY");
    const raw = rawKeyFromDER(der, PKCS8_PREFIX);
    const cryptoKey = await withX25519(() => subtle().importKey("pkcs8", der, { name: "X25519" }, false, ["deriveBits"]));
    raw.fill(0);
    der.fill(0);
    // WebCrypto cannot export a non-extractable key's public half, so it is computed as X25519(key, base point 9).
    const basePoint = new Uint8Array(KEY_LENGTH);
    basePoint[0] = 9;
    const publicRaw = await deriveX25519(cryptoKey, await importX25519PublicKey(basePoint));
    const publicKey = new EnvelopePublicKey(publicRaw, await importX25519PublicKey(publicRaw), await fingerprint(publicRaw));
    return new EnvelopePrivateKey(cryptoKey, publicKey);
}

/**
 * The fingerprint people compare out of band (docs/envelope.md section 2): the first 16 bytes of SHA-256 over the
 * 44-byte DER SubjectPublicKeyInfo, as 8 colon-separated groups of 4 hex digits.
 *
 * @param {Uint8Array|EnvelopePublicKey} publicKey 32 raw key bytes, or an imported key
 * @returns {Promise<string>}
 */
export async function fingerprint(publicKey) {
    const raw = publicKey instanceof EnvelopePublicKey ? publicKey.raw : bytesOf(publicKey);
    if (raw.length !== KEY_LENGTH) {
        throw new KeyFileError("invalidRawKeyLength", `an X25519 key is 32 bytes, got ${raw.length}`, { count: raw.length });
    }
    const digest = new Uint8Array(await subtle().digest("SHA-256", concat(SPKI_PREFIX, raw)));
    const groups = [];
    for (let index = 0; index < 16; index += 2) {
        groups.push(hex(digest[index]) + hex(digest[index + 1]));
    }
    return groups.join(":");
}

/**
 * The size of the envelope `sealRecords` makes from `plaintextBytes` bytes, for a progress bar or a Content-Length:
 * the 51-byte header, then 21 bytes of overhead per record; an empty file is one empty final record.
 *
 * @param {number} plaintextBytes the file's size
 * @param {number} [chunkSize] plaintext bytes per record
 * @returns {number}
 */
export function envelopeLength(plaintextBytes, chunkSize = DEFAULT_CHUNK_SIZE) {
    const records = Math.max(1, Math.ceil(plaintextBytes / chunkSize));
    return HEADER_LENGTH + records * (RECORD_HEADER_LENGTH + TAG_LENGTH) + plaintextBytes;
}

/**
 * Seals `file` to `recipient` for `purpose` with AES-256-GCM, reading one chunk of the file at a time, and yields the
 * envelope: the header, then one record per chunk, the last one final. Nothing is read ahead of what is consumed.
 *
 * @param {Blob} file the file to seal (a `File` from an `<input type="file">`, or any `Blob`)
 * @param {EnvelopePublicKey} recipient the broker's key, from `importPublicKey`
 * @param {string} purpose what the envelope is for, e.g. the `uploadPurpose` of `GET /v1/broker-key` with the
 *     organisation id filled in: 1 to 255 printable ASCII characters without spaces
 * @param {{chunkSize?: number, onProgress?: function({done: number, total: number}): void}} [options]
 *     `chunkSize` (default 32 KiB); `onProgress` is called after each record with the plaintext bytes sealed so far
 * @returns {AsyncGenerator<Uint8Array>}
 * @throws {EnvelopeError} `invalidPurpose`, `chunkSizeOutOfBounds`, `invalidKey`, `sealingFailed`, `sourceChanged`
 */
export async function* sealRecords(file, recipient, purpose, options = {}) {
    const purposeBytes = checkedPurpose(purpose);
    if (!(recipient instanceof EnvelopePublicKey)) {
        throw new TypeError("the recipient must be an EnvelopePublicKey: pass the result of importPublicKey");
    }
    const chunkSize = options.chunkSize === undefined ? DEFAULT_CHUNK_SIZE : options.chunkSize;
    checkChunkSize(chunkSize);
    const fixedHeader = makeFixedHeader(AEAD_AES_256_GCM, chunkSize);
    const { enc, context } = await setUpSender(recipient, makeInfo(fixedHeader, purposeBytes));
    yield concat(fixedHeader, enc);
    const total = file.size;
    let done = 0;
    let isFinal = false;
    while (!isFinal) {
        const length = Math.min(chunkSize, total - done);
        isFinal = done + length === total;
        const chunk = new Uint8Array(await file.slice(done, done + length).arrayBuffer());
        if (chunk.length !== length) {
            throw new EnvelopeError(
                "sourceChanged",
                `the file changed while it was being encrypted: ${chunk.length} bytes were read at offset ${done} instead of ${length}; ` +
                    "choose the file again",
                { offset: done },
            );
        }
        const clearHeader = makeRecordHeader(isFinal, length);
        const sealed = await context.seal(clearHeader, chunk);
        done += length;
        if (options.onProgress) {
            options.onProgress({ done, total });
        }
        yield concat(clearHeader, sealed);
    }
}

/**
 * `sealRecords` as a `ReadableStream`, to pass as a `fetch` body with `duplex: "half"` where the connection is
 * HTTP/2 or HTTP/3 (Chromium refuses a stream body over HTTP/1.1: use `sealToBlob` there). The promise settles once
 * the key and purpose are checked and the header is sealed, so those errors reach the caller rather than `fetch`.
 *
 * @param {Blob} file see `sealRecords`
 * @param {EnvelopePublicKey} recipient see `sealRecords`
 * @param {string} purpose see `sealRecords`
 * @param {{chunkSize?: number, onProgress?: function({done: number, total: number}): void}} [options] see `sealRecords`
 * @returns {Promise<ReadableStream<Uint8Array>>}
 */
export async function sealStream(file, recipient, purpose, options = {}) {
    const records = sealRecords(file, recipient, purpose, options);
    const header = await records.next();
    let headerSent = false;
    return new ReadableStream({
        async pull(controller) {
            if (!headerSent) {
                headerSent = true;
                controller.enqueue(header.value);
                return;
            }
            const { value, done } = await records.next();
            if (done) {
                controller.close();
            } else {
                controller.enqueue(value);
            }
        },
        async cancel() {
            await records.return();
        },
    });
}

/**
 * Seals `file` into a `Blob` built chunk by chunk, for an upload over HTTP/1.1 (`XMLHttpRequest.send(blob)`, whose
 * `upload.onprogress` shows the transfer, or `fetch` with the blob as body). Parts are handed to the browser's blob
 * store every few MiB, so the page's own memory stays small; Chromium keeps large blobs outside the page and on disk.
 *
 * @param {Blob} file see `sealRecords`
 * @param {EnvelopePublicKey} recipient see `sealRecords`
 * @param {string} purpose see `sealRecords`
 * @param {{chunkSize?: number, onProgress?: function({done: number, total: number}): void}} [options] see `sealRecords`
 * @returns {Promise<Blob>} the envelope, of type `application/octet-stream` and size `envelopeLength(file.size, chunkSize)`
 */
export async function sealToBlob(file, recipient, purpose, options = {}) {
    return collectBlob(sealRecords(file, recipient, purpose, options), "application/octet-stream");
}

/**
 * Opens an envelope sealed to `privateKey` for `purpose`, reading it as it arrives, and yields each chunk's plaintext
 * once the chunk authenticates; nothing of a record is released before. Chunks before the final record are yielded
 * before the end marker is seen: treat them as provisional until the generator completes, which it does only after
 * the final record authenticated and the input ended there. The last chunk is yielded only then. On any fault the
 * generator throws an `EnvelopeError` and stops reading (a `ReadableStream` source is cancelled).
 *
 * @param {Uint8Array|ArrayBuffer|Blob|ReadableStream<Uint8Array>|AsyncIterable<Uint8Array>} source the envelope,
 *     e.g. `(await fetch(url)).body`
 * @param {EnvelopePrivateKey} privateKey the firm's key, from `importPrivateKey`
 * @param {string} purpose the purpose the envelope was sealed for, e.g. `delivery:<deal id>:<organisation id>`
 * @param {{totalBytes?: number, onProgress?: function({done: number, total: ?number}): void}} [options]
 *     `onProgress` is called after each record with the envelope bytes read so far; `total` is the size of a
 *     `Uint8Array`, `ArrayBuffer` or `Blob` source, else `totalBytes` (e.g. the response's Content-Length), else null
 * @returns {AsyncGenerator<Uint8Array>}
 * @throws {EnvelopeError} any case of docs/envelope.md 1.5; a ChaCha20-Poly1305 envelope is `unsupportedSuite`
 */
export async function* openStream(source, privateKey, purpose, options = {}) {
    const purposeBytes = checkedPurpose(purpose);
    if (!(privateKey instanceof EnvelopePrivateKey)) {
        throw new TypeError("the private key must be an EnvelopePrivateKey: pass the result of importPrivateKey");
    }
    const total = sourceLength(source, options.totalBytes);
    const pieces = piecesOf(source);
    const input = new ByteInput(pieces);
    try {
        const header = await readHeader(input);
        const chunkSize = readUint32(header, 15);
        const context = await setUpRecipient(header, privateKey, purposeBytes);
        for (let index = 0; ; index += 1) {
            const recordOffset = input.offset;
            const clearHeader = await input.read(RECORD_HEADER_LENGTH);
            if (clearHeader.length < RECORD_HEADER_LENGTH) {
                throw truncated(index, input.offset);
            }
            const { isFinal, length } = parseRecordHeader(clearHeader, chunkSize, index, recordOffset);
            const body = await input.read(length + TAG_LENGTH);
            if (body.length < length + TAG_LENGTH) {
                throw truncated(index, input.offset);
            }
            const plaintext = await context.open(clearHeader, body, index, recordOffset);
            if (isFinal) {
                const end = input.offset;
                if ((await input.readSome(1)) !== null) {
                    throw new EnvelopeError(
                        "trailingData",
                        `unexpected data at byte offset ${end}, after the envelope's final record; send the envelope alone`,
                        { offset: end },
                    );
                }
            }
            if (options.onProgress) {
                options.onProgress({ done: input.offset, total });
            }
            if (plaintext.length > 0) {
                yield plaintext;
            }
            if (isFinal) {
                return;
            }
        }
    } finally {
        await pieces.return();
    }
}

/**
 * Opens an envelope into a `Blob` that exists only once the whole envelope authenticated, so no provisional plaintext
 * can reach the user: the way to offer a delivery for download (`URL.createObjectURL`).
 *
 * @param {Uint8Array|ArrayBuffer|Blob|ReadableStream<Uint8Array>|AsyncIterable<Uint8Array>} source see `openStream`
 * @param {EnvelopePrivateKey} privateKey see `openStream`
 * @param {string} purpose see `openStream`
 * @param {{type?: string, totalBytes?: number, onProgress?: function({done: number, total: ?number}): void}} [options]
 *     `type` is the blob's media type (default `application/octet-stream`); the rest as in `openStream`
 * @returns {Promise<Blob>}
 */
export async function openToBlob(source, privateKey, purpose, options = {}) {
    return collectBlob(openStream(source, privateKey, purpose, options), options.type || "application/octet-stream");
}

// MARK: HPKE (RFC 9180) on WebCrypto

/** `suite_id` of the KEM: "KEM" || I2OSP(kem_id, 2). */
const KEM_SUITE_ID = concat(ascii("KEM"), uint16(KEM_ID));
/** `suite_id` of the whole suite with AES-256-GCM: "HPKE" || kem_id || kdf_id || aead_id. */
const HPKE_SUITE_ID = concat(ascii("HPKE"), uint16(KEM_ID), uint16(KDF_ID), uint16(AEAD_AES_256_GCM));
const HPKE_VERSION_LABEL = ascii("HPKE-v1");

/** The page's WebCrypto, or an error saying why there is none. */
function subtle() {
    const crypto = globalThis.crypto;
    if (!crypto || !crypto.subtle) {
        throw new EnvelopeError(
            "webCryptoUnavailable",
            "this page has no WebCrypto (crypto.subtle): browsers offer it only to pages served over HTTPS or from localhost; " +
                "open the console at its https:// address",
        );
    }
    return crypto.subtle;
}

/** Runs an X25519 operation, turning a browser's lack of X25519 into an error that says so. */
async function withX25519(operation) {
    try {
        return await operation();
    } catch (error) {
        if (error && error.name === "NotSupportedError") {
            throw new EnvelopeError(
                "webCryptoUnavailable",
                "this browser's WebCrypto has no X25519, which the envelope needs: use a current Chromium, Firefox or Safari, " +
                    "or the `troc` command-line client",
            );
        }
        throw error;
    }
}

/** Imports 32 raw bytes as a WebCrypto X25519 public key. */
function importX25519PublicKey(raw) {
    return withX25519(() => subtle().importKey("raw", raw, { name: "X25519" }, true, []));
}

/** X25519(privateKey, publicKey): the 32-byte shared secret. */
async function deriveX25519(privateKey, publicKey) {
    return new Uint8Array(await withX25519(() => subtle().deriveBits({ name: "X25519", public: publicKey }, privateKey, 256)));
}

/**
 * `DH(sk, pk)`, or null when the output is all zero, i.e. `pk` is a low-order point (RFC 9180 7.1.4). WebCrypto
 * implementations following the Secure Curves draft refuse that output with an `OperationError`; others return it.
 */
async function diffieHellman(privateKey, publicKey) {
    let secret;
    try {
        secret = await deriveX25519(privateKey, publicKey);
    } catch (error) {
        if (error && error.name === "OperationError") {
            return null;
        }
        throw error;
    }
    return secret.every((byte) => byte === 0) ? null : secret;
}

/** HMAC-SHA256(key, data). */
async function hmac(key, data) {
    const hmacKey = await subtle().importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return new Uint8Array(await subtle().sign("HMAC", hmacKey, data));
}

/** HKDF-Extract (RFC 5869 2.2). */
function extract(salt, inputKeyMaterial) {
    // An empty salt means HashLen zero bytes (RFC 5869 2.2), which HMAC pads to the same key; WebCrypto refuses
    // zero-length HMAC keys, so the zeros are spelled out.
    return hmac(salt.length === 0 ? new Uint8Array(KEY_LENGTH) : salt, inputKeyMaterial);
}

/** HKDF-Expand (RFC 5869 2.3). */
async function expand(pseudorandomKey, info, length) {
    const output = new Uint8Array(length);
    let block = EMPTY;
    for (let counter = 1, filled = 0; filled < length; counter += 1) {
        block = await hmac(pseudorandomKey, concat(block, info, Uint8Array.of(counter)));
        output.set(block.subarray(0, Math.min(block.length, length - filled)), filled);
        filled += block.length;
    }
    return output;
}

/** `LabeledExtract(salt, label, ikm)` of RFC 9180 section 4. */
function labeledExtract(suiteID, salt, label, inputKeyMaterial) {
    return extract(salt, concat(HPKE_VERSION_LABEL, suiteID, ascii(label), inputKeyMaterial));
}

/** `LabeledExpand(prk, label, info, L)` of RFC 9180 section 4. */
function labeledExpand(suiteID, pseudorandomKey, label, info, length) {
    return expand(pseudorandomKey, concat(uint16(length), HPKE_VERSION_LABEL, suiteID, ascii(label), info), length);
}

/** `ExtractAndExpand(dh, kem_context)` of DHKEM (RFC 9180 4.1). */
async function extractAndExpand(dh, kemContext) {
    const eaePRK = await labeledExtract(KEM_SUITE_ID, EMPTY, "eae_prk", dh);
    return labeledExpand(KEM_SUITE_ID, eaePRK, "shared_secret", kemContext, KEY_LENGTH);
}

/** `KeyScheduleS/R` in base mode (RFC 9180 5.1): the AEAD context, without the exporter secret the envelope has no use for. */
async function keySchedule(sharedSecret, info, usage) {
    const pskIDHash = await labeledExtract(HPKE_SUITE_ID, EMPTY, "psk_id_hash", EMPTY);
    const infoHash = await labeledExtract(HPKE_SUITE_ID, EMPTY, "info_hash", info);
    const keyScheduleContext = concat(Uint8Array.of(0), pskIDHash, infoHash);
    const secret = await labeledExtract(HPKE_SUITE_ID, sharedSecret, "secret", EMPTY);
    const key = await labeledExpand(HPKE_SUITE_ID, secret, "key", keyScheduleContext, KEY_LENGTH);
    const baseNonce = await labeledExpand(HPKE_SUITE_ID, secret, "base_nonce", keyScheduleContext, NONCE_LENGTH);
    const aesKey = await subtle().importKey("raw", key, { name: "AES-GCM" }, false, [usage]);
    for (const material of [sharedSecret, secret, key]) {
        material.fill(0);
    }
    return new AEADContext(aesKey, baseNonce);
}

/** `SetupBaseS(pkR, info)`: `Encap` with a fresh ephemeral key, then the key schedule. */
async function setUpSender(recipient, info) {
    const ephemeral = await withX25519(() => subtle().generateKey({ name: "X25519" }, false, ["deriveBits"]));
    const enc = new Uint8Array(await subtle().exportKey("raw", ephemeral.publicKey));
    const dh = await diffieHellman(ephemeral.privateKey, recipient.cryptoKey);
    if (dh === null) {
        throw invalidKey("the recipient public key is a low-order X25519 point");
    }
    const sharedSecret = await extractAndExpand(dh, concat(enc, recipient.raw));
    dh.fill(0);
    return { enc, context: await keySchedule(sharedSecret, info, "encrypt") };
}

/** `SetupBaseR(enc, skR, info)` from a complete header: `Decap`, refusing a low-order `enc`, then the key schedule. */
async function setUpRecipient(header, privateKey, purposeBytes) {
    const enc = header.slice(FIXED_HEADER_LENGTH, HEADER_LENGTH);
    const dh = await diffieHellman(privateKey.cryptoKey, await importX25519PublicKey(enc));
    if (dh === null) {
        // An all-zero shared secret would give a key schedule anyone can compute.
        throw invalidKey("the encapsulated key is a low-order X25519 point");
    }
    const sharedSecret = await extractAndExpand(dh, concat(enc, privateKey.publicKey.raw));
    dh.fill(0);
    return keySchedule(sharedSecret, makeInfo(header.subarray(0, FIXED_HEADER_LENGTH), purposeBytes), "decrypt");
}

/** An HPKE AES-256-GCM context: one key, and a sequence number that gives each record its nonce. */
class AEADContext {
    /**
     * @param {CryptoKey} key the AES-256-GCM key
     * @param {Uint8Array} baseNonce the 12-byte base nonce
     */
    constructor(key, baseNonce) {
        this.key = key;
        this.baseNonce = baseNonce;
        this.sequence = 0;
    }

    /** `ComputeNonce(seq)`: base_nonce XOR I2OSP(seq, 12). */
    nonce() {
        // Sequence numbers stay far below 2^53 (that many records of at least 1 KiB would be 8 EiB), so numbers are exact.
        const nonce = this.baseNonce.slice();
        const high = Math.floor(this.sequence / 0x100000000);
        const low = this.sequence >>> 0;
        for (let byte = 0; byte < 4; byte += 1) {
            nonce[4 + byte] ^= (high >>> (24 - 8 * byte)) & 0xff;
            nonce[8 + byte] ^= (low >>> (24 - 8 * byte)) & 0xff;
        }
        return nonce;
    }

    /** `ContextS.Seal(aad, pt)`: ciphertext then tag. */
    async seal(aad, plaintext) {
        let sealed;
        try {
            sealed = await subtle().encrypt({ name: "AES-GCM", iv: this.nonce(), additionalData: aad, tagLength: 128 }, this.key, plaintext);
        } catch (error) {
            throw new EnvelopeError("sealingFailed", `HPKE failed to seal a chunk: ${error && error.message}`, { reason: String(error && error.message) });
        }
        this.sequence += 1;
        return new Uint8Array(sealed);
    }

    /** `ContextR.Open(aad, ct)` of record `index`, which starts at byte `offset`; a failure names the record. */
    async open(aad, ciphertext, index, offset) {
        let opened;
        try {
            opened = await subtle().decrypt({ name: "AES-GCM", iv: this.nonce(), additionalData: aad, tagLength: 128 }, this.key, ciphertext);
        } catch (error) {
            if (!error || error.name !== "OperationError") {
                throw error;
            }
            if (index === 0) {
                throw new EnvelopeError(
                    "wrongKeyOrPurpose",
                    "the first chunk (record 0) failed to authenticate: the envelope was sealed to another public key or for another purpose, " +
                        "or its header or first chunk was altered or moved; check the recipient key and the purpose",
                );
            }
            throw new EnvelopeError(
                "chunkAuthenticationFailed",
                `chunk ${index} (record at byte offset ${offset}) failed to authenticate: the envelope was altered or its chunks ` +
                    "reordered or replaced; ask the sender to send it again",
                { index, offset },
            );
        }
        this.sequence += 1;
        return new Uint8Array(opened);
    }
}

// MARK: Envelope framing (docs/envelope.md 1.2 to 1.5)

/** Magic, version, suite ids and chunk size: the header without `enc`. */
function makeFixedHeader(aeadID, chunkSize) {
    const header = new Uint8Array(FIXED_HEADER_LENGTH);
    header.set(MAGIC);
    header[8] = VERSION;
    header.set(uint16(KEM_ID), 9);
    header.set(uint16(KDF_ID), 11);
    header.set(uint16(aeadID), 13);
    header.set(uint32(chunkSize), 15);
    return header;
}

/** The HPKE `info`: the header without `enc`, then the purpose's length (2 bytes, big-endian) and its bytes. */
function makeInfo(fixedHeader, purposeBytes) {
    return concat(fixedHeader, uint16(purposeBytes.length), purposeBytes);
}

/** A record's 5 clear bytes, which are also its AAD: the final flag and the plaintext length. */
function makeRecordHeader(isFinal, length) {
    return concat(Uint8Array.of(isFinal ? FLAG_FINAL : FLAG_MORE), uint32(length));
}

/** The purpose's bytes, once checked: 1 to 255 bytes, each in 0x21...0x7E. */
function checkedPurpose(purpose) {
    if (typeof purpose !== "string") {
        throw invalidPurpose("the purpose is not text");
    }
    const bytes = new TextEncoder().encode(purpose);
    if (bytes.length === 0) {
        throw invalidPurpose("the purpose is empty");
    }
    if (bytes.length > PURPOSE_MAXIMUM_LENGTH) {
        throw invalidPurpose(`the purpose is ${bytes.length} bytes long, more than ${PURPOSE_MAXIMUM_LENGTH}`);
    }
    const index = bytes.findIndex((byte) => byte < 0x21 || byte > 0x7e);
    if (index >= 0) {
        throw invalidPurpose(`byte ${index} of the purpose is 0x${bytes[index].toString(16)}: only printable ASCII without spaces is allowed`);
    }
    return bytes;
}

/** Refuses a chunk size outside 1 KiB...16 MiB. */
function checkChunkSize(chunkSize) {
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
        throw new EnvelopeError(
            "chunkSizeOutOfBounds",
            `chunk size ${chunkSize} is out of bounds: it must be between ${MIN_CHUNK_SIZE} and ${MAX_CHUNK_SIZE} bytes`,
            { chunkSize },
        );
    }
}

/** Reads the 51-byte header, checking each field as soon as its bytes arrive, so a non-envelope is refused early. */
async function readHeader(input) {
    const header = new Uint8Array(HEADER_LENGTH);
    let filled = 0;
    while (filled < HEADER_LENGTH) {
        const piece = await input.readSome(HEADER_LENGTH - filled);
        if (piece === null) {
            throw filled < MAGIC.length ? notAnEnvelope() : truncated(0, filled);
        }
        header.set(piece, filled);
        filled += piece.length;
        checkHeaderPrefix(header.subarray(0, filled));
    }
    return header;
}

/** Checks the header fields whose bytes have arrived. */
function checkHeaderPrefix(prefix) {
    for (let index = 0; index < Math.min(prefix.length, MAGIC.length); index += 1) {
        if (prefix[index] !== MAGIC[index]) {
            throw notAnEnvelope();
        }
    }
    if (prefix.length > 8 && prefix[8] !== VERSION) {
        throw new EnvelopeError(
            "unsupportedVersion",
            `unsupported envelope version ${prefix[8]}: this build reads version ${VERSION}; upgrade the reader or re-encrypt with a matching sender`,
            { version: prefix[8] },
        );
    }
    if (prefix.length >= 15) {
        const kem = readUint16(prefix, 9);
        const kdf = readUint16(prefix, 11);
        const aead = readUint16(prefix, 13);
        if (kem !== KEM_ID || kdf !== KDF_ID || (aead !== AEAD_AES_256_GCM && aead !== AEAD_CHACHA20_POLY1305)) {
            throw new EnvelopeError(
                "unsupportedSuite",
                `unsupported HPKE suite KEM 0x${hex16(kem)}, KDF 0x${hex16(kdf)}, AEAD 0x${hex16(aead)}: envelopes use KEM 0x0020 (DHKEM X25519), ` +
                    "KDF 0x0001 (HKDF-SHA256) and AEAD 0x0002 (AES-256-GCM) or 0x0003 (ChaCha20-Poly1305)",
                { kem, kdf, aead },
            );
        }
        if (aead === AEAD_CHACHA20_POLY1305) {
            throw new EnvelopeError(
                "unsupportedSuite",
                "this envelope is sealed with ChaCha20-Poly1305 (AEAD 0x0003), which the format allows but browsers' WebCrypto " +
                    "does not provide; open it with the `troc` command-line client, or ask the sender for AES-256-GCM (AEAD 0x0002)",
                { kem, kdf, aead },
            );
        }
    }
    if (prefix.length >= FIXED_HEADER_LENGTH) {
        checkChunkSize(readUint32(prefix, 15));
    }
}

/** Parses and checks a record's clear header against the chunk size. */
function parseRecordHeader(clearHeader, chunkSize, index, offset) {
    const flag = clearHeader[0];
    const length = readUint32(clearHeader, 1);
    let reason = null;
    if (flag === FLAG_MORE && length !== chunkSize) {
        // Fixed-size non-final records are what make a cut at a record boundary visible: only a final record may be short.
        reason = `it is not the final record yet declares ${length} plaintext bytes; only the final record may carry fewer than ${chunkSize}`;
    } else if (flag === FLAG_FINAL && length > chunkSize) {
        reason = `it declares ${length} plaintext bytes, more than the chunk size ${chunkSize}`;
    } else if (flag !== FLAG_MORE && flag !== FLAG_FINAL) {
        reason = `its flag byte is 0x${flag.toString(16)}, expected 0x00 (more records follow) or 0x01 (final record)`;
    }
    if (reason !== null) {
        throw new EnvelopeError(
            "malformedRecord",
            `malformed record ${index} at byte offset ${offset}: ${reason}; the envelope was altered or written by a faulty sender`,
            { index, offset, reason },
        );
    }
    return { isFinal: flag === FLAG_FINAL, length };
}

/** The `notAnEnvelope` error. */
function notAnEnvelope() {
    return new EnvelopeError(
        "notAnEnvelope",
        'not a Troc envelope: it does not start with the magic bytes "TROCHPKE"; encrypt the file with `troc upload` or the documented envelope format',
    );
}

/** The `truncated` error: the input ended at `offset`, after `completeChunks` records, without the final record. */
function truncated(completeChunks, offset) {
    return new EnvelopeError(
        "truncated",
        `the envelope is truncated: it ends at byte offset ${offset} after ${completeChunks} authenticated chunk(s) without the final record; ` +
            "the transfer was cut short, send it again",
        { completeChunks, offset },
    );
}

/** The `invalidKey` error. */
function invalidKey(reason) {
    return new EnvelopeError(
        "invalidKey",
        `HPKE rejected the key: ${reason}; check that the key is an X25519 key and the envelope header is intact`,
        { reason },
    );
}

/** The `invalidPurpose` error. */
function invalidPurpose(reason) {
    return new EnvelopeError("invalidPurpose", `invalid envelope purpose: ${reason}`, { reason });
}

// MARK: Input and output

/** Reads exact byte counts from a sequence of pieces of any size, counting the bytes consumed. */
class ByteInput {
    /** @param {AsyncIterator<Uint8Array>} pieces the input */
    constructor(pieces) {
        this.pieces = pieces;
        this.piece = EMPTY;
        this.position = 0;
        /** Bytes consumed so far. */
        this.offset = 0;
    }

    /** Between 1 and `count` bytes, or null at the end of the input. */
    async readSome(count) {
        while (this.position === this.piece.length) {
            const { value, done } = await this.pieces.next();
            if (done) {
                return null;
            }
            this.piece = bytesOf(value);
            this.position = 0;
        }
        const end = Math.min(this.piece.length, this.position + count);
        const bytes = this.piece.subarray(this.position, end);
        this.position = end;
        this.offset += bytes.length;
        return bytes;
    }

    /** Exactly `count` bytes, or fewer only when the input ends first. */
    async read(count) {
        const first = await this.readSome(count);
        if (first === null || first.length === count) {
            return first || EMPTY;
        }
        const bytes = new Uint8Array(count);
        bytes.set(first);
        let filled = first.length;
        while (filled < count) {
            const more = await this.readSome(count - filled);
            if (more === null) {
                return bytes.subarray(0, filled);
            }
            bytes.set(more, filled);
            filled += more.length;
        }
        return bytes;
    }
}

/** The pieces of an envelope source, as an async iterator whose `return()` stops reading it. */
function piecesOf(source) {
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
        return (async function* () {
            yield bytesOf(source);
        })();
    }
    if (source && typeof source.getReader === "function") {
        return streamPieces(source);
    }
    if (source && typeof source.size === "number" && typeof source.slice === "function") {
        return blobPieces(source);
    }
    if (source && (typeof source[Symbol.asyncIterator] === "function" || typeof source[Symbol.iterator] === "function")) {
        return (async function* () {
            yield* source;
        })();
    }
    throw new TypeError("an envelope source is a Uint8Array, an ArrayBuffer, a Blob, a ReadableStream or an iterable of Uint8Array");
}

/** The chunks of a `ReadableStream`; stopping early cancels the stream, e.g. the download it comes from. */
async function* streamPieces(stream) {
    const reader = stream.getReader();
    let readable = true;
    try {
        for (;;) {
            let result;
            try {
                result = await reader.read();
            } catch (error) {
                readable = false;
                throw error;
            }
            if (result.done) {
                readable = false;
                return;
            }
            yield result.value;
        }
    } finally {
        if (readable) {
            await reader.cancel();
        }
        reader.releaseLock();
    }
}

/** A `Blob` read in slices. */
async function* blobPieces(blob) {
    for (let start = 0; start < blob.size; start += SOURCE_SLICE_LENGTH) {
        yield new Uint8Array(await blob.slice(start, Math.min(blob.size, start + SOURCE_SLICE_LENGTH)).arrayBuffer());
    }
}

/** The byte length of a source whose size is known, else `totalBytes`, else null. */
function sourceLength(source, totalBytes) {
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
        return source.byteLength;
    }
    if (source && typeof source.size === "number" && typeof source.slice === "function") {
        return source.size;
    }
    return typeof totalBytes === "number" ? totalBytes : null;
}

/** Gathers an iterator's bytes into a `Blob`, handing them to the browser's blob store a few MiB at a time. */
async function collectBlob(parts, type) {
    let blob = new Blob([], { type });
    let batch = [];
    let batched = 0;
    for await (const part of parts) {
        batch.push(part);
        batched += part.length;
        if (batched >= BLOB_BATCH_LENGTH) {
            blob = new Blob([blob, ...batch], { type });
            batch = [];
            batched = 0;
        }
    }
    return new Blob([blob, ...batch], { type });
}

// MARK: Key files (docs/envelope.md section 2)

/** The DER bytes of the first PEM block in `text`, which must carry `label`; the same rules as TrocCrypto's `PEM`. */
function decodePEM(text, label) {
    const lines = text
        .split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)
        .filter((line) => line.length > 0)
        .map((line) => line.replace(/^[\t\p{Zs}]+|[\t\p{Zs}]+$/gu, ""));
    const begin = lines.findIndex((line) => line.startsWith("-----BEGIN ") && line.endsWith("-----"));
    if (begin < 0) {
        throw noPEMBlock(label);
    }
    const found = lines[begin].slice("-----BEGIN ".length, lines[begin].length - "-----".length);
    if (found !== label) {
        if (found === "ENCRYPTED PRIVATE KEY") {
            throw new KeyFileError(
                "encryptedPrivateKey",
                "the private key is password-protected (ENCRYPTED PRIVATE KEY); export it unencrypted as PKCS#8 and protect the file " +
                    "with permissions (0600)",
            );
        }
        throw new KeyFileError(
            "wrongPEMLabel",
            `the PEM block is labelled "${found}", expected "${label}"; ` +
                (label === "PUBLIC KEY" ? "pass the public key file, not the private one" : "pass the private key file, not the public one"),
            { found, expected: label },
        );
    }
    const end = lines.indexOf(`-----END ${label}-----`, begin);
    if (end < 0) {
        throw noPEMBlock(label);
    }
    const body = lines.slice(begin + 1, end).join("");
    if (body.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
        throw new KeyFileError("invalidBase64", "the PEM body is not valid base64: the file is damaged or was edited");
    }
    return Uint8Array.from(atob(body), (character) => character.charCodeAt(0));
}

/** The `noPEMBlock` error. */
function noPEMBlock(label) {
    return new KeyFileError("noPEMBlock", `no PEM block found: expected a "-----BEGIN ${label}-----" line; is this the right file?`, {
        expectedLabel: label,
    });
}

/** The 32 raw key bytes after `prefix` in `der`, or an error naming what the DER holds instead. */
function rawKeyFromDER(der, prefix) {
    if (der.length === prefix.length + KEY_LENGTH && prefix.every((byte, index) => der[index] === byte)) {
        return der.slice(prefix.length);
    }
    const foreign = FOREIGN_ALGORITHMS.find(([oid]) => indexOf(der, oid) >= 0);
    if (foreign) {
        throw new KeyFileError(
            "notX25519",
            `the key is ${foreign[1]}, not X25519 (OID 1.3.101.110); create an X25519 key pair with \`troc keygen\` ` +
                "or `openssl genpkey -algorithm X25519`",
            { algorithm: foreign[1] },
        );
    }
    throw new KeyFileError(
        "malformedDER",
        `the key's DER (${der.length} bytes) is not an RFC 8410 X25519 key: expected a 44-byte SubjectPublicKeyInfo ` +
            "or a 48-byte PKCS#8 PrivateKeyInfo",
        { byteCount: der.length },
    );
}

// MARK: Bytes

/** The bytes of ASCII text. */
function ascii(text) {
    return new TextEncoder().encode(text);
}

/** A `Uint8Array` view of an `ArrayBuffer` or any typed array. */
function bytesOf(value) {
    if (value instanceof Uint8Array) {
        return value;
    }
    if (value instanceof ArrayBuffer) {
        return new Uint8Array(value);
    }
    if (ArrayBuffer.isView(value)) {
        return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    }
    throw new TypeError("expected bytes: a Uint8Array, another typed array or an ArrayBuffer");
}

/** The concatenation of byte arrays. */
function concat(...parts) {
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
    }
    return bytes;
}

/** I2OSP(value, 2). */
function uint16(value) {
    return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

/** I2OSP(value, 4). */
function uint32(value) {
    return Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** The big-endian 16-bit integer at `offset`. */
function readUint16(bytes, offset) {
    return (bytes[offset] << 8) | bytes[offset + 1];
}

/** The big-endian 32-bit integer at `offset`. */
function readUint32(bytes, offset) {
    return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** Two lowercase hex digits. */
function hex(byte) {
    return byte.toString(16).padStart(2, "0");
}

/** Four lowercase hex digits. */
function hex16(value) {
    return value.toString(16).padStart(4, "0");
}

/** The first index of `needle` in `haystack`, or -1. */
function indexOf(haystack, needle) {
    for (let start = 0; start + needle.length <= haystack.length; start += 1) {
        if (needle.every((byte, index) => haystack[start + index] === byte)) {
            return start;
        }
    }
    return -1;
}
