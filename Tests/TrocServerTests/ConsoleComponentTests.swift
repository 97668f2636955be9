import Foundation
import Testing
import TrocCore
import TrocTestSupport

@testable import TrocServer

/// The console's building blocks, each against an independent reader: the QR encoder against zxing-cpp, the ZIP writer
/// against Python's zipfile, and the French formats, the language choice, the form parsers and the catalogue.
@Suite struct ConsoleComponentTests {
    /// Decodes a QR code with zxing-cpp (`pip install zxing-cpp`), from a PGM image of its modules, 4 pixels each.
    static func decoded(_ code: QRCode) throws -> String {
        let scale = 4
        let side = (code.size + 8) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for (y, row) in code.rows.enumerated() {
            for (x, module) in row.enumerated() where module == "1" {
                for dy in 0..<scale {
                    for dx in 0..<scale { pixels[((y + 4) * scale + dy) * side + (x + 4) * scale + dx] = 0 }
                }
            }
        }
        let image = Data("P5\n\(side) \(side)\n255\n".utf8) + Data(pixels)
        let script = """
            import sys, numpy, zxingcpp
            data = sys.stdin.buffer.read()
            header, rest = data.split(b"\\n", 1)[0], data
            parts = rest.split(b"\\n", 3)
            width, height = map(int, parts[1].split())
            pixels = numpy.frombuffer(parts[3], dtype=numpy.uint8).reshape(height, width)
            results = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
            if not results: sys.exit("no QR code found")
            sys.stdout.write(results[0].text)
            """
        let run = try ExternalTool.run("python3", ["-c", script], input: image)
        #expect(run.status == 0, "zxing-cpp (pip install zxing-cpp numpy): \(run.error)")
        return run.text
    }

    @Test(arguments: [1, 17, 60, 106, 180, 300, 600])
    func qrCodesDecodeToTheirText(length: Int) throws {
        let text = "otpauth://totp/Troc:olivia?secret=" + String(repeating: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", count: 20).prefix(length) + "é"
        let code = try QRCode(text: String(text))
        #expect(try Self.decoded(code) == String(text), "version \(code.version)")
    }

    @Test func theQRCodeOfAnAuthenticatorURIIsAnAccessibleSVG() throws {
        let uri = ConsoleCredentials.provisioningURI(secret: ConsoleCredentials.newTOTPSecret(), login: "olivia", issuer: "Troc")
        let code = try QRCode(text: uri)
        #expect(try Self.decoded(code) == uri)
        let svg = code.svg(title: "QR <code>")
        #expect(svg.hasPrefix("<svg") && svg.contains("role=\"img\"") && svg.contains("<title>QR &lt;code></title>") && !svg.contains("style="))
    }

    @Test func aZIPArchiveReadsBackWithPythonsZipfile() throws {
        var archive = ZIPArchive()
        let text = Array(String(repeating: "<Invoice>répété</Invoice>\n", count: 400).utf8)
        let binary = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        try archive.add(name: "ubl/TR2026-000001-ubl.xml", bytes: text, modified: (2026, 11, 23), compress: true)
        try archive.add(name: "pdf/TR2026-000001.pdf", bytes: binary, modified: (2026, 11, 23), compress: false)
        try archive.add(name: "vide.txt", bytes: [], modified: (2026, 1, 1), compress: true)
        let bytes = Data(archive.finish())
        #expect(bytes.count < text.count + binary.count, "the text was deflated")
        let script = """
            import sys, io, zipfile, hashlib
            archive = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
            assert archive.testzip() is None
            for info in archive.infolist():
                print(info.filename, info.compress_type, info.date_time[:3], hashlib.sha256(archive.read(info)).hexdigest())
            """
        let run = try ExternalTool.run("python3", ["-c", script], input: bytes)
        #expect(run.status == 0, "\(run.error)")
        let lines = run.text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("ubl/TR2026-000001-ubl.xml 8 (2026, 11, 23) \(Self.sha256(text))"))
        #expect(lines[1].hasPrefix("pdf/TR2026-000001.pdf 0 (2026, 11, 23) \(Self.sha256(binary))"))
        #expect(lines[2].hasPrefix("vide.txt"))
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        let run = try? ExternalTool.run("sha256sum", [], input: Data(bytes))
        return String(run?.text.prefix(64) ?? "")
    }

