import Foundation
import Testing
import TrocObjectStore

/// The signer against AWS's published vectors (Vectors/SOURCE.md says where each comes from).
@Suite struct SigV4SignerTests {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    /// The suite's cases present on disk.
    static let suiteCases: [String] = {
        let directory = vectors.appendingPathComponent("aws-sig-v4-test-suite")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }()

    /// A case's `context.json`.
    struct Context: Decodable {
        struct Credentials: Decodable {
            let accessKeyID: String
            let secretAccessKey: String

            enum CodingKeys: String, CodingKey {
                case accessKeyID = "access_key_id"
                case secretAccessKey = "secret_access_key"
            }
        }
        let credentials: Credentials
        let region: String
        let service: String
        let signBody: Bool
        let timestamp: String

        enum CodingKeys: String, CodingKey {
            case credentials, region, service, timestamp
            case signBody = "sign_body"
        }
    }

    @Test func theSuiteIsPresent() {
        #expect(Self.suiteCases.count == 27)
    }

    @Test(arguments: suiteCases)
    func awsSigV4TestSuite(name: String) throws {
        let directory = Self.vectors.appendingPathComponent("aws-sig-v4-test-suite").appendingPathComponent(name)
        func read(_ file: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        }
        let context = try JSONDecoder().decode(Context.self, from: Data(try read("context.json").utf8))
        let (request, body) = try Self.parse(httpRequest: try read("request.txt"))
        let signer = SigV4Signer(
            credentials: .init(accessKeyID: context.credentials.accessKeyID, secretAccessKey: context.credentials.secretAccessKey),
            region: context.region, service: context.service, declaresPayloadHash: context.signBody)
        let date = try Date(context.timestamp, strategy: .iso8601)
        let signed = signer.sign(request, payload: .of(Array(body.utf8)), date: date)
        #expect(signed.canonicalRequest == (try read("header-canonical-request.txt")))
        #expect(signed.stringToSign == (try read("header-string-to-sign.txt")))
        #expect(signed.signature == (try read("header-signature.txt")))
        #expect(signed.authorization.hasSuffix("Signature=\(try read("header-signature.txt"))"))
    }

    /// An S3 example of the API reference.
    struct S3Example: Decodable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let query: [[String]]
        let headers: [[String]]
        let body: String
        let signedHeaders: String
        let canonicalRequestSHA256: String
        let signature: String

        var testDescription: String { name }
    }

    /// The S3 examples file.
    struct S3Examples: Decodable {
        let accessKeyID: String
        let secretAccessKey: String
        let region: String
        let timestamp: String
        let examples: [S3Example]
    }

    static let s3Examples: S3Examples? = {
        guard let data = FileManager.default.contents(atPath: vectors.appendingPathComponent("s3-single-chunk-examples.json").path) else {
            return nil
        }
        return try? JSONDecoder().decode(S3Examples.self, from: data)
    }()

    @Test func theS3ExamplesArePresent() {
        #expect(Self.s3Examples?.examples.count == 4)
    }

    @Test(arguments: s3Examples?.examples ?? [])
    func s3SingleChunkExample(example: S3Example) throws {
        let examples = try #require(Self.s3Examples)
        let signer = SigV4Signer(
            credentials: .init(accessKeyID: examples.accessKeyID, secretAccessKey: examples.secretAccessKey), region: examples.region)
        let request = SigV4Signer.Request(
            method: example.method, path: example.path, query: example.query.map { (name: $0[0], value: $0[1]) },
            headers: example.headers.map { (name: $0[0], value: $0[1]) })
        let signed = signer.sign(request, payload: .of(Array(example.body.utf8)), date: try Date(examples.timestamp, strategy: .iso8601))
        #expect(signed.stringToSign.hasSuffix("\n" + example.canonicalRequestSHA256))
        #expect(signed.signature == example.signature)
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=\(examples.accessKeyID)/20130524/us-east-1/s3/aws4_request, SignedHeaders=\(example.signedHeaders), Signature=\(example.signature)"
        )
        #expect(signed.headers.contains { $0.name == "x-amz-date" && $0.value == "20130524T000000Z" })
        #expect(
            signed.headers.contains {
                $0.name == "x-amz-content-sha256" && $0.value == SigV4Signer.Payload.of(Array(example.body.utf8)).hashedPayload
            })
    }

    @Test func anUnsignedPayloadIsDeclaredAndSigned() throws {
        let signer = SigV4Signer(credentials: .init(accessKeyID: "AKID", secretAccessKey: "secret"), region: "eu-west-3")
        let signed = signer.sign(
            .init(method: "PUT", path: "/bucket/key", headers: [(name: "host", value: "127.0.0.1:8333")]), payload: .unsigned,
            date: Date(timeIntervalSince1970: 0))
        #expect(signed.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(signed.headers.contains { $0.name == "x-amz-content-sha256" && $0.value == "UNSIGNED-PAYLOAD" })
        #expect(signed.stringToSign.contains("19700101/eu-west-3/s3/aws4_request"))
    }

    @Test func s3KeysAreEncodedOnceAndNeverNormalised() {
        #expect(SigV4Signer.uriEncode("/bucket/dossier 1/été+x/../a~b", encodingSlash: false) == "/bucket/dossier%201/%C3%A9t%C3%A9%2Bx/../a~b")
        #expect(SigV4Signer.uriEncode("a/b=c&d", encodingSlash: true) == "a%2Fb%3Dc%26d")
    }

    @Test(arguments: [
        (0.0, "19700101T000000Z"), (1_369_353_600, "20130524T000000Z"), (1_709_251_199, "20240229T235959Z"),
        (951_868_800, "20000301T000000Z"), (4_102_444_799, "20991231T235959Z"), (-1, "19691231T235959Z"),
    ])
    func amzDates(seconds: Double, expected: String) {
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: seconds)) == expected)
    }

    /// Reads a raw request of the suite: request line, `Name:value` headers, a blank line, the body.
    static func parse(httpRequest text: String) throws -> (SigV4Signer.Request, body: String) {
        let parts = text.components(separatedBy: "\n\n")
        let lines = parts[0].split(separator: "\n").map(String.init)
        let requestLine = try #require(lines.first)
        let method = try #require(requestLine.split(separator: " ").first.map(String.init))
        let target = try #require(requestLine.dropFirst(method.count + 1).components(separatedBy: " HTTP/").first)
        let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query: [(name: String, value: String)] =
            pathAndQuery.count > 1
            ? pathAndQuery[1].split(separator: "&").map { pair in
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(nameValue[0]).removingPercentEncoding ?? String(nameValue[0])
                let value = nameValue.count > 1 ? (String(nameValue[1]).removingPercentEncoding ?? String(nameValue[1])) : ""
                return (name: name, value: value)
            } : []
        let headers = lines.dropFirst().map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (name: String(line[..<colon]), value: colon == line.endIndex ? "" : String(line[line.index(after: colon)...]))
        }
        let body = parts.count > 1 ? parts.dropFirst().joined(separator: "\n\n") : ""
        return (SigV4Signer.Request(method: method, path: String(pathAndQuery[0]), query: query, headers: headers), body)
    }
}
