import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocCrypto
import TrocStore

/// Organisations, users and tokens. Operators administer; a firm's first user, and any user it gives the right, administers
/// the firm's users; partners see only their own organisation; anyone manages their own tokens.
struct AccountController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("me", use: me)
        router.get("organisations", use: listOrganisations)
        router.post("organisations", use: createOrganisation)
        router.get("organisations/:organisationId", use: getOrganisation)
        router.put("organisations/:organisationId/public-key", use: registerPublicKey)
        router.put("organisations/:organisationId/naf", use: changeNAFCode)
        router.get("users", use: listUsers)
        router.post("users", use: createUser)
        router.post("users/:userId/disable", use: disableUser)
        router.get("users/:userId/tokens", use: listUserTokens)
        router.get("tokens", use: listTokens)
        router.post("tokens", use: createToken)
        router.delete("tokens/:tokenId", use: revokeToken)
    }

    /// Who the token belongs to; a partner also sees its firm's pending key change and the users operators added to it.
    @Sendable func me(_ request: Request, context: TrocRequestContext) async throws -> Me {
        let caller = try context.caller()
        guard let user = try await broker.store.user(id: caller.userID),
            let organisation = try await broker.store.organisation(id: caller.organisationID)
        else {
            throw AccessError.invalidToken
        }
        var me = Me(user: try await views([user])[0], organisation: try await broker.organisationView(organisation))
        if caller.role == .partner {
            let delay = try await broker.store.settings().keyChangeDelayHours
            me.pendingKeyChange = try await broker.store.openKeyChange(organisationID: organisation.id).map { KeyChange($0, delayHours: delay) }
            me.usersAddedByOperators = try await views(
                try await broker.store.users(organisationID: organisation.id).filter { $0.creationReason != nil })
        }
        return me
    }

    @Sendable func listOrganisations(_ request: Request, context: TrocRequestContext) async throws -> [Organisation] {
        let caller = try context.caller(in: .operator, .partner)
        let records =
            caller.role == .operator
            ? try await broker.store.organisations() : try await broker.store.organisation(id: caller.organisationID).map { [$0] } ?? []
        var views: [Organisation] = []
        for record in records { views.append(try await broker.organisationView(record)) }
        return views
    }

    @Sendable func createOrganisation(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<Organisation> {
        let caller = try context.caller(in: .operator)
        let new = try await request.decode(as: NewOrganisation.self, context: context)
        let record = try await AccountService(broker: broker).createOrganisation(new, caller: caller)
        context.logger.info("organisation registered", metadata: ["organisation": .string(record.id)])
        return EditedResponse(status: .created, response: try await broker.organisationView(record))
    }

    @Sendable func getOrganisation(_ request: Request, context: TrocRequestContext) async throws -> Organisation {
        let caller = try context.caller()
        let id = try context.parameters.require("organisationId")
        guard caller.role == .operator || caller.organisationID == id, let record = try await broker.store.organisation(id: id) else {
            throw AccessError.notFound("organisation")
        }
        return try await broker.organisationView(record)
    }

    /// An operator gives a firm another APE code, such as its NAF 2025 code once INSEE assigns it (audited, with a reason).
    @Sendable func changeNAFCode(_ request: Request, context: TrocRequestContext) async throws -> Organisation {
        let caller = try context.caller(in: .operator)
        let id = try context.parameters.require("organisationId")
        let change = try await request.decode(as: NAFCodeChange.self, context: context)
        guard let existing = try await broker.store.organisation(id: id), existing.kind == .partner else {
            throw AccessError.notFound("organisation")
        }
        guard !change.reason.trimmed.isEmpty else { throw RequestError.invalidField("reason", "say why: it goes in the audit trail") }
        let sectors = try await broker.sectors()
        let naf: NAFSubclass
        switch try OrganisationValidation.recognisedNAF(change.nafCode, nomenclature: change.nafNomenclature, sectors: sectors) {
        case .success(let subclass): naf = subclass
        case .failure(let error):
            throw ValidationFailure(
                subject: "NAF code", code: "organisation.invalid",
                fields: [FieldProblem(field: "nafCode", code: error.code, detail: error.description)])
        }
        let record = try await broker.store.changeNAFCode(
            organisationID: id, nafCode: naf.code, nomenclature: naf.nomenclature, reason: change.reason,
            actor: DealService(broker: broker).actor(caller),
            now: broker.clock())
        context.logger.info("NAF code changed", metadata: ["organisation": .string(id), "nomenclature": .string(naf.nomenclature.rawValue)])
        return Organisation(record, sectors: sectors)
    }

    /// A firm's first delivery key; a firm that has one asks for a key change instead (409 `key.already-registered`).
    @Sendable func registerPublicKey(_ request: Request, context: TrocRequestContext) async throws -> Organisation {
        let caller = try context.caller(in: .partner)
        let id = try context.parameters.require("organisationId")
        guard caller.organisationID == id else { throw AccessError.notFound("organisation") }
        let registration = try await request.decode(as: PublicKeyRegistration.self, context: context)
        let key = try Self.publicKey(registration.publicKey)
        let record = try await broker.store.registerFirstPublicKey(
            organisationID: id, publicKey: key, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        context.logger.info("delivery key registered", metadata: ["organisation": .string(id), "fingerprint": .string(key.fingerprint)])
        return try await broker.organisationView(record)
    }

    /// Operators see every user; a partner sees the users of its firm, with who created each and why.
    @Sendable func listUsers(_ request: Request, context: TrocRequestContext) async throws -> [User] {
        let caller = try context.caller(in: .operator, .partner)
        let records = try await broker.store.users(organisationID: caller.role == .operator ? nil : caller.organisationID)
        return try await views(records)
    }

    /// Operators create any user (with a reason when the firm already has one); a firm administrator creates its firm's users.
    @Sendable func createUser(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<CreatedUser> {
        let caller = try context.caller(in: .operator, .partner)
        let new = try await request.decode(as: NewUser.self, context: context)
        let created = try await AccountService(broker: broker).createUser(new, caller: caller)
        context.logger.info("user created", metadata: ["created": .string(created.user.id), "role": .string(new.role.rawValue)])
        return EditedResponse(status: .created, response: CreatedUser(user: try await views([created.user])[0], token: IssuedToken(created.token)))
    }

    /// Disables a user and revokes its tokens at once (operators, or the firm's administrators for its users).
    @Sendable func disableUser(_ request: Request, context: TrocRequestContext) async throws -> User {
        let caller = try context.caller(in: .operator, .partner)
        let id = try context.parameters.require("userId")
        let body = try await request.decode(as: UserDisable.self, context: context)
        let user = try await broker.store.disableUser(
            id: id, reason: body.reason, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        context.logger.info("user disabled", metadata: ["disabled": .string(id)])
        return try await views([user])[0]
    }

    /// A user's tokens, for the user itself, an operator, or an administrator of the user's firm.
    @Sendable func listUserTokens(_ request: Request, context: TrocRequestContext) async throws -> [TokenInfo] {
        let caller = try context.caller()
        let id = try context.parameters.require("userId")
        guard let user = try await broker.store.user(id: id), try await mayAdminister(user, caller: caller) else {
            throw AccessError.notFound("user")
        }
        return try await broker.store.tokens(userID: id).map(TokenInfo.init)
    }

    @Sendable func listTokens(_ request: Request, context: TrocRequestContext) async throws -> [TokenInfo] {
        let caller = try context.caller()
        return try await broker.store.tokens(userID: caller.userID).map(TokenInfo.init)
    }

    /// A new token for the caller, minted with the token that asks: it never outlives it and is revoked with it.
    @Sendable func createToken(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<IssuedToken> {
        let caller = try context.caller()
        let new = try await request.decode(as: NewToken.self, context: context)
        let days = new.expiresInDays ?? 90
        guard (1...365).contains(days) else { throw RequestError.invalidField("expiresInDays", "between 1 and 365") }
        let now = broker.clock()
        let issued = try await broker.store.mintToken(
            parentTokenID: caller.tokenID, label: new.label?.trimmed ?? "token", expiresAt: now.addingTimeInterval(Double(days) * 86_400),
            actor: DealService(broker: broker).actor(caller), now: now)
        return EditedResponse(status: .created, response: IssuedToken(issued))
    }

    /// Revokes a token and the tokens minted with it: the caller's own, any for an operator, its users' for a firm administrator.
    @Sendable func revokeToken(_ request: Request, context: TrocRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.caller()
        let id = try context.parameters.require("tokenId")
        _ = try await broker.store.revokeToken(id: id, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        return .noContent
    }

    /// Whether `caller` may see `user`'s tokens: itself, an operator, or an administrator of the user's firm.
    private func mayAdminister(_ user: UserRecord, caller: Identity) async throws -> Bool {
        if caller.userID == user.id || caller.role == .operator { return true }
        guard caller.role == .partner, caller.organisationID == user.organisationID, let me = try await broker.store.user(id: caller.userID) else {
            return false
        }
        return me.firmAdmin
    }

    /// The API form of users, with their creators' roles.
    private func views(_ records: [UserRecord]) async throws -> [User] {
        var creators: [String: UserRecord] = [:]
        var views: [User] = []
        for record in records {
            var creator: UserRecord?
            if let creatorID = record.createdByUserID {
                if let known = creators[creatorID] {
                    creator = known
                } else {
                    creator = try await broker.store.user(id: creatorID)
                }
                creators[creatorID] = creator
            }
            views.append(User(record, creator: creator))
        }
        return views
    }

    /// A PEM public key from a request body, or a 400 naming the field.
    static func publicKey(_ pem: String) throws -> EnvelopePublicKey {
        do {
            return try EnvelopePublicKey(pemText: pem)
        } catch {
            throw RequestError.invalidField("publicKey", error.description)
        }
    }
}
