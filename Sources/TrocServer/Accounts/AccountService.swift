import Foundation
import TrocCore
import TrocStore

/// Registering firms and adding users, shared by the API and the console so both apply the same rules.
struct AccountService {
    let broker: Broker

    /// Validates and registers a partner firm (operators), audited.
    func createOrganisation(_ new: NewOrganisation, caller: Identity) async throws -> OrganisationRecord {
        guard caller.role == .operator else { throw AccessError.forbiddenRole(caller.role, allowed: [.operator]) }
        let draft = try OrganisationValidation.validate(new, sectors: try await broker.sectors())
        let record = try await broker.store.createOrganisation(draft, now: broker.clock())
        _ = try await broker.store.recordAudit(
            AuditDraft(
                action: .organisationCreate, actor: DealService(broker: broker).actor(caller), organisationID: record.id,
                detail: [
                    "organisation": .string(record.id), "naf": .string(record.nafCode), "nomenclature": .string(record.nafNomenclature.rawValue),
                    "vatStatus": AuditValue(draft.vatStatus?.regime.rawValue),
                ]),
            now: broker.clock())
        return record
    }

    /// Adds a user with its first token: operators add anyone (with a reason when the firm already has users); a firm
    /// administrator adds partner users to its firm.
    func createUser(_ new: NewUser, caller: Identity) async throws -> CreatedAccount {
        guard caller.role == .operator || caller.role == .partner else {
            throw AccessError.forbiddenRole(caller.role, allowed: [.operator, .partner])
        }
        let name = new.name.trimmed
        guard !name.isEmpty, name.count <= 200, !name.hasControlCharacters else {
            throw ValidationFailure(
                subject: "user", code: "user.invalid",
                fields: [FieldProblem(field: "name", code: "invalid", detail: "1 to 200 characters, none of them a control character")])
        }
        let organisationID = try await organisation(of: new, createdBy: caller)
        let now = broker.clock()
        let email = new.email?.trimmed
        if let email, email.hasControlCharacters {
            throw ValidationFailure(
                subject: "user", code: "user.invalid", fields: [FieldProblem(field: "email", code: "invalid", detail: "no control characters")])
        }
        return try await broker.store.addUser(
            UserDraft(
                organisationID: organisationID, role: new.role, name: name, email: email?.isEmpty == true ? nil : email,
                firmAdmin: new.firmAdmin ?? false),
            reason: new.reason, firstTokenExpiresAt: now.addingTimeInterval(90 * 86_400), creator: DealService(broker: broker).actor(caller),
            now: now)
    }

    /// The organisation a new user joins: operators name any; a firm administrator adds partner users to its own firm.
    private func organisation(of new: NewUser, createdBy caller: Identity) async throws -> String {
        switch (caller.role, new.role) {
        case (.partner, .partner):
            guard new.organisationId == nil || new.organisationId == caller.organisationID else { throw AccessError.notFound("organisation") }
            return caller.organisationID
        case (.partner, _):
            throw ValidationFailure(
                subject: "user", code: "user.invalid",
                fields: [FieldProblem(field: "role", code: "invalid", detail: "a firm's administrator adds partner users of its own firm")])
        case (_, .partner):
            guard let id = new.organisationId else {
                throw ValidationFailure(
                    subject: "user", code: "user.invalid",
                    fields: [FieldProblem(field: "organisationId", code: "missing", detail: "a partner user belongs to a partner organisation")])
            }
            guard try await broker.store.organisation(id: id) != nil else { throw AccessError.notFound("organisation") }
            return id
        case (_, .operator), (_, .accountant):
            guard let brokerOrganisation = try await broker.store.brokerOrganisation() else { throw AccessError.notFound("broker organisation") }
            if let id = new.organisationId, id != brokerOrganisation.id {
                throw ValidationFailure(
                    subject: "user", code: "user.invalid",
                    fields: [
                        FieldProblem(field: "organisationId", code: "invalid", detail: "operators and accountants belong to the broker organisation")
                    ])
            }
            return brokerOrganisation.id
        }
    }
}
