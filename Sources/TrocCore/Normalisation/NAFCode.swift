/// NAF rév. 2 sub-class codes: `NN.NNX`.
public enum NAFCode {
    /// Normalises `4332a`, `43 32 A` or `43.32A` to `43.32A` in `output`, and checks it exists in `reference`.
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, known: NAFCodeSet, into output: inout ByteScratch) -> Result<Bool, RejectionReason> {
        output.removeAll()
        let value = ByteText.trimmed(raw)
        guard !value.isEmpty else { return .success(false) }
        var digits = 0
        var letter: UInt8 = 0
        for byte in value {
            if ByteText.isDigit(byte) {
                guard digits < 4, letter == 0 else { return .failure(.nafFormat) }
                if digits == 2 { output.append(UInt8(ascii: ".")) }
                output.append(byte)
                digits += 1
            } else if byte &- 0x41 < 26 || byte &- 0x61 < 26 {
                guard digits == 4, letter == 0 else { return .failure(.nafFormat) }
                letter = byte & 0xDF
                output.append(letter)
            } else if byte != UInt8(ascii: ".") && byte != ByteText.space && byte != UInt8(ascii: "-") {
                return .failure(.nafFormat)
            }
        }
        guard digits == 4, letter != 0 else { return .failure(.nafFormat) }
        guard let packed = packed(output.bytes), known.contains(packed) else { return .failure(.nafUnknown) }
        return .success(true)
    }

    /// `43.32A` as one integer (4332 × 32 + letter), or nil if not of that shape.
    static func packed(_ code: String) -> UInt32? {
        ByteText.withBytes(of: code) { packed($0) }
    }

    static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard bytes.count == 6, bytes[2] == UInt8(ascii: "."), bytes[5] &- 0x41 < 26 else { return nil }
        var number: UInt32 = 0
        for index in 0..<5 where index != 2 {
            guard ByteText.isDigit(bytes[index]) else { return nil }
            number = number * 10 + UInt32(bytes[index] - 0x30)
        }
        return number * 32 + UInt32(bytes[5] - 0x41)
    }

    /// Normalises a NAF code given as text and checks it against `reference`.
    public static func normalise(_ text: String, reference: ReferenceData = .embedded) -> Result<String, RejectionReason> {
        ByteText.withBytes(of: text) { raw in
            var output = ByteScratch(capacity: 16)
            switch normalise(raw, known: reference.knownCodes, into: &output) {
            case .success(true): return .success(output.string)
            case .success(false): return .failure(.nafFormat)
            case .failure(let reason): return .failure(reason)
            }
        }
    }
}
