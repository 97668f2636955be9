public import Hummingbird
public import TrocCore

// The API's views live in TrocCore, which knows nothing of HTTP. Here they become what handlers return: Hummingbird
// encodes them with `TrocRequestContext.responseEncoder`, the one JSON encoder of the API (sorted keys, ISO 8601
// dates, `application/json; charset=utf-8`). Lists need nothing: `Array` of `Encodable` is already `ResponseEncodable`.

extension AuditEntryView: ResponseEncodable {}
extension BillingMandateState: ResponseEncodable {}
extension BrokerKey: ResponseEncodable {}
extension CreatedUser: ResponseEncodable {}
extension Deal: ResponseEncodable {}
extension DealReportView: ResponseEncodable {}
extension DealTerms: ResponseEncodable {}
extension EnrolmentCode: ResponseEncodable {}
extension ErasureNotice: ResponseEncodable {}
extension ErasureResult: ResponseEncodable {}
extension InvoiceSummary: ResponseEncodable {}
extension IssuedToken: ResponseEncodable {}
extension KeyChange: ResponseEncodable {}
extension Me: ResponseEncodable {}
extension Organisation: ResponseEncodable {}
extension SectorTables: ResponseEncodable {}
extension SettlementStatement: ResponseEncodable {}
extension StoredFile: ResponseEncodable {}
extension SuppressionResult: ResponseEncodable {}
extension User: ResponseEncodable {}
