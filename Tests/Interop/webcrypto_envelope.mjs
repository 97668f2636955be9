#!/usr/bin/env node
// Runs the browser's envelope code (Sources/TrocServer/Console/Assets/troc-envelope.js) under Node.js 20 or later, whose
// globalThis.crypto.subtle is the same WebCrypto surface browsers expose (X25519, HKDF/HMAC, AES-GCM). Only the glue
// that reads and writes files lives here; the Swift tests drive it against TrocCrypto and pyhpke.
//
//   webcrypto_envelope.mjs encrypt PUBLIC_KEY_FILE IN OUT --purpose P [--chunk-size N] [--via records|stream|blob]
//                          [--short-read-at OFFSET]   (the file then yields one byte less from that offset, as if it changed)
//   webcrypto_envelope.mjs decrypt PRIVATE_KEY_FILE IN OUT --purpose P [--via bytes|blob|stream|to-blob] [--piece N]
//   webcrypto_envelope.mjs public-key PUBLIC_KEY_FILE | public-key-hex HEX | private-key PRIVATE_KEY_FILE
//   Any command takes --without-webcrypto, which removes globalThis.crypto as browsers do on an insecure page.
//
// Prints one JSON object on standard output. Exit status: 0 on success, 1 when the module refuses the input (the
// object carries the error's name, code, message and details; a decryption's OUT is removed), 2 on bad usage.

import { createHash } from "node:crypto";
import { openAsBlob } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";

const assetURL = new URL("../../Sources/TrocServer/Console/Assets/troc-envelope.js", import.meta.url);
// Imported from its text, so Node versions that take a .js file outside a package for CommonJS still read it as a module.
const envelope = await import("data:text/javascript;base64," + (await readFile(assetURL)).toString("base64"));

/** The value after `--name`, or `fallback`. */
function option(args, name, fallback) {
    const index = args.indexOf(`--${name}`);
    return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
}

/** Seals IN to OUT, reporting how the file was read: the largest slice, and how far reading ran ahead of output. */
async function encrypt(keyFile, input, output, args) {
    const recipient = await envelope.importPublicKey(await readFile(keyFile, "utf8"));
    const chunkSize = Number(option(args, "chunk-size", envelope.DEFAULT_CHUNK_SIZE));
    const via = option(args, "via", "records");
    const file = await openAsBlob(input);
    const shortReadAt = Number(option(args, "short-read-at", "-1"));
    const reads = { slices: 0, largestSlice: 0, recordsOut: 0, mostSlicesAhead: 0 };
    const spied = {
        size: file.size,
        slice(start, end) {
            reads.slices += 1;
            reads.largestSlice = Math.max(reads.largestSlice, end - start);
            reads.mostSlicesAhead = Math.max(reads.mostSlicesAhead, reads.slices - reads.recordsOut);
            return file.slice(start, start === shortReadAt ? end - 1 : end);
        },
    };
    let progressCalls = 0;
    let lastProgress = null;
    const options = {
        chunkSize,
        onProgress(progress) {
            progressCalls += 1;
            lastProgress = progress;
        },
    };
    const sink = await open(output, "w");
    let envelopeBytes = 0;
    try {
        if (via === "blob") {
            const blob = await envelope.sealToBlob(spied, recipient, option(args, "purpose"), options);
            envelopeBytes = blob.size;
            await sink.write(new Uint8Array(await blob.arrayBuffer()));
            reads.mostSlicesAhead = null;
        } else {
            const parts =
                via === "stream"
                    ? streamParts(await envelope.sealStream(spied, recipient, option(args, "purpose"), options))
                    : envelope.sealRecords(spied, recipient, option(args, "purpose"), options);
            let first = true;
            for await (const part of parts) {
                if (!first) {
                    reads.recordsOut += 1;
                }
                first = false;
                envelopeBytes += part.length;
                await sink.write(part);
            }
        }
    } finally {
        await sink.close();
    }
    return {
        envelopeBytes,
        expectedLength: envelope.envelopeLength(file.size, chunkSize),
        largestSlice: reads.largestSlice,
        mostSlicesAhead: reads.mostSlicesAhead,
        progressCalls,
        lastProgress,
    };
}

/** The chunks of a ReadableStream, read the way `fetch` reads a request body. */
async function* streamParts(stream) {
    const reader = stream.getReader();
    for (;;) {
        const { value, done } = await reader.read();
        if (done) {
            return;
        }
        yield value;
    }
}

