package import HTTPTypes

extension HTTPField.Name {
    /// `Troc-Key-Fingerprint`: on a download, the fingerprint of the firm's key the envelope is sealed to, so the client
    /// opens it with the matching private key and the firm can check which key the broker used.
    package static let trocKeyFingerprint = Self("Troc-Key-Fingerprint")!

    /// `Link` (RFC 8288): on a page of a listing, the URL of the next page (`rel="next"`).
    package static let link = Self("Link")!
}
