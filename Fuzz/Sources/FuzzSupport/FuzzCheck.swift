/// Invariant checks for harnesses: a broken invariant stops the process the way a crash does, so libFuzzer
/// saves the input that broke it. Unlike `assert`, these stay on in optimised builds.
public enum FuzzCheck {
    /// Stops the process with `message` unless `condition` holds.
    public static func expect(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) {
        guard !condition() else { return }
        fatalError("invariant broken: \(message())", file: file, line: line)
    }

    /// Stops the process unless `actual` equals `expected`, showing both.
    public static func equal<Value: Equatable>(
        _ actual: Value, _ expected: Value, _ what: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) {
        guard actual != expected else { return }
        fatalError("invariant broken: \(what()): got \(actual), expected \(expected)", file: file, line: line)
    }
}