/** A ReadableStream over a file handle, pulled on demand in pieces, like a response body arriving from the network. */
function fileStream(handle, pieceSize, counters) {
    return new ReadableStream(
        {
            async pull(controller) {
                const buffer = new Uint8Array(pieceSize);
                const { bytesRead } = await handle.read(buffer, 0, pieceSize, null);
                if (bytesRead === 0) {
                    controller.close();
                    return;
                }
                counters.pulled += bytesRead;
                controller.enqueue(buffer.subarray(0, bytesRead));
            },
            cancel() {
                counters.cancelled = true;
            },
        },
        { highWaterMark: 0 },
    );
}

/** Opens IN into OUT; reports what was released and, for a stream source, how much had been pulled at the first output. */
async function decrypt(keyFile, input, output, args) {
    const privateKey = await envelope.importPrivateKey(await readFile(keyFile, "utf8"));
    const purpose = option(args, "purpose");
    const via = option(args, "via", "stream");
    const counters = { pulled: 0, cancelled: false, pulledAtFirstOutput: null };
    const hash = createHash("sha256");
    let yieldedBytes = 0;
    const handle = await open(input, "r");
    const sink = await open(output, "w");
    const report = () => ({
        yieldedBytes,
        yieldedSha256: hash.copy().digest("hex"),
        pulledAtFirstOutput: counters.pulledAtFirstOutput,
        sourceCancelled: counters.cancelled,
    });
    try {
        if (via === "to-blob") {
            const blob = await envelope.openToBlob(fileStream(handle, 65536, counters), privateKey, purpose, { type: "text/csv" });
            const bytes = new Uint8Array(await blob.arrayBuffer());
            hash.update(bytes);
            yieldedBytes = bytes.length;
            await sink.write(bytes);
            return Object.assign(report(), { blobType: blob.type });
        }
        const source =
            via === "bytes"
                ? new Uint8Array(await readFile(input))
                : via === "blob"
                  ? await openAsBlob(input)
                  : fileStream(handle, Number(option(args, "piece", "65536")), counters);
        for await (const plaintext of envelope.openStream(source, privateKey, purpose)) {
            if (via === "stream" && counters.pulledAtFirstOutput === null) {
                counters.pulledAtFirstOutput = counters.pulled;
            }
            hash.update(plaintext);
            yieldedBytes += plaintext.length;
            await sink.write(plaintext);
        }
        return report();
    } catch (error) {
        error.report = report();
        throw error;
    } finally {
        await handle.close();
        await sink.close();
    }
}

/** Imports a key and reports its public half and fingerprint. */
async function describeKey(command, argument) {
    const key =
        command === "private-key"
            ? (await envelope.importPrivateKey(await readFile(argument, "utf8"))).publicKey
            : await envelope.importPublicKey(command === "public-key" ? await readFile(argument, "utf8") : Buffer.from(argument, "hex"));
    return { publicKey: Buffer.from(key.raw).toString("hex"), fingerprint: key.fingerprint };
}

const [command, ...args] = process.argv.slice(2);
if (args.includes("--without-webcrypto")) {
    Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
}
try {
    let result;
    if (command === "encrypt" && args.length >= 3 && option(args, "purpose") !== undefined) {
        result = await encrypt(args[0], args[1], args[2], args);
    } else if (command === "decrypt" && args.length >= 3 && option(args, "purpose") !== undefined) {
        result = await decrypt(args[0], args[1], args[2], args);
    } else if (["public-key", "public-key-hex", "private-key"].includes(command) && args.length >= 1) {
        result = await describeKey(command, args[0]);
    } else {
        process.stderr.write("usage: see the comment at the top of webcrypto_envelope.mjs\n");
        process.exit(2);
    }
    process.stdout.write(JSON.stringify(Object.assign({ ok: true }, result)) + "\n");
} catch (error) {
    if (!(error instanceof envelope.EnvelopeError || error instanceof envelope.KeyFileError)) {
        process.stderr.write(`${error && error.stack}\n`);
        process.exit(2);
    }
    if (command === "decrypt") {
        await rm(args[2], { force: true });
    }
    const refusal = { name: error.name, code: error.code, message: error.message, details: error.details };
    process.stdout.write(JSON.stringify(Object.assign({ ok: false, error: refusal }, error.report)) + "\n");
    process.exit(1);
}
