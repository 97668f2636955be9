#!/usr/bin/env python3
"""Independent implementation of the Troc transfer envelope (docs/envelope.md) on pyhpke, an RFC 9180 library.

It shares no code with the Swift implementation: the interoperability tests run it against TrocCrypto in both
directions. Requires `pip install pyhpke` (which brings `cryptography`).

    hpke_envelope.py encrypt PUBLIC_KEY_FILE IN OUT --purpose P [--chunk-size N] [--aead aes-256-gcm|chacha20-poly1305]
    hpke_envelope.py decrypt PRIVATE_KEY_FILE IN OUT --purpose P

Exit status: 0 on success, 1 when the envelope is refused (the message says why; OUT is removed), 2 on bad usage.
"""

import argparse
import os
import struct
import sys

try:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
    from pyhpke import AEADId, CipherSuite, KDFId, KEMId, KEMKey
except ImportError as error:
    sys.exit(f"hpke_envelope.py needs pyhpke: run `pip install pyhpke` ({error})")

MAGIC = b"TROCHPKE"
VERSION = 1
KEM_ID = 0x0020
KDF_ID = 0x0001
AEADS = {"aes-256-gcm": (0x0002, AEADId.AES256_GCM), "chacha20-poly1305": (0x0003, AEADId.CHACHA20_POLY1305)}
FIXED_HEADER_LEN = 19
ENC_LEN = 32
MIN_CHUNK, MAX_CHUNK, DEFAULT_CHUNK = 1024, 16 * 1024 * 1024, 32 * 1024
TAG_LEN = 16
FLAG_MORE, FLAG_FINAL = 0x00, 0x01


class Refused(Exception):
    """The key or the envelope cannot be used; the message says why."""


def fixed_header(aead_id: int, chunk_size: int) -> bytes:
    """Magic, version, KEM/KDF/AEAD ids and chunk size: the header without enc."""
    return MAGIC + struct.pack(">BHHHI", VERSION, KEM_ID, KDF_ID, aead_id, chunk_size)


def info(aead_id: int, chunk_size: int, purpose: str) -> bytes:
    """HPKE info: the header without enc, the purpose length (u16 big-endian) and the ASCII purpose."""
    purpose_bytes = purpose.encode("ascii")
    return fixed_header(aead_id, chunk_size) + struct.pack(">H", len(purpose_bytes)) + purpose_bytes


def check_purpose(purpose: str) -> None:
    """Refuses a purpose outside 1 to 255 bytes of 0x21..0x7E, as section 1.3 requires."""
    raw = purpose.encode("utf-8")
    if not 1 <= len(raw) <= 255 or any(not 0x21 <= b <= 0x7E for b in raw):
        raise SystemExit("--purpose must be 1 to 255 printable ASCII characters without spaces")


def suite(aead: AEADId) -> CipherSuite:
    """DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and the given AEAD."""
    return CipherSuite.new(KEMId.DHKEM_X25519_HKDF_SHA256, KDFId.HKDF_SHA256, aead)


def record_header(final: bool, length: int) -> bytes:
    """The 5 clear bytes before each record, also its AAD."""
    return struct.pack(">BI", FLAG_FINAL if final else FLAG_MORE, length)


def read_exactly(stream, count: int) -> bytes:
    """Reads count bytes, or fewer only at end of input."""
    parts, missing = [], count
    while missing:
        part = stream.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def encrypt(public_key_file: str, source, sink, purpose: str, chunk_size: int, aead_name: str) -> None:
    """Writes the header, a record per full chunk, then the final record (empty if the input fills its chunks)."""
    with open(public_key_file, "rb") as handle:
        public_key = load_pem_public_key(handle.read())
    if not isinstance(public_key, X25519PublicKey):
        raise Refused(f"{public_key_file} is not an X25519 public key")
    aead_id, aead = AEADS[aead_name]
    enc, context = suite(aead).create_sender_context(
        KEMKey.from_pyca_cryptography_key(public_key), info=info(aead_id, chunk_size, purpose)
    )
    sink.write(fixed_header(aead_id, chunk_size) + enc)
    while True:
        chunk = read_exactly(source, chunk_size)
        final = len(chunk) < chunk_size
        header = record_header(final, len(chunk))
        sink.write(header + context.seal(chunk, aad=header))
        if final:
            return


