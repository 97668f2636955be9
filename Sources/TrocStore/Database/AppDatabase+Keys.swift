package import Foundation
import GRDB
package import TrocCrypto

/// The broker's secrets, unwrapped: what the server needs to open uploads and derive match keys.
package struct BrokerKeys: Sendable {
    /// Id of the `broker_key` row.
    package var id: String
    /// The private key that opens partners' upload envelopes.
    package var privateKey: EnvelopePrivateKey
    /// The public key partners seal to.
    package var publicKey: EnvelopePublicKey { privateKey.publicKey }
    /// The root of every match key.
    package var rootHashingSecret: RootHashingSecret
}

/// What a master key rotation rewrapped.
package struct RotationSummary: Sendable, Equatable {
    /// Blob data keys rewrapped.
    package var blobs = 0
    /// Broker key rows rewrapped.
    package var brokerKeys = 0
    /// Secrets rewrapped.
    package var secrets = 0
    /// Wrapped keys already under the new master key, left as they were (a rotation run twice).
    package var alreadyRotated = 0
}

extension AppDatabase {
    /// Returns the broker's key pair and root hashing secret, creating and storing them (wrapped) on first use.
    ///
    /// Fails with `wrongMasterKey`, naming the expected key id, if `masterKey` is not the key that wrapped them.
    package func ensureBrokerKeys(masterKey: MasterKey, now: Date) throws(StoreError) -> BrokerKeys {
        try write { db in
            let existingKey = try activeBrokerKey(db)
            let existingSecret = try SecretRecord.fetchOne(db, key: SecretRecord.rootHashingSecretName)
            for stored in [existingKey?.masterKeyID, existingSecret?.masterKeyID] {
                if let stored, stored != masterKey.id.description {
                    throw StoreError.wrongMasterKey(expected: stored, loaded: masterKey.id.description)
                }
            }
            let brokerKey = try existingKey ?? Self.makeBrokerKey(masterKey: masterKey, now: now, in: db)
            let secret = try existingSecret ?? Self.makeRootHashingSecret(masterKey: masterKey, in: db)
            return BrokerKeys(
                id: brokerKey.id, privateKey: try Self.unsealPrivateKey(brokerKey, masterKey: masterKey),
                rootHashingSecret: try Self.unwrapRootHashingSecret(secret, masterKey: masterKey))
        }
    }

    /// The active broker key's row, for publishing its public key; nil before `ensureBrokerKeys` first ran.
    package func activeBrokerKey() throws(StoreError) -> BrokerKeyRecord? {
        try read { db in try activeBrokerKey(db) }
    }

