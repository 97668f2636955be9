package import TrocCore

/// Users and API tokens.
extension TrocAPIClient {
    /// `GET /v1/users`.
    package func users() async throws(ClientError) -> [User] { try await call(Endpoint(.listUsers)) }

    /// `POST /v1/users`: the new user and its first token.
    package func createUser(_ new: NewUser) async throws(ClientError) -> CreatedUser { try await call(Endpoint(.createUser), new) }

    /// `POST /v1/users/{userId}/disable`.
    package func disableUser(_ id: String, _ disable: UserDisable) async throws(ClientError) -> User {
        try await call(Endpoint(.disableUser, id), disable)
    }

    /// `POST /v1/users/{userId}/enrolment-code`: a one-time console enrolment code.
    package func issueEnrolmentCode(userID: String) async throws(ClientError) -> EnrolmentCode {
        try await call(Endpoint(.issueEnrolmentCode, userID), NewEnrolmentCode())
    }

    /// `GET /v1/tokens`, or `GET /v1/users/{userId}/tokens` for another user.
    package func tokens(userID: String?) async throws(ClientError) -> [TokenInfo] {
        try await call(userID.map { Endpoint(.userTokens, $0) } ?? Endpoint(.listTokens))
    }

    /// `POST /v1/tokens`.
    package func createToken(_ new: NewToken) async throws(ClientError) -> IssuedToken { try await call(Endpoint(.createToken), new) }

    /// `DELETE /v1/tokens/{tokenId}`.
    package func revokeToken(_ id: String) async throws(ClientError) { try await callExpectingNoContent(Endpoint(.revokeToken, id)) }
}
