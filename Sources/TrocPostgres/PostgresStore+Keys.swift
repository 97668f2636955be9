package import Foundation
import PostgresNIO
package import TrocCrypto
package import TrocStore

extension PostgresStore {
    /// Serialises the creation of the broker's keys: instances starting at once against an empty database create one key
    /// pair and one root hashing secret between them, and the later ones open what the first stored.
    static let brokerKeyCreationLock: Int64 = 0x7472_6f63_2d6b_6579

    /// Returns the broker's key pair and root hashing secret, creating and storing them (wrapped) on first use.
    ///
    /// Fails with `wrongMasterKey`, naming the expected key id, if `masterKey` is not the key that wrapped them.
    package func ensureBrokerKeys(masterKey: MasterKey, now: Date) async throws(StoreError) -> BrokerKeys {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.brokerKeyCreationLock))", logger: logger)
            let existingKey = try await activeBrokerKey(on: connection)
            let existingSecret = try await secrets(where: #""name" = \#(SecretRecord.rootHashingSecretName)"#, on: connection).first
            try BrokerKeyMaterial.checkWrapped(by: masterKey, brokerKey: existingKey, secret: existingSecret)
            let brokerKey = try existingKey ?? BrokerKeyMaterial.newBrokerKey(masterKey: masterKey, now: now)
            if existingKey == nil {
                try await connection.query(
                    #"""
                    INSERT INTO "broker_key" ("id", "publicKeyPEM", "wrappedKey", "sealedPrivateKey", "masterKeyID", "createdAt", "active")
                    VALUES (\#(brokerKey.id), \#(brokerKey.publicKeyPEM), \#(brokerKey.wrappedKey), \#(brokerKey.sealedPrivateKey),
                        \#(brokerKey.masterKeyID), \#(Timestamp.seconds(brokerKey.createdAt)), \#(brokerKey.active))
                    """#, logger: logger)
            }
            let secret = try existingSecret ?? BrokerKeyMaterial.newRootHashingSecret(masterKey: masterKey)
            if existingSecret == nil {
                try await connection.query(
                    #"INSERT INTO "secret" ("name", "wrapped", "masterKeyID") VALUES (\#(secret.name), \#(secret.wrapped), \#(secret.masterKeyID))"#,
                    logger: logger)
            }
            return try BrokerKeyMaterial.open(brokerKey: brokerKey, secret: secret, masterKey: masterKey)
        }
    }

    /// The active broker key's row, for publishing its public key; nil before `ensureBrokerKeys` first ran.
    package func activeBrokerKey() async throws(StoreError) -> BrokerKeyRecord? {
        try await withConnection { connection in try await activeBrokerKey(on: connection) }
    }

    /// Rewraps every wrapped key (blob data keys, broker keys, secrets) from `old` to `new` in one transaction; blob files are untouched.
    ///
    /// Keys already under `new` are skipped, so a repeated rotation is harmless; a key under any other master key makes it fail
    /// before anything changes. The tables are locked against writes for the transaction, so that no instance stores a blob
    /// under the old key while the others are rewrapped.
    package func rotateMasterKey(from old: MasterKey, to new: MasterKey) async throws(StoreError) -> RotationSummary {
        try await transaction { connection in
            try await connection.query(#"LOCK TABLE "blob", "broker_key", "secret" IN SHARE ROW EXCLUSIVE MODE"#, logger: logger)
            let blobs = try await select("blob", where: "TRUE", on: connection) { columns throws(StoreError) in try columns.blob() }
            let brokerKeys = try await select("broker_key", where: "TRUE", on: connection) { columns throws(StoreError) in try columns.brokerKey() }
            let rotation = try BrokerKeyMaterial.rotation(
                from: old, to: new, blobs: blobs, brokerKeys: brokerKeys, secrets: try await secrets(where: "TRUE", on: connection))
            for blob in rotation.blobs {
                try await connection.query(
                    #"UPDATE "blob" SET "wrappedKey" = \#(blob.wrappedKey), "masterKeyID" = \#(blob.masterKeyID) WHERE "id" = \#(blob.id)"#,
                    logger: logger)
            }
            for key in rotation.brokerKeys {
                try await connection.query(
                    #"UPDATE "broker_key" SET "wrappedKey" = \#(key.wrappedKey), "masterKeyID" = \#(key.masterKeyID) WHERE "id" = \#(key.id)"#,
                    logger: logger)
            }
            for secret in rotation.secrets {
                try await connection.query(
                    #"UPDATE "secret" SET "wrapped" = \#(secret.wrapped), "masterKeyID" = \#(secret.masterKeyID) WHERE "name" = \#(secret.name)"#,
                    logger: logger)
            }
            return rotation.summary
        }
    }

    /// The active broker key read on `connection`.
    private func activeBrokerKey(on connection: PostgresConnection) async throws -> BrokerKeyRecord? {
        try await select("broker_key", where: #""active""#, on: connection) { columns throws(StoreError) in try columns.brokerKey() }.first
    }

    /// The secrets `condition` selects.
    private func secrets(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [SecretRecord] {
        try await select("secret", where: condition, on: connection) { columns throws(StoreError) in try columns.secret() }
    }
}
