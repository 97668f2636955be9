import Foundation
import TrocCore
package import TrocPostgres
import TrocStore

extension BrokerSetup {
    /// For `serve --dev`: a fresh enrolment code for the first operator if it has not enrolled in the console yet (older
    /// codes stop working), so a developer can sign in at `/console/enrol`; nil once it has.
    package static func developmentEnrolmentCode(configuration: ServerConfiguration, postgres: PostgresStore? = nil) async throws -> String? {
        let broker = try await Broker.open(configuration, postgres: postgres)
        guard let first = try await broker.store.users(organisationID: nil).first(where: { $0.role == .operator && $0.disabledAt == nil }),
            try await broker.store.consoleCredential(userID: first.id) == nil
        else { return nil }
        return try await broker.store.issueEnrolmentCode(userID: first.id, actor: .system, now: broker.clock()).code
    }
}
