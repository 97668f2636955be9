import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocCrypto
import TrocStore

/// Organisations, users and tokens. Operators administer; partners see only their own organisation;
/// anyone manages their own tokens.
struct AccountController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("me", use: me)
        router.get("organisations", use: listOrganisations)
        router.post("organisations", use: createOrganisation)
        router.get("organisations/:organisationId", use: getOrganisation)
        router.put("organisations/:organisationId/public-key", use: registerPublicKey)
        router.get("users", use: listUsers)
        router.post("users", use: createUser)
        router.get("tokens", use: listTokens)
        router.post("tokens", use: createToken)
        router.delete("tokens/:tokenId", use: revokeToken)
    }

    @Sendable func me(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller()
        guard let user = try broker.database.user(id: caller.userID), let organisation = try broker.database.organisation(id: caller.organisationID)
        else {
            throw AccessError.invalidToken
        }
        return try JSONResponse.make(Me(user: User(user), organisation: try broker.organisationView(organisation)))
    }

    @Sendable func listOrganisations(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller(in: .operator, .partner)
        let records =
            caller.role == .operator
            ? try broker.database.organisations() : try broker.database.organisation(id: caller.organisationID).map { [$0] } ?? []
        return try JSONResponse.make(try records.map(broker.organisationView))
    }

    @Sendable func createOrganisation(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try context.caller(in: .operator)
        let new = try await request.decode(as: NewOrganisation.self, context: context)
        let draft = try OrganisationValidation.validate(new, sectors: try broker.sectors())
        let record = try broker.database.createOrganisation(draft, now: broker.clock())
        _ = try broker.database.recordAudit(
            AuditDraft(
                action: .organisationCreate, actor: DealService(broker: broker).actor(try context.caller()), organisationID: record.id,
                detail: [
                    "organisation": .string(record.id), "naf": .string(record.nafCode), "vatStatus": AuditValue(draft.vatStatus?.regime.rawValue),
                ]), now: broker.clock())
        context.logger.info("organisation registered", metadata: ["organisation": .string(record.id)])
        return try JSONResponse.make(try broker.organisationView(record), status: .created)
    }

    @Sendable func getOrganisation(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller()
        let id = try context.parameters.require("organisationId")
        guard caller.role == .operator || caller.organisationID == id, let record = try broker.database.organisation(id: id) else {
            throw AccessError.notFound("organisation")
        }
        return try JSONResponse.make(try broker.organisationView(record))
    }

    @Sendable func registerPublicKey(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller(in: .partner)
        let id = try context.parameters.require("organisationId")
        guard caller.organisationID == id else { throw AccessError.notFound("organisation") }
        let registration = try await request.decode(as: PublicKeyRegistration.self, context: context)
        let key: EnvelopePublicKey
        do {
            key = try EnvelopePublicKey(pemText: registration.publicKey)
        } catch {
            throw RequestError.invalidField("publicKey", error.description)
        }
        let record = try broker.database.setPublicKey(organisationID: id, publicKey: key)
        context.logger.info("delivery key registered", metadata: ["organisation": .string(id), "fingerprint": .string(key.fingerprint)])
        return try JSONResponse.make(try broker.organisationView(record))
    }

    @Sendable func listUsers(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try context.caller(in: .operator)
        return try JSONResponse.make(try broker.database.users().map(User.init))
    }

    @Sendable func createUser(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try context.caller(in: .operator)
        let new = try await request.decode(as: NewUser.self, context: context)
        let name = new.name.trimmed
        guard !name.isEmpty, name.count <= 200 else {
            throw ValidationFailure(
                subject: "user", code: "user.invalid", fields: [FieldProblem(field: "name", code: "invalid", detail: "1 to 200 characters")])
        }
        let organisationID: String
        switch new.role {
        case .partner:
            guard let id = new.organisationId else {
                throw ValidationFailure(
                    subject: "user", code: "user.invalid",
                    fields: [FieldProblem(field: "organisationId", code: "missing", detail: "a partner user belongs to a partner organisation")])
            }
            guard try broker.database.organisation(id: id) != nil else { throw AccessError.notFound("organisation") }
            organisationID = id
        case .operator, .accountant:
            guard let brokerOrganisation = try broker.database.brokerOrganisation() else { throw AccessError.notFound("broker organisation") }
            if let id = new.organisationId, id != brokerOrganisation.id {
                throw ValidationFailure(
                    subject: "user", code: "user.invalid",
                    fields: [
                        FieldProblem(field: "organisationId", code: "invalid", detail: "operators and accountants belong to the broker organisation")
                    ])
            }
            organisationID = brokerOrganisation.id
        }
        let now = broker.clock()
        let user = try broker.database.createUser(organisationID: organisationID, role: new.role, name: name, email: new.email?.trimmed, now: now)
        let issued = try broker.database.issueToken(userID: user.id, label: "first token", expiresAt: now.addingTimeInterval(90 * 86_400), now: now)
        _ = try broker.database.recordAudit(
            AuditDraft(
                action: "user.create", actor: DealService(broker: broker).actor(try context.caller()), organisationID: organisationID,
                detail: ["user": .string(user.id), "role": .string(new.role.rawValue), "token": .string(issued.token.id)]), now: now)
        context.logger.info("user created", metadata: ["created": .string(user.id), "role": .string(new.role.rawValue)])
        return try JSONResponse.make(CreatedUser(user: User(user), token: IssuedToken(issued)), status: .created)
    }

    @Sendable func listTokens(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller()
        return try JSONResponse.make(try broker.database.tokens(userID: caller.userID).map(TokenInfo.init))
    }

    @Sendable func createToken(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller()
        let new = try await request.decode(as: NewToken.self, context: context)
        let days = new.expiresInDays ?? 90
        guard (1...365).contains(days) else { throw RequestError.invalidField("expiresInDays", "between 1 and 365") }
        let now = broker.clock()
        let issued = try broker.database.issueToken(
            userID: caller.userID, label: new.label?.trimmed ?? "token", expiresAt: now.addingTimeInterval(Double(days) * 86_400), now: now)
        return try JSONResponse.make(IssuedToken(issued), status: .created)
    }

    @Sendable func revokeToken(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller()
        let id = try context.parameters.require("tokenId")
        let own = try broker.database.tokens(userID: caller.userID).contains { $0.id == id }
        guard own || caller.role == .operator else { throw AccessError.notFound("token") }
        defer {
            _ = try? broker.database.recordAudit(
                AuditDraft(action: .tokenRevoke, actor: DealService(broker: broker).actor(caller), detail: ["token": .string(id)]),
                now: broker.clock())
        }
        do {
            _ = try broker.database.revokeToken(id: id, revokedAt: broker.clock())
        } catch {
            if case .tokenNotFound = error { throw AccessError.notFound("token") }
            throw error
        }
        return JSONResponse.noContent()
    }
}
