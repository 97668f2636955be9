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

    /// Nothing rewrapped yet.
    package init() {}
}

extension AppDatabase {
    /// Returns the broker's key pair and root hashing secret, creating and storing them (wrapped) on first use.
    ///
    /// Fails with `wrongMasterKey`, naming the expected key id, if `masterKey` is not the key that wrapped them.
    package func ensureBrokerKeys(masterKey: MasterKey, now: Date) throws(StoreError) -> BrokerKeys {
        try write { db in
            let existingKey = try activeBrokerKey(db)
            let existingSecret = try SecretRecord.fetchOne(db, key: SecretRecord.rootHashingSecretName)
            try BrokerKeyMaterial.checkWrapped(by: masterKey, brokerKey: existingKey, secret: existingSecret)
            let brokerKey = try existingKey ?? BrokerKeyMaterial.newBrokerKey(masterKey: masterKey, now: now)
            if existingKey == nil { try brokerKey.insert(db) }
            let secret = try existingSecret ?? BrokerKeyMaterial.newRootHashingSecret(masterKey: masterKey)
            if existingSecret == nil { try secret.insert(db) }
            return try BrokerKeyMaterial.open(brokerKey: brokerKey, secret: secret, masterKey: masterKey)
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
        try write { db in
            let rotation = try BrokerKeyMaterial.rotation(
                from: old, to: new, blobs: try BlobRecord.fetchAll(db), brokerKeys: try BrokerKeyRecord.fetchAll(db),
                secrets: try SecretRecord.fetchAll(db))
            for blob in rotation.blobs { try blob.update(db, columns: [BlobRecord.Columns.wrappedKey, BlobRecord.Columns.masterKeyID]) }
            for brokerKey in rotation.brokerKeys {
                try brokerKey.update(db, columns: [BrokerKeyRecord.Columns.wrappedKey, BrokerKeyRecord.Columns.masterKeyID])
            }
            for secret in rotation.secrets { try secret.update(db, columns: [SecretRecord.Columns.wrapped, SecretRecord.Columns.masterKeyID]) }
            return rotation.summary
        }
    }

    /// The active `broker_key` row.
    private func activeBrokerKey(_ db: Database) throws -> BrokerKeyRecord? {
        try BrokerKeyRecord.filter(BrokerKeyRecord.Columns.active == true).fetchOne(db)
    }
}
