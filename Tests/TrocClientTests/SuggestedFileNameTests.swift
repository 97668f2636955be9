import Testing
import TrocClient

/// `troc invoices get` and `troc ledger fec` save under the name the broker suggests: only a plain name in the current
/// directory gets through, whatever the header says.
@Suite struct SuggestedFileNameTests {
    private func name(_ header: String) -> String? { SuggestedFileName(contentDisposition: header)?.name }

    @Test func theBrokersOwnNamesAreKept() {
        #expect(name(#"attachment; filename="F-2026-000001.xml""#) == "F-2026-000001.xml")
        #expect(name(#"attachment; filename="732829320FEC20261231.txt""#) == "732829320FEC20261231.txt")
        #expect(name("attachment; filename=plain.csv") == "plain.csv")
        #expect(name(#"attachment; filename="quoted; with semicolon.pdf"; size=12"#) == "quoted; with semicolon.pdf")
    }

    @Test func rfc5987NamesAreDecodedAndPreferred() {
        #expect(name(#"attachment; filename="fallback.txt"; filename*=UTF-8''facture%20n%C2%B01.pdf"#) == "facture n°1.pdf")
        #expect(name("attachment; filename*=utf-8'fr'na%C3%AFve.txt") == "naïve.txt")
        #expect(name("attachment; filename*=ISO-8859-1''caf%E9.txt") == nil)
    }

    @Test func parentDirectoriesAreRefused() {
        #expect(name(#"attachment; filename="../x""#) == nil)
        #expect(name("attachment; filename=../x") == nil)
        #expect(name(#"attachment; filename="..\\x""#) == nil)
        #expect(name(#"attachment; filename="..\x""#) == nil)
        #expect(name(#"attachment; filename="..""#) == nil)
        #expect(name(#"attachment; filename=".""#) == nil)
        #expect(name("attachment; filename*=UTF-8''..%2Fx") == nil)
        #expect(name("attachment; filename*=UTF-8''%2E%2E") == nil)
    }

    @Test func percentEncodedTraversalIsRefusedEvenInAPlainName() {
        #expect(name(#"attachment; filename="%2e%2e%2fx""#) == nil)
        #expect(name(#"attachment; filename="%2e%2e""#) == nil)
        #expect(name(#"attachment; filename="a%5Cb""#) == nil)
    }

    @Test func absolutePathsAreRefused() {
        #expect(name(#"attachment; filename="/etc/passwd""#) == nil)
        #expect(name(#"attachment; filename="C:\Windows\x.txt""#) == nil)
        #expect(name("attachment; filename*=UTF-8''%2Fetc%2Fpasswd") == nil)
    }

    @Test func emptyHiddenAndControlCharacterNamesAreRefused() {
        #expect(name(#"attachment; filename="""#) == nil)
        #expect(name("attachment; filename=") == nil)
        #expect(name("attachment") == nil)
        #expect(name(#"attachment; filename=".bashrc""#) == nil)
        #expect(name("attachment; filename=\"a\u{0}b.txt\"") == nil)
        #expect(name("attachment; filename*=UTF-8''a%00b.txt") == nil)
        #expect(name("attachment; filename*=UTF-8''a%0Ab.txt") == nil)
    }
}
