package import TrocCore

/// The caller, the broker's key and organisations: registration, terms, keys and key changes.
extension TrocAPIClient {
    /// `GET /v1/me`: the caller, its organisation and what awaits it.
    package func me() async throws(ClientError) -> Me { try await call(Endpoint(.me)) }

    /// `GET /v1/broker-key`: the key uploads are sealed to.
    package func brokerKey() async throws(ClientError) -> BrokerKey { try await call(Endpoint(.brokerKey)) }

    /// `GET /v1/organisations`.
    package func organisations() async throws(ClientError) -> [Organisation] { try await call(Endpoint(.listOrganisations)) }

    /// `POST /v1/organisations`: registers a partner firm (operators).
    package func createOrganisation(_ new: NewOrganisation) async throws(ClientError) -> Organisation {
        try await call(Endpoint(.createOrganisation), new)
    }

    /// `GET /v1/organisations/{organisationId}`.
    package func organisation(_ id: String) async throws(ClientError) -> Organisation { try await call(Endpoint(.organisation, id)) }

    /// `PUT /v1/organisations/{organisationId}/public-key`: the firm's first delivery key.
    package func registerPublicKey(organisationID: String, _ registration: PublicKeyRegistration) async throws(ClientError) -> Organisation {
        try await call(Endpoint(.registerPublicKey, organisationID), registration)
    }

    /// `PUT /v1/organisations/{organisationId}/vat-status`.
    package func setVATStatus(organisationID: String, _ change: VATStatusChange) async throws(ClientError) -> Organisation {
        try await call(Endpoint(.setVATStatus, organisationID), change)
    }

    /// `PUT /v1/organisations/{organisationId}/bank-account`.
    package func setBankAccount(organisationID: String, _ input: BankAccountInput) async throws(ClientError) -> Organisation {
        try await call(Endpoint(.setBankAccount, organisationID), input)
    }

    /// `PUT /v1/organisations/{organisationId}/naf`.
    package func setNAF(organisationID: String, _ change: NAFCodeChange) async throws(ClientError) -> Organisation {
        try await call(Endpoint(.setNAF, organisationID), change)
    }

    /// `GET /v1/organisations/{organisationId}/billing-mandate`.
    package func billingMandate(organisationID: String) async throws(ClientError) -> BillingMandateState {
        try await call(Endpoint(.billingMandate, organisationID))
    }

    /// `POST /v1/organisations/{organisationId}/billing-mandate`: accepts the offered wording.
    package func acceptBillingMandate(organisationID: String, _ request: MandateAcceptanceRequest) async throws(ClientError) -> BillingMandateState {
        try await call(Endpoint(.acceptBillingMandate, organisationID), request)
    }

    /// `POST /v1/organisations/{organisationId}/billing-mandate/withdraw`.
    package func withdrawBillingMandate(organisationID: String, _ withdrawal: MandateWithdrawal) async throws(ClientError) -> BillingMandateState {
        try await call(Endpoint(.withdrawBillingMandate, organisationID), withdrawal)
    }

    /// `GET /v1/organisations/{organisationId}/key-changes`, or `GET /v1/key-changes?state=` across firms when `organisationID` is nil.
    package func keyChanges(organisationID: String?, state: KeyChangeState?) async throws(ClientError) -> [KeyChange] {
        if let organisationID { return try await call(Endpoint(.organisationKeyChanges, organisationID)) }
        return try await call(Endpoint(.keyChanges, query: ["state": state?.rawValue]))
    }

    /// `POST /v1/organisations/{organisationId}/key-changes`: asks for a new delivery key.
    package func requestKeyChange(organisationID: String, _ request: NewKeyChange) async throws(ClientError) -> KeyChange {
        try await call(Endpoint(.requestKeyChange, organisationID), request)
    }

    /// `GET /v1/key-changes/{keyChangeId}`.
    package func keyChange(_ id: String) async throws(ClientError) -> KeyChange { try await call(Endpoint(.keyChange, id)) }

    /// `POST /v1/key-changes/{keyChangeId}/approve` (operators, after an out-of-band check).
    package func approveKeyChange(_ id: String, _ approval: KeyChangeApproval) async throws(ClientError) -> KeyChange {
        try await call(Endpoint(.approveKeyChange, id), approval)
    }

    /// `POST /v1/key-changes/{keyChangeId}/refuse` (operators).
    package func refuseKeyChange(_ id: String, _ decision: KeyChangeDecision) async throws(ClientError) -> KeyChange {
        try await call(Endpoint(.refuseKeyChange, id), decision)
    }

    /// `POST /v1/key-changes/{keyChangeId}/cancel`.
    package func cancelKeyChange(_ id: String, _ decision: KeyChangeDecision) async throws(ClientError) -> KeyChange {
        try await call(Endpoint(.cancelKeyChange, id), decision)
    }
}
