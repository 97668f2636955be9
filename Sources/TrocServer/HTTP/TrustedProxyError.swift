/// A `--trusted-proxy` value that is not an address or a network.
package struct TrustedProxyError: Error, Equatable, CustomStringConvertible {
    /// The value as given.
    package let value: String
    /// What is wrong with it.
    package let reason: String

    package var description: String {
        "--trusted-proxy \(value): \(reason); give an address such as 127.0.0.1 or ::1, or a network such as 10.0.0.0/8"
    }
}
