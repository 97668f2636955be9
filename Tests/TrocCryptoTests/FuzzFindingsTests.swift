import Testing
import TrocCrypto

/// What the libFuzzer targets (Fuzz/, docs/RELIABILITY.md "Fuzzing") found in the cryptography, each as the
/// smallest input that shows it, so the defect cannot come back unnoticed.
@Suite struct FuzzFindingsTests {
    /// key-file target, "a master key id writes back as it was read": the hex parser took each pair of
    /// characters as a signed number, so `+f` and `-0` passed for the bytes 0f and 00.
    @Test(arguments: ["68-07ed1b960a523", "+f+f+f+f+f+f+f+f", "-0-0-0-0-0-0-0-0"])
    func aMasterKeyIDIsHexDigitsOnly(text: String) {
        #expect(MasterKeyID(hex: text) == nil)
    }

    @Test func aMasterKeyIDReadsBackFromItsDescription() throws {
        let id = try #require(MasterKeyID(hex: "68007ED1B960A523"))
        #expect(id.description == "68007ed1b960a523")
    }
}
