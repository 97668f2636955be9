import Crypto
public import Foundation

/// AWS Signature Version 4 as S3 wants it: pure, the time handed in, the request described by value.
///
/// S3 departs from the generic signer in two ways, and this one follows S3: the path is percent-encoded
/// once and never normalised (`/a/../b` and `//` are distinct keys), and `x-amz-content-sha256` is sent
/// and signed on every request.
public struct SigV4Signer: Sendable {
    /// An access key and its secret.
    public struct Credentials: Sendable, Equatable {
        /// The public half, named in the `Authorization` header.
        public let accessKeyID: String
        /// The secret half, which never leaves this process: only HMACs derived from it do.
        public let secretAccessKey: String

        /// Credentials from their two halves.
        public init(accessKeyID: String, secretAccessKey: String) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
        }
    }

    /// What the signature says about the body.
    public enum Payload: Sendable, Equatable {
        /// The body's SHA-256 in lowercase hex: S3 rejects a body that does not match it.
        case signed(sha256Hex: String)
        /// `UNSIGNED-PAYLOAD`: the body is not covered (TLS or a later checksum protects it).
        case unsigned

        /// The signed payload of `bytes`.
        public static func of<Bytes: Sequence>(_ bytes: Bytes) -> Payload where Bytes.Element == UInt8 {
            // Contiguous bytes (a part's buffer) are hashed in place rather than copied.
            let digest = bytes.withContiguousStorageIfAvailable { SHA256.hash(data: UnsafeRawBufferPointer($0)) } ?? SHA256.hash(data: Array(bytes))
            return .signed(sha256Hex: SigV4Signer.hex(digest))
        }

        /// The empty body's signed payload.
        public static let empty = Payload.signed(sha256Hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

        /// The value of the canonical request's last line and of `x-amz-content-sha256`.
        public var hashedPayload: String {
            switch self {
            case .signed(let sha256Hex): sha256Hex
            case .unsigned: "UNSIGNED-PAYLOAD"
            }
        }
    }

    /// A request as the signer sees it: nothing is encoded yet.
    public struct Request: Sendable {
        /// `GET`, `PUT`, ...
        public var method: String
        /// The path, starting with `/`, not percent-encoded (an S3 key may hold any character).
        public var path: String
        /// Query parameters, not percent-encoded, in any order; a parameter without a value has "".
        public var query: [(name: String, value: String)]
        /// Headers to sign, including `host`; a name may repeat.
        public var headers: [(name: String, value: String)]

        /// A request from its parts.
        public init(method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
        }
    }

    /// The outcome of signing, with the intermediate strings the test vectors publish.
    public struct Signature: Sendable {
        /// The canonical request (step 1).
        public let canonicalRequest: String
        /// The string to sign (step 2).
        public let stringToSign: String
        /// The signature in lowercase hex (step 3).
        public let signature: String
        /// The `Authorization` header's value.
        public let authorization: String
        /// The headers to send: the request's, then `x-amz-date`, `x-amz-content-sha256` and `authorization`.
        public let headers: [(name: String, value: String)]
    }

    private let credentials: Credentials
    private let region: String
    private let service: String
    private let declaresPayloadHash: Bool

    /// A signer for `service` in `region`; `declaresPayloadHash` adds the `x-amz-content-sha256` header S3
    /// requires (AWS's generic test suite signs without it).
    public init(credentials: Credentials, region: String, service: String = "s3", declaresPayloadHash: Bool = true) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.declaresPayloadHash = declaresPayloadHash
    }

    /// Signs `request` carrying `payload` at `date`.
    public func sign(_ request: Request, payload: Payload, date: Date) -> Signature {
        let timestamp = Self.amzDate(date)
        let day = String(timestamp.prefix(8))
        var headers = request.headers
        headers.append((name: "x-amz-date", value: timestamp))
        if declaresPayloadHash {
            headers.append((name: "x-amz-content-sha256", value: payload.hashedPayload))
        }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [
            request.method,
            Self.uriEncode(request.path, encodingSlash: false),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            payload.hashedPayload,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: day)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature, authorization: authorization,
            headers: headers + [(name: "authorization", value: authorization)])
    }

    /// The key for one day, region and service: HMAC chained from `AWS4` + secret.
    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    /// Lowercased names sorted, values trimmed with inner runs of spaces collapsed, repeats joined by commas.
    private static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let collapsed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            values[name.lowercased(), default: []].append(collapsed.trimmingCharacters(in: .whitespaces))
        }
        let names = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonical = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// Each name and value encoded, pairs sorted by encoded name then value (byte order).
    private static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (uriEncode($0.name, encodingSlash: true), uriEncode($0.value, encodingSlash: true)) }
            .sorted {
                ($0.0 == $1.0)
                    ? Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 percent-encoding of every byte but the unreserved ones (and `/` in a path), uppercase hex.
    public static func uriEncode(_ text: String, encodingSlash: Bool) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where !encodingSlash:
                encoded.append("/")
            default:
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return encoded
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, computed from the epoch (days to civil date, proleptic Gregorian).
    public static func amzDate(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(secondOfDay / 3_600, 2) + pad(secondOfDay % 3_600 / 60, 2)
            + pad(secondOfDay % 60, 2) + "Z"
    }

    /// Lowercase hex of a digest or MAC.
    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
