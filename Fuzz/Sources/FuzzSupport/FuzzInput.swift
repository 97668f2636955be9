/// Reads a fuzzer input as the few choices a harness makes (a mode, a slice size) followed by the data itself.
public struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    /// A reader over one input.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next byte, 0 when the input is exhausted (so any input is a valid one).
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// Every byte not yet read.
    public mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return Array(bytes[min(position, bytes.count)...])
    }
}
