/// A streaming decryptor (an envelope or an at-rest blob opener) as the harnesses drive it.
public protocol ChunkedOpener {
    /// What the opener throws; the same value is thrown again by every call after the first failure.
    associatedtype Failure: Error & Equatable

    /// Feeds the next slice; returns the plaintext of every chunk it completed.
    mutating func open(_ slice: ArraySlice<UInt8>) throws(Failure) -> [[UInt8]]
    /// Declares the end of the input.
    mutating func close() throws(Failure)
}
