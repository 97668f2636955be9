import TrocClient

extension ClientError {
    /// The exit code and message `troc` ends with.
    var exit: TrocExit {
        let code: TrocExitCode =
            switch category {
            case .usage: .usage
            case .badInput: .badInput
            case .authentication: .authentication
            case .notFound: .notFound
            case .conflict: .conflict
            case .server: .server
            case .unreachable: .unreachable
            }
        return TrocExit(code, "troc: \(description)")
    }
}
