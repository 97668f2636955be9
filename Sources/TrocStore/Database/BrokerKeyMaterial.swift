package import Foundation
package import TrocCrypto

/// The broker's key material as every record store creates, checks, opens and rewraps it: the engines only read and
/// write the rows.
package enum BrokerKeyMaterial {
    /// A new X25519 key pair for the broker, as its row: the private key sealed under a fresh data key wrapped by `masterKey`.
    package static func newBrokerKey(masterKey: MasterKey, now: Date) throws -> BrokerKeyRecord {
        let privateKey = EnvelopePrivateKey.generate()
        let id = RecordID.make(RecordID.brokerKey)
        // The smallest chunk size: the 32-byte key fits in the one final record.
        let sealer = try BlobSealer(chunkSize: ChunkSizeLimits.minimum)
        let header = sealer.header.bytes
        let wrappedKey = try masterKey.wrap(sealer.dataKey, blobID: "broker-key:\(id)")
        return BrokerKeyRecord(
            id: id, publicKeyPEM: privateKey.publicKey.pemText, wrappedKey: wrappedKey.bytes,
            sealedPrivateKey: header + (try sealer.finish(privateKey.rawRepresentation)), masterKeyID: masterKey.id.description,
            createdAt: Timestamp.stored(now), active: true)
    }

    /// A new root hashing secret, as its row, wrapped by `masterKey`.
    package static func newRootHashingSecret(masterKey: MasterKey) throws -> SecretRecord {
        SecretRecord(
            name: SecretRecord.rootHashingSecretName, wrapped: try masterKey.wrap(RootHashingSecret.generate()).bytes,
            masterKeyID: masterKey.id.description)
    }

    /// Refuses `masterKey` when the stored key or secret says another master key wrapped them (`wrongMasterKey`, naming it).
    package static func checkWrapped(by masterKey: MasterKey, brokerKey: BrokerKeyRecord?, secret: SecretRecord?) throws(StoreError) {
        for stored in [brokerKey?.masterKeyID, secret?.masterKeyID] {
            if let stored, stored != masterKey.id.description {
                throw .wrongMasterKey(expected: stored, loaded: masterKey.id.description)
            }
        }
    }

    /// The broker's secrets, unwrapped from their rows.
    package static func open(brokerKey: BrokerKeyRecord, secret: SecretRecord, masterKey: MasterKey) throws(StoreError) -> BrokerKeys {
        BrokerKeys(
            id: brokerKey.id, privateKey: try unsealPrivateKey(brokerKey, masterKey: masterKey),
            rootHashingSecret: try unwrapRootHashingSecret(secret, masterKey: masterKey))
    }

    /// Every wrapped key of `blobs`, `brokerKeys` and `secrets` rewrapped from `old` to `new`: the rows that changed and
    /// what was done. Keys already under `new` are left (a rotation run twice); a key under any other master key fails
    /// the whole rotation before the caller writes anything.
    package static func rotation(
        from old: MasterKey, to new: MasterKey, blobs: [BlobRecord], brokerKeys: [BrokerKeyRecord], secrets: [SecretRecord]
    ) throws(StoreError) -> MasterKeyRotation {
        let oldID = old.id.description
        let newID = new.id.description
        guard oldID != newID else { throw .rotationToSameKey(masterKeyID: oldID) }
        let wrappedBy =
            blobs.map { ("blob", $0.id, $0.masterKeyID) } + brokerKeys.map { ("broker_key", $0.id, $0.masterKeyID) }
            + secrets.map { ("secret", $0.name, $0.masterKeyID) }
        for (table, rowID, keyID) in wrappedBy where keyID != oldID && keyID != newID {
            throw .unknownMasterKey(table: table, rowID: rowID, masterKeyID: keyID, old: oldID, new: newID)
        }
        var rotation = MasterKeyRotation()
        rotation.summary.alreadyRotated = wrappedBy.count { $0.2 == newID }
        for var blob in blobs where blob.masterKeyID == oldID {
            blob.wrappedKey = try rewrap(blob.wrappedKey, what: "blob \(blob.id)") { wrapped throws(KeyWrapError) in
                try MasterKey.rewrap(wrapped, from: old, to: new, blobID: blob.id)
            }
            blob.masterKeyID = newID
            rotation.blobs.append(blob)
        }
        for var brokerKey in brokerKeys where brokerKey.masterKeyID == oldID {
            let context = brokerKey.wrapContext
            brokerKey.wrappedKey = try rewrap(brokerKey.wrappedKey, what: "broker key \(brokerKey.id)") { wrapped throws(KeyWrapError) in
                try MasterKey.rewrap(wrapped, from: old, to: new, blobID: context)
            }
            brokerKey.masterKeyID = newID
            rotation.brokerKeys.append(brokerKey)
        }
        for var secret in secrets where secret.masterKeyID == oldID {
            secret.wrapped = try rewrap(secret.wrapped, what: "secret \(secret.name)") { wrapped throws(KeyWrapError) in
                try MasterKey.rewrapRootHashingSecret(wrapped, from: old, to: new)
            }
            secret.masterKeyID = newID
            rotation.secrets.append(secret)
        }
        rotation.summary.blobs = rotation.blobs.count
        rotation.summary.brokerKeys = rotation.brokerKeys.count
        rotation.summary.secrets = rotation.secrets.count
        return rotation
    }

    /// Unwraps the data key of a broker key row and decrypts its private key.
    private static func unsealPrivateKey(_ record: BrokerKeyRecord, masterKey: MasterKey) throws(StoreError) -> EnvelopePrivateKey {
        let dataKey: DataKey
        do throws(KeyWrapError) {
            dataKey = try masterKey.unwrapDataKey(try WrappedKey(bytes: record.wrappedKey), blobID: record.wrapContext)
        } catch {
            throw .damagedWrappedKey(what: "broker key \(record.id)", error)
        }
        var opener = BlobOpener(dataKey: dataKey)
        do {
            let plaintext = try opener.feed(record.sealedPrivateKey).reduce(Data(), +)
            try opener.finish()
            return try EnvelopePrivateKey(rawRepresentation: plaintext)
        } catch {
            throw .damagedBrokerKey(id: record.id, reason: String(describing: error))
        }
    }

    /// Unwraps the root hashing secret.
    private static func unwrapRootHashingSecret(_ record: SecretRecord, masterKey: MasterKey) throws(StoreError) -> RootHashingSecret {
        do throws(KeyWrapError) {
            return try masterKey.unwrapRootHashingSecret(try WrappedKey(bytes: record.wrapped))
        } catch {
            throw .damagedWrappedKey(what: "secret \(record.name)", error)
        }
    }

    /// Parses stored wrapped-key bytes, rewraps them with `rewrap`, and returns the new bytes.
    private static func rewrap(_ bytes: Data, what: String, _ rewrap: (WrappedKey) throws(KeyWrapError) -> WrappedKey) throws(StoreError) -> Data {
        do throws(KeyWrapError) {
            return try rewrap(try WrappedKey(bytes: bytes)).bytes
        } catch {
            throw .damagedWrappedKey(what: what, error)
        }
    }
}

/// The rows a master-key rotation rewrapped, which the store writes back in one transaction, and what it did.
package struct MasterKeyRotation: Sendable {
    /// Blob rows whose data key was rewrapped.
    package var blobs: [BlobRecord] = []
    /// Broker key rows rewrapped.
    package var brokerKeys: [BrokerKeyRecord] = []
    /// Secret rows rewrapped.
    package var secrets: [SecretRecord] = []
    /// The counts.
    package var summary = RotationSummary()
}
