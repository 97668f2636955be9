#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (Fuzz/corpus/<target>/) from Fixtures/, the envelope
test vectors of docs/envelope.md and hand-made edge cases. Deterministic: rerunning it changes nothing.

Each seed starts with the control byte its harness reads first (see the harness's documentation)."""

import base64
import hashlib
import hmac
import json
import pathlib
import re
import shutil

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Fuzz" / "corpus"
CONTACTS = ROOT / "Fixtures" / "contacts"
SEPARATOR = b"\x1e\x1e\x1e\x1e"

# The at-rest blob harness's fixed keys (FuzzBlob/BlobHarness.swift holds the same values).
MASTER_KEY = hashlib.sha256(b"troc fuzz master key").digest()
DATA_KEY = hashlib.sha256(b"troc fuzz data key").digest()
BLOB_ID = "fuzz-blob"


def pattern(length):
    """The plaintext of the documented vectors: p[i] = i mod 251."""
    return bytes(i % 251 for i in range(length))


def write(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def contact_file_seeds():
    fixture = lambda name: (CONTACTS / name).read_bytes()
    # Control byte: bits 0-1 policy, bit 2/3 consumer flags, bits 5-7 read size.
    # Mode byte: bits 0-1 reading (0), matching (1) or delivery (2); bits 2-3 reader limits (input-sized, small, mid).
    renovation = fixture("menuiserie-atlantique.csv") + SEPARATOR + fixture("peinture-erdre.csv")
    for mode in range(3):
        write("contact-file", f"renovation-pair-mode-{mode}", bytes([0x00, mode]) + renovation)
    write("contact-file", "renovation-pair-small-limits", b"\x21\x04" + renovation)
    write("contact-file", "renovation-pair-mid-limits", b"\x01\x08" + renovation)
    write("contact-file", "second-phone-pair", b"\x42\x02" + fixture("ecart-second-telephone-a.csv") + SEPARATOR + fixture("ecart-second-telephone-b.csv"))
    for index, name in enumerate(
        ["bom-seul.csv", "ecart-date-du-dernier-contact.csv", "ecart-refus-en-doublon.csv", "ecart-opposition-siren.csv", "entete-seule.csv",
         "guillemet-non-ferme.csv", "lignes-irregulieres.csv", "octets-nuls.csv", "sans-email-ni-telephone.csv", "utf8-invalide.csv",
         "studio-lumiere-ainay.csv"]):
        write("contact-file", "self-" + name.removesuffix(".csv"), bytes([(index * 37) & 0xEF, (index % 3) | (index % 3) << 2]) + fixture(name))
    header = "Nom;Prénom;E-mail;Téléphone;Raison sociale;SIRET;Code APE;Source;Date de collecte;Opt-in;Type\r\n"
    rows = [
        "Durand;Jeanne;jeanne.durand@orange.fr;06 12 34 56 78;;;;salon;01/10/2026;oui;particulier",
        '"Martin; fils";"Paul\r\nhenri";contact@menuiserie.fr;+33 (0)4 78 00 00 00;Menuiserie SARL;732 829 320 00074;43.32A;site;2026-09-15;;B2B',
        'Léa;"Bé""zier";lea..x@gmail.com;0033612345678;;;;;45200;x;',
        "Nguyen;An;an.nguyen+promo@googlemail.com;0692 12 34 56;;;;web;3/2/26;non;",
    ]
    text = header + "\r\n".join(rows) + "\r\n"
    write("contact-file", "french-headers-utf16le", b"\x60\x00" + b"\xff\xfe" + text.encode("utf-16-le"))
    write("contact-file", "french-headers-utf16be", b"\x81\x01" + b"\xfe\xff" + text.encode("utf-16-be"))
    write("contact-file", "french-headers-cp1252-cr", b"\x02\x06" + text.replace("\r\n", "\r").encode("cp1252"))
    write("contact-file", "french-headers-tabs", b"\xa0\x00" + text.replace(";", "\t").encode())
    write("contact-file", "french-headers-pipes-pair", b"\xc2\x02" + text.replace(";", "|").encode() + SEPARATOR + text.encode())


def envelope_vectors():
    """The three envelopes of docs/envelope.md section 7, in order."""
    doc = (ROOT / "docs" / "envelope.md").read_text()
    vectors = re.findall(r"envelope:\n((?:[0-9a-f]+\n)+)", doc)
    assert len(vectors) == 3, "docs/envelope.md should hold three envelope vectors"
    return [bytes.fromhex("".join(vector.split())) for vector in vectors]


def envelope_seeds():
    # Control byte: bit 0 clear = open as is, bits 1-2 the vector's purpose, bits 5-7 slice sizes.
    for index, envelope in enumerate(envelope_vectors()):
        write("envelope", f"vector-{index + 1}", bytes([0xE0 | index << 1]) + envelope)
        write("envelope", f"vector-{index + 1}-bytewise", bytes([index << 1]) + envelope)
    write("envelope", "vector-1-truncated", b"\xa0" + envelope_vectors()[0][:1100])
    # Bit 0 set: chunk-size byte, damage offset (2 bytes), damage mask, plaintext to seal.
    write("envelope", "seal-undamaged", b"\x21\x00\x00\x00\x00" + pattern(2600))
    write("envelope", "seal-damaged-record-1", b"\x43\x00\x04\x30\x01" + pattern(3000))
    write("envelope", "seal-empty", b"\x01\x00\x00\x00\x00")


def blob_record(key, header, index, plaintext, final):
    record_header = bytes([1 if final else 0]) + len(plaintext).to_bytes(4, "big")
    nonce = bytes(4) + index.to_bytes(8, "big")
    return record_header + AESGCM(key).encrypt(nonce, plaintext, header + record_header)


def blob(key, plaintext, chunk_size):
    header = b"TROCBLOB\x01" + chunk_size.to_bytes(4, "big")
    chunks = [plaintext[start:start + chunk_size] for start in range(0, len(plaintext), chunk_size)] or [b""]
    if len(chunks[-1]) == chunk_size:
        chunks.append(b"")
    records = [blob_record(key, header, index, chunk, index == len(chunks) - 1) for index, chunk in enumerate(chunks)]
    return header + b"".join(records)


def wrapped_data_key():
    """The data key wrapped by the master key for BLOB_ID, in WrappedKey's 69-byte form."""
    key_id = hmac.new(MASTER_KEY, b"troc/master-key-id/v1", hashlib.sha256).digest()[:8]
    nonce = hashlib.sha256(b"troc fuzz wrap nonce").digest()[:12]
    sealed = AESGCM(MASTER_KEY).encrypt(nonce, DATA_KEY, b"troc/wrap/data-key/v1\x00" + BLOB_ID.encode())
    return b"\x01" + key_id + nonce + sealed


def blob_seeds():
    # Control byte: bit 0 clear = open as is with the fixed data key, bits 5-7 slice sizes.
    write("blob", "three-records", b"\x00" + blob(DATA_KEY, pattern(2600), 1024))
    write("blob", "exact-chunks-bytewise", b"\x00" + blob(DATA_KEY, pattern(2048), 1024))
    write("blob", "empty", b"\x40" + blob(DATA_KEY, b"", 1024))
    # Bit 0 set: chunk-size byte, damage offset (2 bytes), damage mask, plaintext to seal.
    write("blob", "seal-undamaged", b"\x21\x00\x00\x00\x00" + pattern(2600))
    write("blob", "seal-damaged-header", b"\x41\x00\x00\x0a\x80" + pattern(100))


def key_file_seeds():
    doc = (ROOT / "docs" / "envelope.md").read_text()
    pems = re.findall(r"-----BEGIN [A-Z ]+-----\n[A-Za-z0-9+/=\n]+?-----END [A-Z ]+-----\n", doc)
    for index, pem in enumerate(pems[:2]):
        write("key-file", ["private-key.pem", "public-key.pem"][index], pem.encode())
    write("key-file", "ed25519-public-key.pem",
          b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n")
    write("key-file", "encrypted-private-key.pem", b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGb\n-----END ENCRYPTED PRIVATE KEY-----\n")
    write("key-file", "match-key-hex", hashlib.sha256(b"match key").hexdigest().encode() + b"\n")
    write("key-file", "match-key-base64", base64.b64encode(hashlib.sha256(b"match key").digest()) + b"\n")
    write("key-file", "master-key", base64.b64encode(MASTER_KEY) + b"\n")
    write("key-file", "wrapped-key", wrapped_data_key())
    write("key-file", "master-key-id", hmac.new(MASTER_KEY, b"troc/master-key-id/v1", hashlib.sha256).hexdigest()[:16].encode())


def normaliser_seeds():
    values = [
        "Jean.Dupont+promo@GoogleMail.com", "mailto: contact@menuiserie-atlantique.fr ", "lea@xn--caf-dma.fr", "\u00a0a@b.co\u00a0",
        "06 12 34 56 78", "+33 (0)4 78 00 00 00", "0033612345678", "612345678", "+262 692 12 34 56", "+687 75.12.34", "+1 415 555 0100",
        "732 829 320 00074", "356000000", "35600000000048", "43.32A", "4332a", "43 22 B",
        "23/11/2026", "2026-11-23T10:00:00", "3.2.26", "45254", "45254.5",
        "FR40303265045", "DE 136 695 976", "GR094259216", "FR76 3000 6000 0112 3456 7890 189", "BNPAFRPPXXX", "oui", "B2C",
    ]
    for index, value in enumerate(values):
        write("normalisers", f"value-{index:02}", value.encode())


def api_seeds():
    # The selector byte picks the request body type, in FuzzAPIDecoders/APIDecodersHarness.swift's order.
    bodies = [
        {"name": "Menuiseries Durand SARL", "siren": "732829320", "nafCode": "43.32A",
         "address": {"street": "2 avenue des Artisans", "postcode": "69001", "city": "Lyon", "countryCode": "FR"}},
        {"name": "Jeanne", "email": "jeanne@example.fr", "role": "partner", "organisationId": "org_1"},
        {"label": "ci", "expiresInDays": 30},
        {"publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAOUjP4K0d22ldeA5ZB3GV2mxWUGsCcyl5SrAryoCBXE0=\n-----END PUBLIC KEY-----\n"},
        {"partnerId": "org_2", "pricePer1000Cents": 2500, "policy": "quality-weighted"},
        {"reason": "files checked"},
        {"fileId": "fil_1"},
        {"values": ["a@b.fr", "+33612345678"], "source": "optout"},
        {"emails": ["a@b.fr"], "phones": None, "sirets": ["73282932000074"]},
        {"reason": "audit", "rationale": "banks", "scope": "core"},
        {"reason": "duplicate invoice"},
    ]
    for index, body in enumerate(bodies):
        write("api-decoders", f"body-{index:02}", bytes([index]) + json.dumps(body, ensure_ascii=False).encode())


if __name__ == "__main__":
    shutil.rmtree(CORPUS, ignore_errors=True)
    contact_file_seeds()
    envelope_seeds()
    blob_seeds()
    key_file_seeds()
    normaliser_seeds()
    api_seeds()
    print("master key (base64):", base64.b64encode(MASTER_KEY).decode())
    print("wrapped data key (base64):", base64.b64encode(wrapped_data_key()).decode())
