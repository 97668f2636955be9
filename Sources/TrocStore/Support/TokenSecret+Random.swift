import Foundation

extension TokenSecret {
    /// 32 random bytes from the system CSPRNG in base64url without padding (43 characters): a session cookie or form token.
    static func makeRandomText() -> String {
        String(make().dropFirst(prefix.count))
    }
}