    /// Rewraps every wrapped key (blob data keys, broker keys, secrets) from `old` to `new` in one transaction; blob files are untouched.
    ///
    /// Keys already under `new` are skipped, so a repeated rotation is harmless; a key under any other master key makes it fail
    /// before anything changes.
    package func rotateMasterKey(from old: MasterKey, to new: MasterKey) throws(StoreError) -> RotationSummary {
        let oldID = old.id.description
        let newID = new.id.description
        guard oldID != newID else { throw .rotationToSameKey(masterKeyID: oldID) }
        return try write { db in
            let blobs = try BlobRecord.fetchAll(db)
            let brokerKeys = try BrokerKeyRecord.fetchAll(db)
            let secrets = try SecretRecord.fetchAll(db)
            let wrappedBy =
                blobs.map { ("blob", $0.id, $0.masterKeyID) } + brokerKeys.map { ("broker_key", $0.id, $0.masterKeyID) }
                + secrets.map { ("secret", $0.name, $0.masterKeyID) }
            for (table, rowID, keyID) in wrappedBy where keyID != oldID && keyID != newID {
                throw StoreError.unknownMasterKey(table: table, rowID: rowID, masterKeyID: keyID, old: oldID, new: newID)
            }
            var summary = RotationSummary()
            summary.alreadyRotated = wrappedBy.count { $0.2 == newID }
            for var blob in blobs where blob.masterKeyID == oldID {
                blob.wrappedKey = try Self.rewrap(blob.wrappedKey, what: "blob \(blob.id)") { wrapped throws(KeyWrapError) in
                    try MasterKey.rewrap(wrapped, from: old, to: new, blobID: blob.id)
                }
                blob.masterKeyID = newID
                try blob.update(db, columns: [BlobRecord.Columns.wrappedKey, BlobRecord.Columns.masterKeyID])
                summary.blobs += 1
            }
            for var brokerKey in brokerKeys where brokerKey.masterKeyID == oldID {
                let context = brokerKey.wrapContext
                brokerKey.wrappedKey = try Self.rewrap(brokerKey.wrappedKey, what: "broker key \(brokerKey.id)") {
                    wrapped throws(KeyWrapError) in try MasterKey.rewrap(wrapped, from: old, to: new, blobID: context)
                }
                brokerKey.masterKeyID = newID
                try brokerKey.update(db, columns: [BrokerKeyRecord.Columns.wrappedKey, BrokerKeyRecord.Columns.masterKeyID])
                summary.brokerKeys += 1
            }
            for var secret in secrets where secret.masterKeyID == oldID {
                secret.wrapped = try Self.rewrap(secret.wrapped, what: "secret \(secret.name)") { wrapped throws(KeyWrapError) in
                    try MasterKey.rewrapRootHashingSecret(wrapped, from: old, to: new)
                }
                secret.masterKeyID = newID
                try secret.update(db, columns: [SecretRecord.Columns.wrapped, SecretRecord.Columns.masterKeyID])
                summary.secrets += 1
            }
            return summary
        }
    }

    /// The active `broker_key` row.
    private func activeBrokerKey(_ db: Database) throws -> BrokerKeyRecord? {
        try BrokerKeyRecord.filter(BrokerKeyRecord.Columns.active == true).fetchOne(db)
    }

    /// Generates the broker's X25519 key pair and stores it: the private key sealed under a fresh data key wrapped by `masterKey`.
    private static func makeBrokerKey(masterKey: MasterKey, now: Date, in db: Database) throws -> BrokerKeyRecord {
        let privateKey = EnvelopePrivateKey.generate()
        let id = RecordID.make(RecordID.brokerKey)
        // The smallest chunk size: the 32-byte key fits in the one final record.
        let sealer = try BlobSealer(chunkSize: ChunkSizeLimits.minimum)
        let header = sealer.header.bytes
        let wrappedKey = try masterKey.wrap(sealer.dataKey, blobID: "broker-key:\(id)")
        let record = BrokerKeyRecord(
            id: id, publicKeyPEM: privateKey.publicKey.pemText, wrappedKey: wrappedKey.bytes,
            sealedPrivateKey: header + (try sealer.finish(privateKey.rawRepresentation)), masterKeyID: masterKey.id.description,
            createdAt: Timestamp.stored(now), active: true)
        try record.insert(db)
        return record
    }

    /// Generates the root hashing secret and stores it wrapped by `masterKey`.
    private static func makeRootHashingSecret(masterKey: MasterKey, in db: Database) throws -> SecretRecord {
        let record = SecretRecord(
            name: SecretRecord.rootHashingSecretName, wrapped: try masterKey.wrap(RootHashingSecret.generate()).bytes,
            masterKeyID: masterKey.id.description)
        try record.insert(db)
        return record
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
    private static func rewrap(
        _ bytes: Data, what: String, _ rewrap: (WrappedKey) throws(KeyWrapError) -> WrappedKey
    ) throws(StoreError) -> Data {
        do throws(KeyWrapError) {
            return try rewrap(try WrappedKey(bytes: bytes)).bytes
        } catch {
            throw .damagedWrappedKey(what: what, error)
        }
    }
}
