import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocStore

/// Console enrolment codes through the API: operators issue them for any user, a firm's administrators for its users.
struct EnrolmentController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.post("users/:userId/enrolment-code", use: issue)
    }

    /// A new one-time code for the user (its older unused codes stop working), shown once.
    @Sendable func issue(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<EnrolmentCode> {
        let caller = try context.caller(in: .operator, .partner)
        let userID = try context.parameters.require("userId")
        let issued = try await broker.store.issueEnrolmentCode(userID: userID, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        context.logger.info("enrolment code issued", metadata: ["for": .string(userID), "code": .string(issued.record.id)])
        return EditedResponse(status: .created, response: EnrolmentCode(userId: userID, code: issued.code, expiresAt: issued.record.expiresAt))
    }
}
