import Crypto
import Dispatch
import Foundation
import HummingbirdBcrypt
import HummingbirdOTP
import TrocCrypto

/// Console passwords (bcrypt, from hummingbird-auth) and second factors (TOTP, RFC 6238, from hummingbird-auth), with
/// the TOTP secrets sealed at rest under a key derived from the broker's root secret.
enum ConsoleCredentials {
    /// bcrypt's work factor: 2^12 rounds.
    static let bcryptCost: UInt8 = 12
    /// TOTP time step, seconds.
    static let timeStep: Int64 = 30
    /// Steps accepted either side of now, for clocks a little apart.
    static let stepTolerance: Int64 = 1
    /// Characters of a TOTP secret (from the base32 alphabet: 160 bits).
    static let secretLength = 32
    /// Password lengths accepted; bcrypt reads at most 72 bytes.
    static let passwordLength = 12...128
    /// Bytes bcrypt reads of a password.
    static let passwordMaximumBytes = 72

    /// A hash that no password matches, verified against when the login name is unknown so that both take as long.
    static let unmatchableHash = Bcrypt.hash(TokenSecretText.random(), cost: bcryptCost)

    /// Why a chosen password or login name is refused; the console words each case in the reader's language.
    enum Refusal: Error, Equatable {
        case loginShape
        case passwordLength
        case passwordTooManyBytes
        case passwordControlCharacters
        case passwordContainsLogin
        case passwordsDiffer
    }

    /// The bcrypt hash of a password, computed off Swift's cooperative threads.
    static func hash(_ password: String) async -> String {
        await offload { Bcrypt.hash(password, cost: bcryptCost) }
    }

    /// Whether `password` matches `hash`, computed off Swift's cooperative threads.
    static func verify(_ password: String, hash: String) async -> Bool {
        await offload { Bcrypt.verify(password, hash: hash) }
    }

    /// Checks a login name: 3 to 64 letters, digits, `.`, `_`, `@` or `-`.
    static func checkLogin(_ login: String) throws(Refusal) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-".utf8)
        guard (3...64).contains(login.utf8.count), login.utf8.allSatisfy(allowed.contains) else { throw .loginShape }
    }

    /// Checks a new password and its confirmation against the rules the sign-in page states.
    static func checkPassword(_ password: String, confirmation: String, login: String) throws(Refusal) {
        guard passwordLength.contains(password.count) else { throw .passwordLength }
        guard password.utf8.count <= passwordMaximumBytes else { throw .passwordTooManyBytes }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .passwordControlCharacters }
        guard login.count < 3 || !password.lowercased().contains(login.lowercased()) else { throw .passwordContainsLogin }
        guard password == confirmation else { throw .passwordsDiffer }
    }

    /// A new TOTP secret: 32 characters of the base32 alphabet, whose ASCII bytes are the HMAC key.
    static func newTOTPSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<secretLength).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] }, as: UTF8.self)
    }

    /// Whether `text` has the shape of a secret `newTOTPSecret` makes (a form sends it back).
    static func isTOTPSecret(_ text: String) -> Bool {
        text.utf8.count == secretLength && text.utf8.allSatisfy { (65...90).contains($0) || (50...55).contains($0) }
    }

    /// The `otpauth://totp/…` URI an authenticator app reads from the QR code.
    static func provisioningURI(secret: String, login: String, issuer: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "\(issuer):\(login)", issuer: issuer)
    }

    /// The secret as the authenticator app receives it (base32 of its bytes), for typing in by hand.
    static func base32Key(secret: String) -> String {
        let uri = provisioningURI(secret: secret, login: "x", issuer: "x")
        let query = uri.split(separator: "?").last.map(String.init) ?? ""
        return query.split(separator: "&").first { $0.hasPrefix("secret=") }.map { String($0.dropFirst("secret=".count)) } ?? ""
    }

    /// The time step of `now`.
    static func step(_ now: Date) -> Int64 {
        Int64((now.timeIntervalSince1970 / Double(timeStep)).rounded(.down))
    }

    /// The step within the tolerance whose code is `code`, latest first, or nil.
    static func matchingStep(code: String, secret: String, now: Date) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = step(now)
        for candidate in stride(from: current + stepTolerance, through: current - stepTolerance, by: -1)
        where totp.compute(date: Date(timeIntervalSince1970: TimeInterval(candidate * timeStep))) == value {
            return candidate
        }
        return nil
    }

    /// Seals a TOTP secret for the database, bound to its user.
    static func seal(_ secret: String, userID: String, key: SymmetricKey) throws -> Data {
        guard let combined = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(userID.utf8)).combined else {
            throw CryptoKitError.incorrectParameterSize
        }
        return combined
    }

    /// Opens a sealed TOTP secret of `userID`.
    static func open(_ sealed: Data, userID: String, key: SymmetricKey) throws -> String {
        String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(userID.utf8)), as: UTF8.self)
    }

    /// Runs slow work on Dispatch's threads.
    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}

/// Random text for values nobody types: 32 bytes in base64url.
enum TokenSecretText {
    /// 43 characters from the system CSPRNG.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
