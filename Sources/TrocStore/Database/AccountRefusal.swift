package import TrocCore

/// Why the store refused a change to users, tokens or delivery keys: each says what is wrong and what to do instead.
package enum AccountRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The firm already has a delivery key: a new one goes through a key change.
    case keyAlreadyRegistered(organisationID: String, fingerprint: String)
    /// A key change was asked for a firm that has no key yet: its first key is simply registered.
    case keyNotRegistered(organisationID: String)
    /// The key asked for is the one already registered.
    case keyUnchanged(fingerprint: String)
    /// Another change of the firm's key is still requested or approved.
    case keyChangeOpen(id: String, state: KeyChangeState)
    /// No key change has this id, or the caller may not see it.
    case keyChangeNotFound(id: String)
    /// The key change is not in a state `action` starts from.
    case keyChangeState(id: String, state: KeyChangeState, action: String)
    /// The fingerprint the operator confirmed is not the requested key's.
    case fingerprintMismatch(confirmed: String, requested: String)
    /// The action needs a written reason; `subject` prefixes the problem code (`user`, `key-change`).
    case reasonRequired(subject: String, why: String)
    /// Only a user of the firm holding the firm-admin right (or an operator) may do this.
    case firmAdminRequired(organisationID: String)
    /// Nobody disables their own account: another administrator does.
    case selfDisable(userID: String)
    /// The recipient firm has no delivery key to seal to.
    case deliveryKeyMissing(organisationID: String)

    package var description: String {
        switch self {
        case .keyAlreadyRegistered(let organisationID, let fingerprint):
            "organisation \(organisationID) already has a delivery key (fingerprint \(fingerprint)); a new key is a key change that an "
                + "operator approves after confirming its fingerprint with the firm: `troc keys request` "
                + "(POST /v1/organisations/\(organisationID)/key-changes)"
        case .keyNotRegistered(let organisationID):
            "organisation \(organisationID) has no delivery key yet, so there is nothing to change: register the first one with `troc keygen`"
        case .keyUnchanged(let fingerprint):
            "the key given is the one already registered (fingerprint \(fingerprint)); generate a new key pair to change it"
        case .keyChangeOpen(let id, let state):
            "key change \(id) is already \(state.rawValue) for this firm; cancel it first (`troc keys cancel \(id)`) to ask for another key"
        case .keyChangeNotFound(let id):
            "no key change has id \(id)"
        case .keyChangeState(let id, let state, let action):
            "key change \(id) is \(state.rawValue), so it cannot be \(action); "
                + (state.isOpen ? "only a requested change is approved or refused" : "ask for a new change instead")
        case .fingerprintMismatch(let confirmed, let requested):
            "the fingerprint confirmed (\(confirmed)) is not the requested key's (\(requested)); read it again with the firm, by telephone "
                + "or in person and not through the channel the request came by, before approving"
        case .reasonRequired(_, let why):
            why
        case .firmAdminRequired(let organisationID):
            "only a user of organisation \(organisationID) with the firm-admin right, or an operator, can do this; ask your firm's administrator"
        case .selfDisable(let userID):
            "user \(userID) cannot disable itself; ask another administrator of the firm or an operator"
        case .deliveryKeyMissing(let organisationID):
            "organisation \(organisationID) has no delivery key to seal to; register the firm's public key with `troc keygen` first"
        }
    }
}
