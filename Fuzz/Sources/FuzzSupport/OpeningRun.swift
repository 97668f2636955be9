/// What an opener released from one input fed in slices, checked on the way: after its first failure an
/// opener must throw that same failure on every later call and release nothing more.
public struct OpeningRun<Opener: ChunkedOpener> {
    /// The plaintext chunks released, in order.
    public private(set) var chunks: [[UInt8]] = []
    /// The first failure, from a slice or from the end of input; nil when the input opened completely.
    public private(set) var failure: Opener.Failure?

    /// Feeds `bytes` to `opener` in slices of `sizes` bytes, in turn, then ends the input.
    public init(_ opener: Opener, bytes: [UInt8], sizes: [Int]) {
        var opener = opener
        for slice in bytes.slices(cycling: sizes) {
            do throws(Opener.Failure) {
                let released = try opener.open(slice)
                FuzzCheck.expect(failure == nil, "released \(released.count) chunk(s) after failing with \(failure!)")
                chunks += released
            } catch {
                FuzzCheck.expect(failure == nil || failure == error, "failed with \(error) after failing with \(failure!)")
                failure = failure ?? error
            }
        }
        do throws(Opener.Failure) {
            try opener.close()
            FuzzCheck.expect(failure == nil, "the end of input was accepted after failing with \(failure!)")
        } catch {
            FuzzCheck.expect(failure == nil || failure == error, "the end of input failed with \(error) after failing with \(failure!)")
            failure = failure ?? error
        }
    }

    /// Every released byte, in order.
    public var plaintext: [UInt8] { chunks.flatMap(\.self) }
}
