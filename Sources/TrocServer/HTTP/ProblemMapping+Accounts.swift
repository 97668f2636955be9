import TrocCore
import TrocStore

extension ProblemMapping {
    /// The problem for a refusal of the account rules (users, tokens, delivery keys).
    static func account(_ refusal: AccountRefusal) -> Problem {
        let detail = refusal.description
        switch refusal {
        case .keyAlreadyRegistered:
            return make(409, "key.already-registered", "Key already registered", detail)
        case .keyNotRegistered:
            return make(409, "key.not-registered", "No key to change", detail)
        case .keyUnchanged:
            return make(422, "key.unchanged", "Same key", detail)
        case .keyChangeOpen:
            return make(409, "key-change.open", "Key change pending", detail)
        case .keyChangeNotFound:
            return make(404, "not-found", "Not found", "no key change with that id is visible to you")
        case .keyChangeState:
            return make(409, "key-change.state", "Not in this state", detail)
        case .fingerprintMismatch:
            return Problem(
                type: typeURI("key-change.fingerprint-mismatch"), title: "Fingerprint does not match", status: 422, detail: detail,
                code: "key-change.fingerprint-mismatch",
                errors: [FieldProblem(field: "confirmedFingerprint", code: "mismatch", detail: "not the requested key's fingerprint")])
        case .reasonRequired(let subject, _):
            return Problem(
                type: typeURI("\(subject).reason-required"), title: "Reason required", status: 422, detail: detail,
                code: "\(subject).reason-required",
                errors: [FieldProblem(field: "reason", code: "missing", detail: "say why: it goes in the audit trail")])
        case .firmAdminRequired:
            return make(403, "user.firm-admin-required", "Firm administrator required", detail)
        case .selfDisable:
            return make(422, "user.self-disable", "Cannot disable yourself", detail)
        case .deliveryKeyMissing:
            return make(409, "delivery.no-key", "No delivery key", detail)
        }
    }
}
