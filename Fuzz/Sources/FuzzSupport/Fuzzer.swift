import CLibFuzzer

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a harness under libFuzzer: every input the fuzzer generates (or a corpus holds) goes to `body`,
/// which must return normally or stop the process through `FuzzCheck`.
public enum Fuzzer {
    /// The harness body; set once, before libFuzzer starts calling back.
    nonisolated(unsafe) private static var body: ([UInt8]) -> Void = { _ in }

    /// Hands the process to libFuzzer's driver with `body` as the test function; never returns.
    public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
        Fuzzer.body = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Fuzzer.one(data, size, Fuzzer.body)
        }
        exit(status)
    }

    /// Runs `body` on one input; what each harness's `LLVMFuzzerTestOneInput` does when libFuzzer's own `main` drives
    /// (a debug build, where SwiftPM renames the Swift `main` so tests can import executables).
    public static func one(_ data: UnsafePointer<UInt8>?, _ size: Int, _ body: ([UInt8]) -> Void) -> Int32 {
        body(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