    @Test func amountsDatesAndPercentagesTheFrenchWay() {
        let french = ConsoleFormat(language: .fr)
        #expect(french.money(123_456) == "1\u{202F}234,56\u{00A0}€")
        #expect(french.money(-5) == "−0,05\u{00A0}€")
        #expect(french.integer(1_234_567) == "1\u{202F}234\u{202F}567")
        #expect(french.percent(0.125) == "12,5\u{00A0}%")
        #expect(french.date(CivilDate(year: 2026, month: 11, day: 3)!) == "03/11/2026")
        #expect(french.decimal(0.625, decimals: 2) == "0,63" || french.decimal(0.625, decimals: 2) == "0,62")
        // 1 795 000 000 s is 18 November 2026, 11:06 UTC: 12:06 in Paris (winter time, UTC+1).
        #expect(french.dateTime(Date(timeIntervalSince1970: 1_795_000_000)) == "18/11/2026 12:06")
        let english = ConsoleFormat(language: .en)
        #expect(english.money(123_456) == "€1,234.56")
        #expect(english.date(CivilDate(year: 2026, month: 11, day: 3)!) == "3 Nov 2026")
        #expect(english.percent(0.125) == "12.5%")
    }

    @Test(
        arguments: [
            (nil, ConsoleLanguage.fr), ("fr-FR,fr;q=0.9,en;q=0.8", .fr), ("en-GB,en;q=0.9,fr;q=0.8", .en), ("en", .en), ("de-DE,de;q=0.9", .fr),
            ("de,en;q=0.5", .en), ("fr;q=0.4,en;q=0.6", .en), ("en;q=0,fr", .fr),
        ] as [(String?, ConsoleLanguage)])
    func frenchUnlessTheBrowserPrefersEnglish(header: String?, expected: ConsoleLanguage) {
        #expect(ConsoleLanguage.preferred(header) == expected)
    }

    @Test func formBodiesAndMultipartBodiesParse() throws {
        let fields = FormFields(encoded: "login=jeanne%40durand.fr&password=a+b%26c&empty=&x=1&x=2")
        #expect(
            fields["login"] == "jeanne@durand.fr" && fields["password"] == "a b&c" && fields.text("empty") == nil && fields.all("x") == ["1", "2"])
        let boundary = "----troc42"
        let body = Array(
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + "a@b.fr\r\n0612345678\r\n--\(boundary)--\r\n").utf8)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\(boundary)") == boundary)
        let form = try MultipartForm(body: body, boundary: boundary)
        #expect(form.fields["_csrf"] == "token")
        #expect(form.file("file")?.fileName == "liste.txt" && form.file("file")?.body == Array("a@b.fr\r\n0612345678".utf8))
        #expect(throws: MultipartForm.Malformed.self) { try MultipartForm(body: Array("--\(boundary)\r\nno end".utf8), boundary: boundary) }
    }

    @Test func everyStringOfEveryTemplateIsInTheCatalogueInBothLanguages() throws {
        let templates = try #require(ConsoleRenderer.templateTexts())
        #expect(templates.count >= 20)
        var missing: Set<String> = []
        for (_, text) in templates {
            let regex = try NSRegularExpression(pattern: #"\{\{\{?t\.([a-z_0-9]+)"#)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if ConsoleText.entries[key] == nil { missing.insert(key) }
            }
        }
        #expect(missing.isEmpty, "missing from ConsoleText: \(missing.sorted())")
        for (key, entry) in ConsoleText.entries {
            #expect(!entry.fr.isEmpty && !entry.en.isEmpty, "\(key)")
        }
    }

    @Test func priceFieldsReadEurosTheFrenchOrEnglishWay() {
        #expect(ConsoleDealController.cents("25") == 2500)
        #expect(ConsoleDealController.cents("25,5") == 2550)
        #expect(ConsoleDealController.cents("1 025,50 €") == 102_550)
        #expect(ConsoleDealController.cents("25.05") == 2505)
        #expect(ConsoleDealController.cents("25,555") == nil && ConsoleDealController.cents("abc") == nil && ConsoleDealController.cents("-3") == nil)
    }
}
