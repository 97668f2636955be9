import Foundation
import Testing
import TrocClient
import TrocCore
import TrocTestSupport

/// The real daemon as a network peer sees it: its TLS profile probed with `openssl s_client`, HSTS, slow and silent
/// connections that must neither starve legitimate requests nor live for ever, and a client that will not speak
/// plain HTTP across a network.
@Suite struct TransportEndToEndTests {
    /// The protocol `openssl s_client` negotiated with the daemon on `port` given `arguments`, or nil if refused.
    static func negotiate(port: Int, _ arguments: [String]) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"] + arguments
        // End of input right away: s_client closes once the handshake is over.
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256" after a handshake, "New, (NONE), Cipher is (NONE)" without.
        guard process.terminationStatus == 0, let line = text.split(separator: "\n").first(where: { $0.hasPrefix("New, TLSv") }) else { return nil }
        return String(line.split(separator: ",")[1]).trimmingCharacters(in: .whitespaces)
    }

    /// The daemon's port, from the URL it printed.
    static func port(_ daemon: Daemon) throws -> Int {
        try #require(daemon.url.split(separator: ":").last.flatMap { Int($0) })
    }

    @Test func tlsIs12AtLeastWithECDHEAndAEADOnlyAnd13ByDefault() throws {
        let directory = try temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        // An RSA certificate as well as the ECDSA development one: a non-ECDHE suite needs an RSA key to be offered at all.
        let rsaDirectory = try directory.appendingPathComponent("rsa", isDirectory: true).creating()
        let made = try run(
            URL(fileURLWithPath: "/usr/bin/openssl"),
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2", "-keyout", "key.pem", "-out", "cert.pem"],
            in: rsaDirectory)
        #expect(made.status == 0, "\(made.error)")
        let ecdsa = try Daemon(in: try directory.appendingPathComponent("ecdsa", isDirectory: true).creating())
        defer { ecdsa.stop() }
        let rsa = try Daemon(in: rsaDirectory, arguments: ["--dev", "--port", "0", "--cert", "cert.pem", "--key", "key.pem"])
        defer { rsa.stop() }
        // SECLEVEL=0 lets this OpenSSL offer what the daemon must refuse.
        let legacy = "DEFAULT@SECLEVEL=0"
        for (daemon, kind) in [(ecdsa, "ECDSA"), (rsa, "RSA")] {
            let port = try Self.port(daemon)
            func probe(_ arguments: String...) throws -> String? { try Self.negotiate(port: port, arguments) }
            #expect(try probe() == "TLSv1.3", "\(kind): TLS 1.3 by default")
            #expect(try probe("-tls1", "-cipher", legacy) == nil, "\(kind): TLS 1.0 refused")
            #expect(try probe("-tls1_1", "-cipher", legacy) == nil, "\(kind): TLS 1.1 refused")
            #expect(try probe("-tls1_2", "-cipher", "ECDHE-\(kind)-AES128-GCM-SHA256") == "TLSv1.2", "\(kind): ECDHE with AES-GCM")
            #expect(try probe("-tls1_2", "-cipher", "ECDHE-\(kind)-CHACHA20-POLY1305") == "TLSv1.2", "\(kind): ECDHE with ChaCha20-Poly1305")
            #expect(try probe("-tls1_2", "-cipher", "ECDHE-\(kind)-AES128-SHA:@SECLEVEL=0") == nil, "\(kind): ECDHE with CBC refused")
        }
        let rsaPort = try Self.port(rsa)
        for suite in ["AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA"] {
            #expect(try Self.negotiate(port: rsaPort, ["-tls1_2", "-cipher", "\(suite):@SECLEVEL=0"]) == nil, "RSA key exchange \(suite) refused")
        }

        // Every HTTPS answer asks browsers to stay on HTTPS.
        let headers = try run(
            URL(fileURLWithPath: "/usr/bin/curl"),
            ["-s", "-D", "-", "-o", "/dev/null", "--cacert", "ecdsa/troc-dev-cert.pem", ecdsa.url + "/healthz"],
            in: directory)
        #expect(headers.output.lowercased().contains("strict-transport-security: max-age=31536000"), "\(headers.output)")
    }

    @Test func aLegitimateRequestSucceedsWithin2SecondsWhile500SilentOrSlowConnectionsAreOpen() async throws {
        // 500 connections here; a default soft limit of 1024 would leave the test itself short.
        #expect(OpenFileLimit.raise(to: 4096) >= 1024, "ulimit -n is too low for 500 connections")
        let directory = try temporaryDirectory("slowloris")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Each daemon starts with a soft limit below the connections it gets, as a service manager's default soft limit
        // (1024) is below what an attacker opens: the daemon must not depend on it.
        let limit = 200
        let https = try Daemon(in: directory.appendingPathComponent("https", isDirectory: true).creating(), softFileLimit: limit)
        defer { https.stop() }
        let http = try Daemon(
            in: directory.appendingPathComponent("http", isDirectory: true).creating(), arguments: ["--dev", "--http", "--port", "0"],
            softFileLimit: limit)
        defer { http.stop() }
        // Silent peers, and peers sending the first bytes of a TLS ClientHello or of a request head one at a time.
        let clientHello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]
        let head = Array("GET /v1/me HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".utf8)
        var connections: [RawConnection] = []
        for (daemon, partial) in [(https, clientHello), (http, head)] {
            let port = try Self.port(daemon)
            for index in 0..<250 {
                let connection = try RawConnection(port: port)
                if index % 2 == 1 {
                    for byte in partial { try connection.send([byte]) }
                }
                connections.append(connection)
            }
        }
        #expect(connections.count == 500)

        let certificate = try String(contentsOf: directory.appendingPathComponent("https/troc-dev-cert.pem"), encoding: .utf8)
        for (daemon, ca) in [(https, certificate), (http, nil)] {
            let token: String = try #require(daemon.operatorToken)
            let client = try TrocAPIClient(server: daemon.url, token: token, certificateAuthorityPEM: ca)
            let answer: Result<Me, any Error>
            do {
                answer = .success(try await withDeadline(seconds: 2) { try await client.me() })
            } catch {
                answer = .failure(error)
            }
            await client.shutdown()
            #expect(try answer.get().user.role == .operator, "\(daemon.url)")
        }
        withExtendedLifetime(connections) {}
    }

    @Test func silentAndSlowConnectionsAreClosedByTheirTimeouts() throws {
        let directory = try temporaryDirectory("timeouts")
        defer { try? FileManager.default.removeItem(at: directory) }
        let timeouts = ["--handshake-timeout", "1", "--idle-timeout", "1"]
        let https = try Daemon(
            in: directory.appendingPathComponent("https", isDirectory: true).creating(), arguments: ["--dev", "--port", "0"] + timeouts)
        defer { https.stop() }
        let http = try Daemon(
            in: directory.appendingPathComponent("http", isDirectory: true).creating(), arguments: ["--dev", "--http", "--port", "0"] + timeouts)
        defer { http.stop() }
        // The limit below only stops a broken daemon from hanging the test; the assertion is that the daemon closes.
        let silentTLS = try RawConnection(port: try Self.port(https))
        let slowHandshake = try RawConnection(port: try Self.port(https))
        try slowHandshake.send([0x16, 0x03, 0x01])
        let silent = try RawConnection(port: try Self.port(http))
        let slowHead = try RawConnection(port: try Self.port(http))
        try slowHead.send("GET /healthz HTTP/1.1\r\nHost: local")
        for (connection, what) in [(silentTLS, "silent TLS"), (slowHandshake, "stalled handshake"), (silent, "silent HTTP"), (slowHead, "slow head")]
        {
            #expect(connection.readToEnd(limit: 30).closed, "\(what) connection still open")
        }
        // A complete request on a fresh connection is answered, then the idle connection is closed as well.
        let idle = try RawConnection(port: try Self.port(http))
        try idle.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let answered = idle.readToEnd(limit: 30)
        #expect(String(decoding: answered.data, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        #expect(answered.closed)
    }

    @Test func theClientRefusesPlainHTTPExceptToThisMachine() throws {
        let directory = try temporaryDirectory("plain-http")
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try TrocUser("jeanne", in: directory)
        for server in ["http://broker.example:8443", "http://192.168.1.20:8080", "HTTP://troc.example"] {
            let refused = try user.troc("login", "--server", server, "--token", "troc_" + String(repeating: "a", count: 43))
            #expect(refused.status == 1, "\(server): \(refused.status) \(refused.error)")
            #expect(refused.error.contains("https://") && refused.error.contains("127.0.0.1"), "\(server): \(refused.error)")
        }
        let daemon = try Daemon(in: directory, arguments: ["--dev", "--http", "--port", "0"])
        defer { daemon.stop() }
        let port = try Self.port(daemon)
        for server in ["http://127.0.0.1:\(port)", "http://localhost:\(port)"] {
            try user.succeed("login", "--server", server, "--token", try #require(daemon.operatorToken))
        }
    }

    @Test func theMasterKeyAndTheDevelopmentTLSKeyAre0600FromTheirFirstByte() throws {
        let directory = try temporaryDirectory("modes")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The kernel reports every chmod of a watched directory's files: none may follow their creation.
        let events = try FileEvents(watching: [directory.path])
        let daemon = try Daemon(in: directory)
        daemon.stop()
        let secrets = events.drain().filter { $0.name.hasPrefix("troc-master.key") || $0.name.hasPrefix("troc-dev-key.pem") }
        #expect(secrets.contains { $0.isCreation && $0.name.hasPrefix("troc-master.key") })
        #expect(secrets.contains { $0.isCreation && $0.name.hasPrefix("troc-dev-key.pem") })
        #expect(secrets.filter(\.isAttributeChange) == [], "\(secrets)")
        for name in ["troc-master.key", "troc-dev-key.pem"] {
            #expect(permissionBits(directory.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
    }
}

extension URL {
    /// Creates the directory (and its parents) and returns it.
    func creating() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}

/// `body`'s result, or `DeadlineExceeded` once `seconds` have passed.
func withDeadline<T: Sendable>(seconds: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw DeadlineExceeded(seconds: seconds)
        }
        defer { group.cancelAll() }
        return try #require(try await group.next())
    }
}

/// A request did not complete within its deadline.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let seconds: Int

    var description: String { "no answer within \(seconds) s" }
}
