import AsyncHTTPClient
import Foundation
package import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import TrocCore

/// The broker's HTTPS API as Swift calls: JSON in and out, problem+json errors as `ClientError`,
/// and streaming bodies for uploads and downloads.
///
/// One typed method per operation (`TrocAPIClient+*.swift`), taking and returning the `TrocCore` types the server itself
/// encodes, with every path in `APIOperation`, rather than a client generated from `openapi.yaml` by
/// swift-openapi-generator: the server and the client already share those Codable types, generated ones would duplicate
/// each of them and need mapping both ways, and the generator's build plugin adds about four minutes to every clean CI
/// build. `EndpointTests` holds the paths and methods to the document instead.
package final class TrocAPIClient: Sendable {
    private let http: HTTPClient
    private let base: String
    private let token: String?

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// A client for `profile`'s server, trusting its CA certificate if it names one.
    package convenience init(profile: ClientProfile) throws(ClientError) {
        try self.init(server: profile.server, token: profile.token, certificateAuthorityPEM: profile.certificateAuthorityPEM)
    }

    /// A client for `server`, authenticating with `token` when given.
    package init(server: String, token: String?, certificateAuthorityPEM: String?) throws(ClientError) {
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), ["https", "http"].contains(scheme), let host = url.host else {
            throw .configuration("\(server) is not a broker URL such as https://localhost:8443")
        }
        // Plain HTTP would carry the token, and every file's name and report, readable by anyone on the way.
        guard scheme == "https" || Self.isLoopback(host: host) else {
            throw .configuration(
                "\(server): troc talks to a broker over https:// only; http:// is allowed to this machine alone "
                    + "(localhost, 127.0.0.1, ::1), for a broker behind a local TLS proxy. Use the broker's https:// URL.")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let certificateAuthorityPEM {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificateAuthorityPEM.utf8)))
            } catch {
                throw .configuration("the CA certificate is not a PEM certificate: \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(300))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        base = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
    }

    /// Whether `host` names this machine: `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(host: String) -> Bool {
        let bare = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Closes connections; call once done.
    package func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: Calls by endpoint (the typed methods in `TrocAPIClient+*.swift` name each operation)

    /// Calls `endpoint` without a body and decodes the answer.
    package func call<Answer: Decodable>(_ endpoint: Endpoint, as type: Answer.Type = Answer.self) async throws(ClientError) -> Answer {
        try await json(endpoint, body: nil as Never?)
    }

    /// Sends `body` as JSON to `endpoint` and decodes the answer.
    package func call<Body: Encodable, Answer: Decodable>(_ endpoint: Endpoint, _ body: Body, as type: Answer.Type = Answer.self)
        async throws(ClientError) -> Answer
    {
        try await json(endpoint, body: body)
    }

    /// Calls `endpoint`, expecting no content (a DELETE).
    package func callExpectingNoContent(_ endpoint: Endpoint) async throws(ClientError) {
        let response = try await execute(request(endpoint))
        _ = try await Self.bodyOrProblem(response)
    }

    /// `endpoint`'s body as bytes (an invoice rendering, the FEC), with the file name the server suggests in `Content-Disposition`.
    package func file(_ endpoint: Endpoint) async throws(ClientError) -> (body: ByteBuffer, fileName: String?) {
        var request = request(endpoint)
        request.headers.replaceOrAdd(name: "Accept", value: "*/*")
        let response = try await execute(request)
        let body = try await Self.bodyOrProblem(response)
        return (body, response.headers.first(name: "Content-Disposition").flatMap(SuggestedFileName.init(contentDisposition:))?.name)
    }

    private func json<Body: Encodable, Answer: Decodable>(_ endpoint: Endpoint, body: Body?) async throws(ClientError) -> Answer {
        var request = request(endpoint)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            guard let data = try? Self.encoder.encode(body) else { throw .input("cannot encode the request body") }
            request.body = .bytes(ByteBuffer(data: data))
        }
        let response = try await execute(request)
        let buffer = try await Self.bodyOrProblem(response)
        do {
            return try Self.decoder.decode(Answer.self, from: Data(buffer: buffer))
        } catch {
            throw .unexpectedResponse("\(endpoint.operation.method) \(endpoint.target) answered a body that is not the expected JSON (\(error))")
        }
    }

    // MARK: Streams

    /// Sends a streamed body (`application/octet-stream`) to `endpoint` and decodes the JSON answer.
    package func upload<Bytes: AsyncSequence & Sendable, Answer: Decodable>(
        _ endpoint: Endpoint, body: Bytes, length: Int64?, as type: Answer.Type = Answer.self
    ) async throws(ClientError) -> Answer where Bytes.Element == ByteBuffer {
        var request = request(endpoint)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .stream(body, length: length.map { .known($0) } ?? .unknown)
        let response = try await execute(request, timeout: .hours(2))
        let buffer = try await Self.bodyOrProblem(response)
        do {
            return try Self.decoder.decode(Answer.self, from: Data(buffer: buffer))
        } catch {
            throw .unexpectedResponse("POST \(endpoint.target) answered a body that is not the expected JSON (\(error))")
        }
    }

    /// Streams the body of `endpoint` to `consume`, after `begin` has seen the response's headers (name, value); returns the
    /// announced length if any.
    package func download(
        _ endpoint: Endpoint, begin: ([(name: String, value: String)]) throws -> Void = { _ in }, consume: (ByteBuffer) async throws -> Void
    ) async throws -> Int? {
        let response = try await execute(request(endpoint), timeout: .hours(2))
        guard response.status == .ok else {
            _ = try await Self.bodyOrProblem(response)
            throw ClientError.unexpectedResponse("GET \(endpoint.target) answered \(response.status)")
        }
        try begin(response.headers.map { ($0.name, $0.value) })
        for try await buffer in response.body { try await consume(buffer) }
        return response.headers.first(name: "Content-Length").flatMap(Int.init)
    }

    // MARK: Plumbing

    private func request(_ endpoint: Endpoint) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + endpoint.target)
        request.method = HTTPMethod(rawValue: endpoint.operation.method.rawValue)
        request.headers.add(name: "Accept", value: "application/json, application/problem+json")
        request.headers.add(name: "User-Agent", value: "troc")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    private func execute(_ request: HTTPClientRequest, timeout: TimeAmount = .seconds(300)) async throws(ClientError) -> HTTPClientResponse {
        do {
            return try await http.execute(request, timeout: timeout)
        } catch {
            throw .unreachable("\(request.method) \(base): \(error)")
        }
    }

    /// The body of a 2xx answer; a problem document (or an unexpected answer) otherwise.
    private static func bodyOrProblem(_ response: HTTPClientResponse) async throws(ClientError) -> ByteBuffer {
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw .unreachable("the connection broke while reading the answer: \(error)")
        }
        if (200..<300).contains(response.status.code) { return buffer }
        if let problem = try? decoder.decode(Problem.self, from: Data(buffer: buffer)) { throw .problem(problem) }
        throw .unexpectedResponse("HTTP \(response.status.code) without a problem document: \(String(buffer: buffer).prefix(200))")
    }
}
