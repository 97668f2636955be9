/// The exit codes `troc` documents, so scripts can tell failures apart.
enum TrocExitCode: Int32 {
    case success = 0
    case usage = 1
    case badInput = 2
    case authentication = 3
    case notFound = 4
    case conflict = 5
    case server = 6
    case unreachable = 7
}

/// A failure that ends the command with a message and a documented exit code.
struct TrocExit: Error {
    var code: TrocExitCode
    var message: String

    init(_ code: TrocExitCode, _ message: String) {
        self.code = code
        self.message = message
    }
}
