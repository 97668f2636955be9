/// Why an object-store call failed, naming the bucket and key involved.
public enum ObjectStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// S3 answered with an error: its HTTP status, its `Code` (`NoSuchKey`, `SignatureDoesNotMatch`, ...) and message.
    case service(status: Int, code: String, message: String, operation: String, bucket: String, key: String?, requestID: String?)
    /// The store could not be reached or the connection broke, after the retries the step allows.
    case unreachable(operation: String, bucket: String, key: String?, reason: String, attempts: Int)
    /// The store answered something that is not S3.
    case malformedResponse(operation: String, bucket: String, key: String?, reason: String)
    /// The `s3://` URL or the credentials are unusable; the message says what to change.
    case configuration(String)

    /// The S3 error code, when S3 gave one.
    public var code: String? {
        if case .service(_, let code, _, _, _, _, _) = self { return code }
        return nil
    }

    /// The HTTP status, when S3 gave one.
    public var status: Int? {
        if case .service(let status, _, _, _, _, _, _) = self { return status }
        return nil
    }

    /// A sentence saying what failed, where, and what to check.
    public var description: String {
        switch self {
        case .service(let status, let code, let message, let operation, let bucket, let key, let requestID):
            let advice =
                switch code {
                case "SignatureDoesNotMatch", "InvalidAccessKeyId":
                    " Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the credentials file) against the store's identities."
                case "NoSuchBucket": " Create the bucket, or fix the bucket name in the s3:// URL."
                case "AccessDenied": " Grant this access key read, write and list on the bucket."
                default: ""
                }
            return "object store: \(operation) \(Self.place(bucket, key)) failed with HTTP \(status) \(code): \(message)"
                + (requestID.map { " (request id \($0))" } ?? "") + "." + advice
        case .unreachable(let operation, let bucket, let key, let reason, let attempts):
            return "object store: \(operation) \(Self.place(bucket, key)) could not reach the store after \(attempts) attempt(s): \(reason). "
                + "Check the endpoint in the s3:// URL and that the store is running."
        case .malformedResponse(let operation, let bucket, let key, let reason):
            return "object store: \(operation) \(Self.place(bucket, key)) got an answer that is not S3: \(reason)."
        case .configuration(let message):
            return "object store configuration: \(message)"
        }
    }

    /// `s3://bucket/key` for messages.
    private static func place(_ bucket: String, _ key: String?) -> String {
        "s3://\(bucket)" + (key.map { "/\($0)" } ?? "")
    }
}
