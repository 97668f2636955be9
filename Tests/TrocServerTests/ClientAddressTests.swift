import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

/// The client address the audit trail records: the connection's peer, or what a trusted reverse proxy says in
/// `X-Forwarded-For`, and never what a client says about itself.
@Suite struct ClientAddressTests {
    @Test(
        "addresses are parsed in every spelling and printed canonically",
        arguments: [
            ("127.0.0.1", "127.0.0.1"), (" 203.0.113.7 ", "203.0.113.7"), ("::1", "::1"), ("[::1]", "::1"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
            ("::ffff:10.1.2.3", "10.1.2.3"), ("::FFFF:7f00:1", "127.0.0.1"),
        ])
    func canonical(text: String, expected: String) throws {
        #expect(try #require(IPAddress(text)).description == expected)
    }

    @Test(
        "anything but an address is refused",
        arguments: ["", "unknown", "example.com", "203.0.113.7:443", "1.2.3", "300.1.1.1", "1.2.3.4/8", "::1%lo", "[::1"])
    func refused(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("trusted ranges match by prefix, never across families, and bad values say what is expected")
    func ranges() throws {
        let proxies = try TrustedProxies(["127.0.0.1", "10.0.0.0/8", "fd00::/8", "192.168.1.128/25"])
        for (address, trusted) in [
            ("127.0.0.1", true), ("127.0.0.2", false), ("10.200.3.4", true), ("11.0.0.1", false), ("fd12::1", true), ("fe80::1", false),
            ("192.168.1.200", true), ("192.168.1.100", false), ("::ffff:10.0.0.1", true), ("::1", false),
        ] {
            #expect(proxies.trusts(try #require(IPAddress(address))) == trusted, "\(address)")
        }
        #expect(try TrustedProxies(["0.0.0.0/0"]).trusts(try #require(IPAddress("198.51.100.1"))))
        let prefix = try #require(throws: TrustedProxyError.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(prefix.value == "10.0.0.0/33" && prefix.reason == "the prefix length after / must be 0 to 32")
        let name = try #require(throws: TrustedProxyError.self) { try TrustedProxies(["127.0.0.1", "proxy.local"]) }
        #expect(
            name.description
                == "--trusted-proxy proxy.local: not an IPv4 or IPv6 address; give an address such as 127.0.0.1 or ::1, or a network such as 10.0.0.0/8"
        )
    }

    @Test(
        "the header counts only from a trusted peer, read from the nearest hop",
        arguments: [
            // (peer, X-Forwarded-For field values, client)
            ("198.51.100.9", ["203.0.113.7"], "198.51.100.9"),  // a client naming someone else: ignored
            ("127.0.0.1", [], "127.0.0.1"),  // the proxy without the header: the proxy
            ("127.0.0.1", ["203.0.113.7"], "203.0.113.7"),
            ("127.0.0.1", ["198.51.100.1, 203.0.113.7"], "203.0.113.7"),  // the client's own forgery stays on the left
            ("127.0.0.1", ["198.51.100.1", "203.0.113.7, 10.1.1.1"], "203.0.113.7"),  // through two trusted hops, several fields
            ("127.0.0.1", ["10.1.1.1, 10.2.2.2"], "10.1.1.1"),  // every hop trusted: the farthest
            ("127.0.0.1", ["203.0.113.7, junk"], "127.0.0.1"),  // a hop that is no address: stop at the last checked one
            ("127.0.0.1", ["junk, 203.0.113.7"], "203.0.113.7"),
            ("127.0.0.1", [" [2001:db8::7] "], "2001:db8::7"),
        ])
    func resolution(peer: String, forwardedFor: [String], client: String) throws {
        let proxies = try TrustedProxies(["127.0.0.1", "10.0.0.0/8"])
        #expect(proxies.clientAddress(peer: IPAddress(peer), forwardedFor: forwardedFor)?.description == client)
    }

    @Test("without trusted proxies nothing a request says is believed, and no peer means no address")
    func defaults() throws {
        #expect(TrustedProxies.none.clientAddress(peer: IPAddress("127.0.0.1"), forwardedFor: ["203.0.113.7"])?.description == "127.0.0.1")
        #expect(try TrustedProxies(["127.0.0.1"]).clientAddress(peer: nil, forwardedFor: ["203.0.113.7"]) == nil)
    }

    /// A broker trusting `proxies`, served over real HTTP on loopback.
    static func broker(trusting proxies: [String]) async throws -> (Broker, String, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-address-\(UUID().uuidString)")
        var configuration = ServerConfiguration(
            dataDirectory: directory.path, host: "127.0.0.1", port: 0, transport: .http, masterKey: MasterKey.generate(), ingestThreads: 1)
        configuration.trustedProxies = try TrustedProxies(proxies)
        let broker = try Broker.open(configuration)
        let token = try await BrokerSetup.initialise(broker, identity: .development, operatorName: "Olivia Operator", email: nil)
        return (broker, token, directory)
    }

    /// Adds a suppression (an audited write) over a real connection from 127.0.0.1, with `forwardedFor` if given, and
    /// returns the address its audit entry recorded.
    static func recordedAddress(trusting proxies: [String], forwardedFor: String?) async throws -> String? {
        let (broker, token, directory) = try await broker(trusting: proxies)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Application(router: buildRouter(broker)).test(.live) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            headers[.contentType] = "application/json"
            if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
            let response = try await client.execute(
                uri: "/v1/suppressions", method: .post, headers: headers, body: ByteBuffer(string: #"{"values": ["a@example.fr"]}"#))
            #expect(response.status == .created)
        }
        let entry = try #require(try await broker.store.auditEntries(dealID: nil, limit: 1000, afterSeq: 0).last)
        #expect(entry.action == "suppression.add")
        return entry.clientAddress
    }

    @Test("over a real connection the audit records the peer, and a trusted proxy's X-Forwarded-For")
    func audited() async throws {
        #expect(try await Self.recordedAddress(trusting: [], forwardedFor: nil) == "127.0.0.1")
        #expect(try await Self.recordedAddress(trusting: [], forwardedFor: "203.0.113.7") == "127.0.0.1")
        #expect(try await Self.recordedAddress(trusting: ["127.0.0.1"], forwardedFor: "203.0.113.7") == "203.0.113.7")
        #expect(try await Self.recordedAddress(trusting: ["127.0.0.1"], forwardedFor: nil) == "127.0.0.1")
    }

    @Test("operators read the address in the audit API; the broker's own actions have none")
    func exposed() async throws {
        let (broker, token, directory) = try await Self.broker(trusting: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Application(router: buildRouter(broker)).test(.live) { client in
            _ = try await client.call(.post, "/v1/suppressions", token: token, json: #"{"values": ["a@example.fr"]}"#)
            let entries = try await client.decoded([AuditEntryView].self, .get, "/v1/audit", token: token)
            #expect(entries.first { $0.action == "suppression.add" }?.clientAddress == "127.0.0.1")
            let setUp = try #require(entries.first { $0.action == "settings.update" })
            #expect(setUp.clientAddress == nil && setUp.actorUserId == nil)
        }
    }
}
