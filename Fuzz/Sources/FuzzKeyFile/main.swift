import FuzzSupport

Fuzzer.run(KeyFileHarness.run)

/// The entry libFuzzer's own `main` calls in a debug build, where SwiftPM renames the Swift `main` above.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzzer.one(data, size, KeyFileHarness.run)
}
