package import Foundation
package import GRDB

/// A row of `console_credential`: how one user signs in to the web console.
package struct ConsoleCredentialRecord: StoreRecord {
    package static let databaseTableName = "console_credential"

    /// The user these credentials sign in.
    package var userID: String
    /// The name typed at sign-in, unique without regard to case.
    package var login: String
    /// The bcrypt hash of the password (`$2b$`, 60 characters).
    package var passwordHash: String
    /// The TOTP secret sealed under the broker's console key (operators and accountants always have one).
    package var totpSecretSealed: Data?
    /// The last TOTP time step accepted, so a code is never accepted twice.
    package var totpLastStep: Int64?
    /// When the user last enrolled.
    package var enrolledAt: Date

    /// Every field given.
    package init(userID: String, login: String, passwordHash: String, totpSecretSealed: Data?, totpLastStep: Int64?, enrolledAt: Date) {
        self.userID = userID
        self.login = login
        self.passwordHash = passwordHash
        self.totpSecretSealed = totpSecretSealed
        self.totpLastStep = totpLastStep
        self.enrolledAt = enrolledAt
    }

    /// Column references for queries.
    package enum Columns {
        /// The login name.
        package static let login = Column(CodingKeys.login)
        /// The last TOTP step accepted.
        package static let totpLastStep = Column(CodingKeys.totpLastStep)
    }
}

/// What a user gives when completing an enrolment; the server has already hashed the password and sealed the secret.
package struct ConsoleEnrolment: Sendable {
    /// The login name chosen.
    package var login: String
    /// The bcrypt hash of the chosen password.
    package var passwordHash: String
    /// The sealed TOTP secret, with the time step of the code that proved the authenticator was set up.
    package var totp: (sealedSecret: Data, confirmedStep: Int64)?
    /// The client's IP address, for the audit trail.
    package var clientAddress: String?

    /// An enrolment from its parts.
    package init(login: String, passwordHash: String, totp: (sealedSecret: Data, confirmedStep: Int64)?, clientAddress: String? = nil) {
        self.login = login
        self.passwordHash = passwordHash
        self.totp = totp
        self.clientAddress = clientAddress
    }
}
