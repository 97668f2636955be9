package import Foundation
package import GRDB

/// A row of `broker_key`: the broker's X25519 HPKE key pair that partners seal uploads to.
///
/// The 32-byte private key is sealed as a small at-rest blob (`sealedPrivateKey`) under its own data key, and that
/// data key is wrapped by the master key with the context `broker-key:<id>`: TrocCrypto wraps only data keys and the
/// root hashing secret, and a data key cannot be built from chosen bytes, so this reuses the blob format unchanged.
package struct BrokerKeyRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "broker_key"

    /// `bkk_` and 16 base32 characters.
    package var id: String
    /// The public key, SubjectPublicKeyInfo PEM, as published at `/v1/broker-key`.
    package var publicKeyPEM: String
    /// The data key sealing the private key, as `WrappedKey.bytes`.
    package var wrappedKey: Data
    /// The private key's raw 32 bytes in the at-rest blob format (66 bytes).
    package var sealedPrivateKey: Data
    /// Hex id of the master key that wrapped `wrappedKey`.
    package var masterKeyID: String
    /// When the key pair was generated.
    package var createdAt: Date
    /// Whether this is the key partners use now; at most one row is active.
    package var active: Bool

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, publicKeyPEM: String, wrappedKey: Data, sealedPrivateKey: Data, masterKeyID: String, createdAt: Date, active: Bool
    ) {
        self.id = id
        self.publicKeyPEM = publicKeyPEM
        self.wrappedKey = wrappedKey
        self.sealedPrivateKey = sealedPrivateKey
        self.masterKeyID = masterKeyID
        self.createdAt = createdAt
        self.active = active
    }

    /// The wrapping context of this key's data key, which no blob id (`blb_…`) can equal.
    package var wrapContext: String { "broker-key:\(id)" }

    /// Column references for queries.
    package enum Columns {
        /// Whether this is the active key.
        package static let active = Column(CodingKeys.active)
        /// The wrapped key.
        package static let wrappedKey = Column(CodingKeys.wrappedKey)
        /// The master key that wrapped it.
        package static let masterKeyID = Column(CodingKeys.masterKeyID)
    }
}

/// A row of `secret`: a named 256-bit secret wrapped by the master key.
package struct SecretRecord: StoreRecord {
    package static let databaseTableName = "secret"
    /// Name of the root hashing secret's row.
    package static let rootHashingSecretName = "root-hashing-secret"

    /// The secret's name, its primary key.
    package var name: String
    /// The wrapped secret, as `WrappedKey.bytes`.
    package var wrapped: Data
    /// Hex id of the master key that wrapped it.
    package var masterKeyID: String

    /// A record with every column given (the other stores build it from their rows).
    package init(name: String, wrapped: Data, masterKeyID: String) {
        self.name = name
        self.wrapped = wrapped
        self.masterKeyID = masterKeyID
    }

    /// Column references for queries.
    package enum Columns {
        /// The wrapped secret.
        package static let wrapped = Column(CodingKeys.wrapped)
        /// The master key that wrapped it.
        package static let masterKeyID = Column(CodingKeys.masterKeyID)
    }
}
