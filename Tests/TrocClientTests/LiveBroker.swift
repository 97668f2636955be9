import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TrocClient
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore
import TrocTestSupport

/// A broker on a temporary data directory served over a real socket, so the tests talk to it through `TrocAPIClient`
/// exactly as `troc` does.
struct LiveBroker {
    let broker: Broker
    let directory: URL
    let operatorToken: String

    /// A fresh broker, set up with its operator.
    static func make() async throws -> LiveBroker {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-client-\(UUID().uuidString)")
        let configuration = ServerConfiguration(
            dataDirectory: directory.path, host: "127.0.0.1", port: 0, transport: .http, masterKey: MasterKey.generate(), maxUploadBytes: 64 << 20,
            ingestThreads: 2)
        let broker = try Broker.open(configuration)
        let token = try await BrokerSetup.initialise(broker, identity: .development, operatorName: "Olivia Operator", email: "olivia@troc.example")
        return LiveBroker(broker: broker, directory: directory, operatorToken: token)
    }

    /// Serves the broker on a free port while `body` runs, handing it a client that authenticates with `token` (the operator's by default).
    func serve(
        _ body: @Sendable (_ connect: @Sendable (_ token: String?) throws -> TrocAPIClient, _ operatorClient: TrocAPIClient) async throws -> Void
    )
        async throws
    {
        let token = operatorToken
        try await Application(router: try buildRouter(broker)).test(.live) { testClient in
            let base = "http://127.0.0.1:\(try #require(testClient.port))"
            let connect: @Sendable (String?) throws -> TrocAPIClient = { try TrocAPIClient(server: base, token: $0, certificateAuthorityPEM: nil) }
            let operatorClient = try connect(token)
            do {
                try await body(connect, operatorClient)
            } catch {
                await operatorClient.shutdown()
                throw error
            }
            await operatorClient.shutdown()
        }
    }

    /// Removes the temporary directory.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Two partner firms of complementary sectors (window joinery, heating), as the operator registers them.
enum TwoFirms {
    static let joinery = SampleFirms.joinery
    static let heating = SampleFirms.heating

    /// Registers `json`'s firm and its first user through the typed client; returns the organisation and the user's token.
    static func register(_ json: String, user: String, with operatorClient: TrocAPIClient) async throws -> (Organisation, String) {
        let organisation = try await operatorClient.createOrganisation(try JSONDecoder().decode(NewOrganisation.self, from: Data(json.utf8)))
        let created = try await operatorClient.createUser(NewUser(name: user, email: nil, role: .partner, organisationId: organisation.id))
        return (organisation, created.token.token)
    }
}
