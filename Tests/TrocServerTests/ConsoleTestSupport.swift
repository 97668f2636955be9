import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import TrocCore
import TrocServer

/// A browser for the console's router tests: keeps the cookies it is given, sends the form token of the last page.
final class ConsoleBrowser: Sendable {
    let client: any TestClientProtocol
    private let state = Mutex<(cookies: [String: String], page: String)>(([:], ""))

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// The last page's HTML.
    var page: String { state.withLock { $0.page } }

    /// The value of a cookie the browser holds.
    func cookie(_ name: String) -> String? { state.withLock { $0.cookies[name] } }

    /// Sends a request with the browser's cookies and keeps what it sets.
    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ path: String, headers extra: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        var headers = extra
        let cookies = state.withLock { $0.cookies }
        if !cookies.isEmpty { headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        state.withLock { state in
            for field in response.headers[values: .setCookie] {
                let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                let (name, value) = (pair[0], pair.count > 1 ? pair[1] : "")
                if value.isEmpty || field.contains("Max-Age=0") { state.cookies[name] = nil } else { state.cookies[name] = value }
            }
            state.page = String(buffer: response.body)
        }
        return response
    }

    /// A GET.
    @discardableResult
    func get(_ path: String) async throws -> TestResponse {
        try await request(.get, path)
    }

    /// Posts a form, with the `_csrf` token of the last page unless `token` says otherwise.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], token: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var all = fields
        if let token = token ?? formToken() { all.append(("_csrf", token)) }
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = all.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        return try await request(.post, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// The `_csrf` field of the last page.
    func formToken() -> String? {
        Self.first(#"name="_csrf" value="([^"]+)""#, in: page)
    }

    /// The first capture of `pattern` in `text`.
    static func first(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), match.numberOfRanges > 1,
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// The console's sign-in steps, done the way a person does them.
enum ConsoleSteps {
    static let password = "correct horse battery staple"

    /// Issues an enrolment code for `userID` through the API, as an operator.
    static func enrolmentCode(_ client: any TestClientProtocol, _ broker: TestBroker, userID: String) async throws -> String {
        try await client.decoded(
            EnrolmentCode.self, .post, "/v1/users/\(userID)/enrolment-code", token: broker.operatorToken, json: "{}"
        ).code
    }

    /// Enrols with `code`; returns the TOTP key shown (base32), if the role has a second factor.
    @discardableResult
    static func enrol(_ browser: ConsoleBrowser, code: String, login: String, now: Date) async throws -> String? {
        try await browser.get("/console/enrol")
        let form = try await browser.post("/console/enrol", [("code", code)])
        #expect(form.status == .ok, "\(browser.page)")
        let key = ConsoleBrowser.first(#"id="totp-key">([A-Z2-7]+)<"#, in: browser.page)
        var fields = [("code", code), ("login", login), ("password", password), ("confirmation", password)]
        if let key {
            fields.append(("totpSecret", ConsoleBrowser.first(#"name="totpSecret" value="([A-Z2-7]+)""#, in: browser.page) ?? ""))
            fields.append(("totpCode", TOTPCode.code(base32: key, at: now)))
        }
        let done = try await browser.post("/console/enrol/complete", fields)
        #expect(done.status == .seeOther && done.headers[.location] == "/console/login?enrolled=1", "\(browser.page)")
        return key
    }

    /// Signs in with the password, and with the TOTP code for `key` when given; returns the final response.
    @discardableResult
    static func signIn(_ browser: ConsoleBrowser, login: String, key: String?, now: Date, password: String = password) async throws -> TestResponse {
        try await browser.get("/console/login")
        let response = try await browser.post("/console/login", [("login", login), ("password", password)])
        guard let key, response.headers[.location] == "/console/login/code" else { return response }
        try await browser.get("/console/login/code")
        return try await browser.post("/console/login/code", [("code", TOTPCode.code(base32: key, at: now))])
    }
}

/// RFC 6238 codes computed here, independently of the server's hummingbird-auth: HMAC-SHA-1, 30-second steps, 6 digits.
enum TOTPCode {
    static func code(base32: String, at date: Date) -> String {
        let key = decode(base32)
        let step = UInt64(date.timeIntervalSince1970 / 30)
        let message = withUnsafeBytes(of: step.bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        return String(format: "%06d", value % 1_000_000)
    }

    /// RFC 4648 base32 without padding.
    static func decode(_ text: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0
        var value = 0
        var bytes: [UInt8] = []
        for character in text {
            guard let index = alphabet.firstIndex(of: character) else { continue }
            value = (value << 5) | index
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return bytes
    }
}

extension TestClock {
    /// Moves the clock by `minutes`.
    func advance(minutes: Double) {
        advance(days: minutes / 1440)
    }
}
