import Foundation
import TrocCore

/// The audit entries of a firm's billing terms, built once for both record stores.
extension AuditDraft {
    /// A firm's VAT status recorded or changed, before and after.
    package static func vatStatusSet(from before: VATStatusRecord?, to after: VATStatusRecord, by actor: AuditActor, reason: String?) -> AuditDraft {
        func value(_ record: VATStatusRecord?) -> AuditValue {
            guard let record else { return .null }
            return [
                "regime": .string(record.regime.rawValue), "vatNumber": AuditValue(record.vatNumber), "territory": .string(record.territory),
                "checkMethod": AuditValue(record.vatNumberCheckMethod?.rawValue),
            ]
        }
        return AuditDraft(
            action: .organisationVATStatus, actor: actor, organisationID: after.organisationID,
            detail: ["before": value(before), "after": value(after)],
            reason: reason)
    }

    /// A firm's account registered or changed, before and after.
    package static func bankAccountSet(from before: BankAccountRecord?, to after: BankAccountRecord, by actor: AuditActor, reason: String?)
        -> AuditDraft
    {
        // The audit trail outlives erasure: it keeps enough of the IBAN to tell accounts apart, not the account itself.
        func masked(_ row: BankAccountRecord?) -> AuditValue {
            guard let row, let account = try? row.account() else { return .null }
            return ["iban": .string(account.masked), "bic": .string(account.bic.text)]
        }
        return AuditDraft(
            action: .organisationBankAccount, actor: actor, organisationID: after.organisationID,
            detail: ["before": masked(before), "after": masked(after)], reason: reason)
    }

    /// A billing mandate accepted.
    package static func mandateAccepted(_ mandate: BillingMandateRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .mandateAccept, actor: actor, organisationID: mandate.organisationID,
            detail: [
                "mandate": .string(mandate.id), "wordingVersion": .string(mandate.wordingVersion), "scope": .string(mandate.scope),
                "contestDays": AuditValue(mandate.contestDays),
            ])
    }

    /// A billing mandate withdrawn, with the reason as the firm gave it.
    package static func mandateWithdrawn(_ mandate: BillingMandateRecord, by actor: AuditActor, reason: String?) -> AuditDraft {
        AuditDraft(
            action: .mandateWithdraw, actor: actor, organisationID: mandate.organisationID, detail: ["mandate": .string(mandate.id)],
            reason: reason?.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
