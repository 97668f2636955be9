import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore
import TrocCrypto

/// The broker key, checked against the fingerprint pinned in the profile at first use.
enum BrokerKeyPin {
    /// The broker's key, pinned in profile `name` at first use; a changed key is a conflict, not trusted silently.
    static func verifiedKey(_ client: TrocAPIClient, profile name: String) async throws -> EnvelopePublicKey {
        let brokerKey = try await client.brokerKey()
        let key = try EnvelopePublicKey(pemText: brokerKey.publicKey)
        let store = ProfileStore()
        var profile = try store.load(name)
        if let pinned = profile.brokerKeyFingerprint, pinned != key.fingerprint {
            throw TrocExit(
                .conflict,
                "troc: the broker's key changed (pinned \(pinned), now \(key.fingerprint)); check with the broker, then run `troc login` again")
        }
        if profile.brokerKeyFingerprint == nil {
            profile.brokerKeyFingerprint = key.fingerprint
            try store.save(profile, as: name)
        }
        return key
    }
}
