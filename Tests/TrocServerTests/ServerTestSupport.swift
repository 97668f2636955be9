import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore
import TrocTestSupport

/// A clock tests move by hand, so token expiry and retention are tested without waiting.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(days: Double) {
        current.withLock { $0 = $0.addingTimeInterval(days * 86_400) }
    }
}

/// A broker on a temporary data directory with its organisation, an operator, and helpers to
/// call the router in-process (no network) as one of its users.
struct TestBroker {
    let broker: Broker
    let clock: TestClock
    let directory: URL
    let operatorToken: String

    /// A fresh broker; `maxUploadBytes` lets tests trigger 413, `configure` changes the rest of its configuration. Test
    /// files are small: the minimum of exchangeable contacts a deal's files need is set to `minimumExchangeable` through
    /// the settings, or left at its default when nil.
    static func make(
        maxUploadBytes: Int = 64 << 20, minimumExchangeable: Int? = 1, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestBroker {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-server-\(UUID().uuidString)")
        let clock = TestClock()
        var configuration = ServerConfiguration(
            dataDirectory: directory.path, host: "127.0.0.1", port: 0, transport: .http, masterKey: MasterKey.generate(),
            maxUploadBytes: maxUploadBytes,
            ingestThreads: 2)
        configure(&configuration)
        let broker = try Broker.open(configuration, clock: { clock.now })
        let token = try await BrokerSetup.initialise(broker, identity: .development, operatorName: "Olivia Operator", email: "olivia@troc.example")
        if let minimumExchangeable {
            _ = try await broker.store.updateSettings(
                SettingsChange(minimumExchangeable: minimumExchangeable), reason: "test files are small", actor: .system, now: clock.now)
        }
        return TestBroker(broker: broker, clock: clock, directory: directory, operatorToken: token)
    }

    /// Runs `body` against the router with an in-process test client.
    func withClient(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: try buildRouter(broker))
        try await app.test(.router, body)
    }

    /// Files left in the blob directory (to prove a refused upload leaves nothing behind).
    func blobFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: broker.configuration.blobsDirectory)
    }

    /// Removes the temporary directory.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Request helpers for the tests.
extension TestClientProtocol {
    /// A JSON request with a bearer token.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// A JSON request whose 2xx answer is decoded.
    func decoded<T: Decodable>(_ type: T.Type, _ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil) async throws -> T {
        let response = try await call(method, uri, token: token, json: json)
        #expect((200..<300).contains(response.status.code), "\(method) \(uri) answered \(response.status): \(String(buffer: response.body))")
        return try ServerTestJSON.decoder.decode(T.self, from: Data(buffer: response.body))
    }

    /// An upload of raw envelope bytes.
    func upload(_ envelope: Data, name: String = "contacts.csv", token: String, contentType: String = "application/octet-stream") async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = contentType
        return try await execute(uri: "/v1/files?name=\(name)", method: .post, headers: headers, body: ByteBuffer(data: envelope))
    }
}

enum ServerTestJSON {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// The problem document of an error response, checking its content type.
    static func problem(_ response: TestResponse) throws -> Problem {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try decoder.decode(Problem.self, from: Data(buffer: response.body))
    }
}

/// Partner firms used across tests: complementary sectors (window joinery, heating).
enum Partners {
    static let joinery = SampleFirms.joinery
    static let heating = SampleFirms.heating

    /// A small contact file.
    static let contacts = """
        nom;prenom;email;telephone;raison_sociale;source;date_collecte;consentement
        Martin;Jean;jean.martin@entreprise.fr;06 12 34 56 78;ACME;salon;01/10/2026;oui
        Durand;Paul;paul.durand@entreprise.fr;01 42 68 53 00;ACME;site web;15/09/2026;oui
        Petit;Zoé;zoe.petit@gmail.com;;;site web;12/11/2026;non
        """
}

/// Registers a partner organisation and a partner user; returns the organisation and the user's token.
func registerPartner(_ client: any TestClientProtocol, _ broker: TestBroker, organisation json: String, userName: String) async throws -> (
    Organisation, String
) {
    let organisation = try await client.decoded(Organisation.self, .post, "/v1/organisations", token: broker.operatorToken, json: json)
    let created = try await client.decoded(
        CreatedUser.self, .post, "/v1/users", token: broker.operatorToken,
        json: #"{"name": "\#(userName)", "role": "partner", "organisationId": "\#(organisation.id)"}"#)
    return (organisation, created.token.token)
}

/// An envelope of `plaintext` to the broker for `organisationID`, split in small chunks so tests can tamper with records.
func sealedUpload(_ plaintext: String, broker: TestBroker, organisationID: String, chunkSize: Int = ChunkSizeLimits.minimum) throws -> Data {
    try seal(
        Data(plaintext.utf8), to: broker.broker.keys.publicKey, purpose: TransferPurpose.upload(organisationID: organisationID), chunkSize: chunkSize)
}

/// Seals `plaintext` in one go, for tests.
func seal(_ plaintext: Data, to recipient: EnvelopePublicKey, purpose: String, chunkSize: Int = ChunkSizeLimits.minimum) throws -> Data {
    var sealer = try EnvelopeSealer(recipient: recipient, purpose: try EnvelopePurpose(purpose), chunkSize: chunkSize)
    var envelope = sealer.header.bytes
    var offset = 0
    while plaintext.count - offset > chunkSize {
        envelope.append(try sealer.seal(plaintext[offset..<(offset + chunkSize)]))
        offset += chunkSize
    }
    envelope.append(try sealer.finish(plaintext[offset...]))
    return envelope
}