def decrypt(private_key_file: str, source, sink, purpose: str) -> None:
    """Checks the header, opens record after record, and requires the final record to end the input."""
    with open(private_key_file, "rb") as handle:
        private_key = load_pem_private_key(handle.read(), password=None)
    if not isinstance(private_key, X25519PrivateKey):
        raise Refused(f"{private_key_file} is not an X25519 private key")
    header = read_exactly(source, FIXED_HEADER_LEN + ENC_LEN)
    if header[: len(MAGIC)] != MAGIC:
        raise Refused("not a Troc envelope: it does not start with TROCHPKE")
    if len(header) < FIXED_HEADER_LEN + ENC_LEN:
        raise Refused("truncated inside the header")
    version, kem_id, kdf_id, aead_id, chunk_size = struct.unpack(">BHHHI", header[len(MAGIC) : FIXED_HEADER_LEN])
    if version != VERSION:
        raise Refused(f"unsupported version {version}")
    aead = {identifier: member for identifier, member in AEADS.values()}.get(aead_id)
    if kem_id != KEM_ID or kdf_id != KDF_ID or aead is None:
        raise Refused(f"unsupported suite kem={kem_id:#06x} kdf={kdf_id:#06x} aead={aead_id:#06x}")
    if not MIN_CHUNK <= chunk_size <= MAX_CHUNK:
        raise Refused(f"chunk size {chunk_size} out of bounds")
    try:
        context = suite(aead).create_recipient_context(
            header[FIXED_HEADER_LEN:],
            KEMKey.from_pyca_cryptography_key(private_key),
            info=info(aead_id, chunk_size, purpose),
        )
    except ValueError as error:
        raise Refused("the encapsulated key is refused (a low-order X25519 point)") from error
    offset, index = len(header), 0
    while True:
        clear = read_exactly(source, 5)
        if len(clear) < 5:
            raise Refused(f"truncated: no final record after {index} chunk(s), at byte offset {offset + len(clear)}")
        flag, length = struct.unpack(">BI", clear)
        if flag not in (FLAG_MORE, FLAG_FINAL):
            raise Refused(f"record {index}: unknown flag {flag:#04x}")
        if (flag == FLAG_MORE and length != chunk_size) or length > chunk_size:
            raise Refused(f"record {index}: bad plaintext length {length}")
        body = read_exactly(source, length + TAG_LEN)
        if len(body) < length + TAG_LEN:
            raise Refused(f"truncated inside record {index} at byte offset {offset}")
        try:
            plaintext = context.open(body, aad=clear)
        except Exception as error:
            what = "wrong key or wrong purpose" if index == 0 else "tampered or reordered"
            raise Refused(f"record {index} at byte offset {offset} failed to authenticate ({what})") from error
        sink.write(plaintext)
        offset += 5 + len(body)
        index += 1
        if flag == FLAG_FINAL:
            break
    if source.read(1):
        raise Refused(f"trailing data after the final record at byte offset {offset}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    encrypt_command = commands.add_parser("encrypt", help="seal IN into the envelope OUT")
    encrypt_command.add_argument("key_file", metavar="PUBLIC_KEY_FILE")
    encrypt_command.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK)
    encrypt_command.add_argument("--aead", choices=sorted(AEADS), default="aes-256-gcm")
    decrypt_command = commands.add_parser("decrypt", help="open the envelope IN into OUT")
    decrypt_command.add_argument("key_file", metavar="PRIVATE_KEY_FILE")
    for command in (encrypt_command, decrypt_command):
        command.add_argument("input", metavar="IN")
        command.add_argument("output", metavar="OUT")
        command.add_argument("--purpose", required=True)
    arguments = parser.parse_args()
    check_purpose(arguments.purpose)
    if arguments.command == "encrypt" and not MIN_CHUNK <= arguments.chunk_size <= MAX_CHUNK:
        raise SystemExit(f"--chunk-size must be between {MIN_CHUNK} and {MAX_CHUNK}")
    try:
        with open(arguments.input, "rb") as source, open(arguments.output, "wb") as sink:
            if arguments.command == "encrypt":
                encrypt(arguments.key_file, source, sink, arguments.purpose, arguments.chunk_size, arguments.aead)
            else:
                decrypt(arguments.key_file, source, sink, arguments.purpose)
    except Refused as refusal:
        os.remove(arguments.output)
        print(f"refused: {refusal}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
