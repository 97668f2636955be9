/// Every operation of the broker's API that `troc` calls, with its method and its path template spelt as in
/// `openapi.yaml` (a test holds the two together), so the paths live in one place.
package enum APIOperation: String, CaseIterable, Sendable {
    case brokerKey, me
    case listOrganisations, createOrganisation, organisation, registerPublicKey, setVATStatus, setBankAccount, setNAF
    case billingMandate, acceptBillingMandate, withdrawBillingMandate
    case organisationKeyChanges, requestKeyChange, keyChanges, keyChange, approveKeyChange, refuseKeyChange, cancelKeyChange
    case listUsers, createUser, disableUser, issueEnrolmentCode, userTokens, listTokens, createToken, revokeToken
    case listFiles, uploadFile, file, deleteFile, fileContent
    case listDeals, proposeDeal, deal, addDealFile, dealReport, dealDelivery, dealTerms
    case acceptDeal, declineDeal, overrideDeal, approveDeal, rejectDeal, releaseDeal, cancelDeal
    case settlement, recordSettlementPayment
    case addSuppressions, requestErasure, notices, acknowledgeNotice, audit
    case sectors, addClusterCode, removeClusterCode, setConfidential, removeConfidential, renovation, addRenovation, removeRenovation
    case invoices, invoice, creditInvoice, fec

    /// The HTTP method.
    package var method: APIMethod {
        switch self {
        case .brokerKey, .me, .listOrganisations, .organisation, .billingMandate, .organisationKeyChanges, .keyChanges, .keyChange, .listUsers,
            .userTokens, .listTokens, .listFiles, .file, .fileContent, .listDeals, .deal, .dealReport, .dealDelivery, .dealTerms, .settlement,
            .notices, .audit, .sectors, .renovation, .invoices, .invoice, .fec:
            .get
        case .registerPublicKey, .setVATStatus, .setBankAccount, .setNAF, .addClusterCode, .setConfidential, .addRenovation:
            .put
        case .deleteFile, .revokeToken:
            .delete
        case .createOrganisation, .acceptBillingMandate, .withdrawBillingMandate, .requestKeyChange, .approveKeyChange, .refuseKeyChange,
            .cancelKeyChange, .createUser, .disableUser, .issueEnrolmentCode, .createToken, .uploadFile, .proposeDeal, .addDealFile, .acceptDeal,
            .declineDeal, .overrideDeal, .approveDeal, .rejectDeal, .releaseDeal, .cancelDeal, .recordSettlementPayment, .addSuppressions,
            .requestErasure, .acknowledgeNotice, .removeClusterCode, .removeConfidential, .removeRenovation, .creditInvoice:
            .post
        }
    }

    /// The path template, with `{parameter}` placeholders named as in `openapi.yaml`.
    package var template: String {
        switch self {
        case .brokerKey: "/v1/broker-key"
        case .me: "/v1/me"
        case .listOrganisations, .createOrganisation: "/v1/organisations"
        case .organisation: "/v1/organisations/{organisationId}"
        case .registerPublicKey: "/v1/organisations/{organisationId}/public-key"
        case .setVATStatus: "/v1/organisations/{organisationId}/vat-status"
        case .setBankAccount: "/v1/organisations/{organisationId}/bank-account"
        case .setNAF: "/v1/organisations/{organisationId}/naf"
        case .billingMandate, .acceptBillingMandate: "/v1/organisations/{organisationId}/billing-mandate"
        case .withdrawBillingMandate: "/v1/organisations/{organisationId}/billing-mandate/withdraw"
        case .organisationKeyChanges, .requestKeyChange: "/v1/organisations/{organisationId}/key-changes"
        case .keyChanges: "/v1/key-changes"
        case .keyChange: "/v1/key-changes/{keyChangeId}"
        case .approveKeyChange: "/v1/key-changes/{keyChangeId}/approve"
        case .refuseKeyChange: "/v1/key-changes/{keyChangeId}/refuse"
        case .cancelKeyChange: "/v1/key-changes/{keyChangeId}/cancel"
        case .listUsers, .createUser: "/v1/users"
        case .disableUser: "/v1/users/{userId}/disable"
        case .issueEnrolmentCode: "/v1/users/{userId}/enrolment-code"
        case .userTokens: "/v1/users/{userId}/tokens"
        case .listTokens, .createToken: "/v1/tokens"
        case .revokeToken: "/v1/tokens/{tokenId}"
        case .listFiles, .uploadFile: "/v1/files"
        case .file, .deleteFile: "/v1/files/{fileId}"
        case .fileContent: "/v1/files/{fileId}/content"
        case .listDeals, .proposeDeal: "/v1/deals"
        case .deal: "/v1/deals/{dealId}"
        case .addDealFile: "/v1/deals/{dealId}/files"
        case .dealReport: "/v1/deals/{dealId}/report"
        case .dealDelivery: "/v1/deals/{dealId}/delivery"
        case .dealTerms: "/v1/deals/{dealId}/terms"
        case .acceptDeal: "/v1/deals/{dealId}/accept"
        case .declineDeal: "/v1/deals/{dealId}/decline"
        case .overrideDeal: "/v1/deals/{dealId}/override"
        case .approveDeal: "/v1/deals/{dealId}/approve"
        case .rejectDeal: "/v1/deals/{dealId}/reject"
        case .releaseDeal: "/v1/deals/{dealId}/release"
        case .cancelDeal: "/v1/deals/{dealId}/cancel"
        case .settlement: "/v1/deals/{dealId}/settlement"
        case .recordSettlementPayment: "/v1/deals/{dealId}/settlement/payments"
        case .addSuppressions: "/v1/suppressions"
        case .requestErasure: "/v1/erasure-requests"
        case .notices: "/v1/notices"
        case .acknowledgeNotice: "/v1/notices/{noticeId}/ack"
        case .audit: "/v1/audit"
        case .sectors: "/v1/sectors"
        case .addClusterCode: "/v1/sectors/clusters/{cluster}/codes/{code}"
        case .removeClusterCode: "/v1/sectors/clusters/{cluster}/codes/{code}/remove"
        case .setConfidential: "/v1/sectors/confidential/{code}"
        case .removeConfidential: "/v1/sectors/confidential/{code}/remove"
        case .renovation: "/v1/sectors/renovation"
        case .addRenovation: "/v1/sectors/renovation/{code}"
        case .removeRenovation: "/v1/sectors/renovation/{code}/remove"
        case .invoices: "/v1/invoices"
        case .invoice: "/v1/invoices/{number}"
        case .creditInvoice: "/v1/invoices/{number}/credit-notes"
        case .fec: "/v1/ledger/fec"
        }
    }
}

/// The HTTP methods the API uses.
package enum APIMethod: String, Sendable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
}
