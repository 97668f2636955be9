package import TrocCore

/// What went wrong talking to the broker, in the categories `troc`'s exit codes distinguish.
package enum ClientError: Error, CustomStringConvertible {
    /// The broker answered with a problem document.
    case problem(Problem)
    /// The broker could not be reached (connection refused, TLS failure, timeout).
    case unreachable(String)
    /// The broker answered something that is not the API (wrong URL?).
    case unexpectedResponse(String)
    /// Local set-up: no profile, unreadable key file.
    case configuration(String)
    /// Local input: a file that does not exist, a key that does not decrypt.
    case input(String)

    /// The category, for exit codes.
    package var category: Category {
        switch self {
        case .problem(let problem):
            switch problem.status {
            case 401, 403: .authentication
            case 404, 410: .notFound
            case 409: .conflict
            case 400..<500: .badInput
            default: .server
            }
        case .unreachable: .unreachable
        case .unexpectedResponse: .server
        case .configuration: .usage
        case .input: .badInput
        }
    }

    /// Categories of failure with distinct exit codes.
    package enum Category {
        case usage, badInput, authentication, notFound, conflict, server, unreachable
    }

    package var description: String {
        switch self {
        case .problem(let problem): "\(problem.title) (\(problem.code), HTTP \(problem.status)): \(problem.detail)"
        case .unreachable(let detail): "cannot reach the broker: \(detail)"
        case .unexpectedResponse(let detail): "unexpected answer from the broker: \(detail)"
        case .configuration(let detail): detail
        case .input(let detail): detail
        }
    }
}
