package import Foundation
package import TrocCore

/// The checks every record store makes before it writes, whatever its engine: the SQLite store and the PostgreSQL
/// store call these, so a field is refused with the same words by both.
package enum StoreRules {
    /// `reason` trimmed, or the error saying one is needed.
    package static func requiredReason(_ reason: String) throws(StoreError) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw .invalidField(field: "reason", value: reason, reason: "a reason is required and recorded in the audit trail")
        }
        return trimmed
    }

    /// Checks the shapes the schema also checks, to say which field is wrong and why.
    package static func validate(_ new: OrganisationDraft) throws(StoreError) {
        func digits(_ text: String, count: Int) -> Bool { text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        func isUppercase(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
        guard !new.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(field: "name", value: new.name, reason: "the legal name is empty")
        }
        let country = Array(new.countryCode.utf8)
        guard country.count == 2, country.allSatisfy(isUppercase) else {
            throw .invalidField(
                field: "countryCode", value: new.countryCode, reason: "an ISO 3166-1 alpha-2 code is two uppercase letters, such as FR")
        }
        if let siren = new.siren, !digits(siren, count: 9) {
            throw .invalidField(field: "siren", value: siren, reason: "a SIREN is 9 digits, without spaces")
        }
        if new.countryCode == "FR", new.siren == nil {
            throw .invalidField(field: "siren", value: "", reason: "a French organisation needs its SIREN")
        }
        if let siret = new.siret {
            guard digits(siret, count: 14) else {
                throw .invalidField(field: "siret", value: siret, reason: "a SIRET is 14 digits, without spaces")
            }
            guard let siren = new.siren, siret.hasPrefix(siren) else {
                throw .invalidField(
                    field: "siret", value: siret, reason: "a SIRET starts with the organisation's SIREN (\(new.siren ?? "none given"))")
            }
        }
        try validateNAF(new.nafCode, new.nafNomenclature)
    }

    /// A reason as stored: trimmed, nil when blank.
    package static func optionalReason(_ reason: String?) -> String? {
        guard let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// Whether `creator` may add a user to `organisation`, which has `existingUsers`: the reason to store with the user,
    /// and whether the creator must also hold the firm's admin right (which the caller checks against its rows).
    ///
    /// A firm's first user is created by an operator (or the broker's set-up); further users by the firm's administrator,
    /// or by an operator who then gives a reason, stored with the user so the firm's users see it.
    package static func admitUser(by creator: AuditActor, to organisation: OrganisationRecord, existingUsers: Int, reason: String?)
        throws(StoreError) -> (storedReason: String?, needsFirmAdmin: Bool)
    {
        switch creator.role {
        case .operator where organisation.kind == .partner && existingUsers > 0:
            guard let reason else {
                throw .account(
                    .reasonRequired(
                        subject: "user",
                        why: "\(organisation.name) (\(organisation.id)) already has \(existingUsers) user(s): its firm administrator adds the "
                            + "others; an operator who adds one must give a reason, which is audited and shown to the firm's users"))
            }
            return (reason, false)
        case .operator, nil:
            return (nil, false)
        case .partner, .accountant:
            return (nil, true)
        }
    }

    /// Whether `actor` must hold the firm-admin right of `user`'s firm to disable it (operators need not); a user of
    /// another firm answers as not found, and nobody disables itself.
    package static func disableNeedsFirmAdmin(_ actor: AuditActor, user: UserRecord) throws(StoreError) -> Bool {
        guard actor.userID != user.id else { throw .account(.selfDisable(userID: user.id)) }
        switch actor.role {
        case .operator, nil:
            return false
        case .partner, .accountant:
            guard actor.organisationID == user.organisationID else { throw .userNotFound(id: user.id) }
            return true
        }
    }

    /// Whether `actor` may revoke a token of `owner` without being its firm's administrator: its own user or an operator.
    package static func mayRevokeWithoutFirmAdmin(_ actor: AuditActor, owner: UserRecord) -> Bool {
        actor.userID == owner.id || actor.role == .operator || actor.role == nil
    }

    /// Whether `actor` must hold the firm-admin right of `user`'s firm to issue it an enrolment code (operators need not);
    /// anyone of another firm is told the user does not exist.
    package static func enrolmentNeedsFirmAdmin(_ actor: AuditActor, user: UserRecord) -> Bool {
        switch actor.role {
        case .operator, nil: false
        case .partner, .accountant: true
        }
    }

    /// Refuses an enrolment code that was used, revoked or has expired, or whose user is disabled.
    package static func checkEnrolmentCode(_ record: EnrolmentCodeRecord, of user: UserRecord, now: Date) throws(StoreError) {
        if let usedAt = record.usedAt { throw .console(.enrolmentCodeUsed(usedAt: usedAt)) }
        if let revokedAt = record.revokedAt { throw .console(.enrolmentCodeRevoked(revokedAt: revokedAt)) }
        if now >= record.expiresAt { throw .console(.enrolmentCodeExpired(expiredAt: record.expiresAt)) }
        if let disabledAt = user.disabledAt { throw .userDisabled(id: user.id, disabledAt: disabledAt) }
    }

    /// `user` as the actor of a sign-in step, with the client's address when there is one (the audit trail holds IP
    /// addresses only, and a connection without one is counted under a placeholder by the rate limits).
    package static func consoleActor(_ user: UserRecord, address: String?) -> AuditActor {
        var actor = AuditActor(user)
        if let address, (2...45).contains(address.count), address.allSatisfy({ "0123456789abcdef.:".contains($0) }) {
            actor.clientAddress = address
        }
        return actor
    }

    /// Whether `user` (the actor's row) is an enabled user of `organisationID` holding the firm-admin right.
    package static func isFirmAdmin(_ user: UserRecord?, of organisationID: String) -> Bool {
        guard let user else { return false }
        return user.organisationID == organisationID && user.firmAdmin && user.disabledAt == nil
    }

    /// Checks that `code` is a sub-class of `nomenclature`.
    package static func validateNAF(_ code: String, _ nomenclature: NAFNomenclature) throws(StoreError) {
        guard ReferenceData.embedded.subclass(code, in: nomenclature) != nil else {
            throw .invalidField(
                field: "nafCode", value: code,
                reason: "not a \(nomenclature.name) sub-class code (expected the form \(nomenclature == .rev2 ? "62.01Z" : "62.01Y"))")
        }
    }

    /// Checks a user's name (the schema refuses a blank one too, without saying which field).
    package static func validateUserName(_ name: String) throws(StoreError) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(field: "name", value: name, reason: "a user needs a name")
        }
    }

    /// Checks that a token would expire after it is issued.
    package static func validateExpiry(_ expiresAt: Date, now: Date) throws(StoreError) {
        guard Timestamp.seconds(expiresAt) > Timestamp.seconds(now) else { throw .expiryNotInFuture(expiresAt: expiresAt, now: now) }
    }

    /// The firm-admin right of a new user: a partner firm's first user holds it, later ones when asked.
    package static func firmAdmin(_ draft: UserDraft, isFirstOfOrganisation: Bool) -> Bool {
        draft.role == .partner && (isFirstOfOrganisation || draft.firmAdmin)
    }

    /// `text` with LIKE's wildcards and the escape character (a backslash) escaped, for a pattern `… ESCAPE '\'`.
    package static func escapedLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
