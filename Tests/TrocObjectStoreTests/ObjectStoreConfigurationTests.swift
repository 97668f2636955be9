import Foundation
import Testing
import TrocObjectStore

/// `s3://` URLs and where the credentials come from.
@Suite struct ObjectStoreConfigurationTests {
    let environment = ["AWS_ACCESS_KEY_ID": "TROCKEY", "AWS_SECRET_ACCESS_KEY": "trocsecret"]

    @Test func anEndpointMeansPathStyleOnThatHost() throws {
        let configuration = try ObjectStoreConfiguration(
            url: "s3://troc-blobs?endpoint=http://127.0.0.1:8333&region=eu-west-3", environment: environment)
        #expect(configuration.bucket == "troc-blobs")
        #expect(configuration.region == "eu-west-3")
        #expect(configuration.scheme == "http")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8333)
        #expect(configuration.pathStyle)
        #expect(configuration.credentials == .init(accessKeyID: "TROCKEY", secretAccessKey: "trocsecret"))
    }

    @Test func withoutAnEndpointTheBucketIsPartOfTheAWSHost() throws {
        let configuration = try ObjectStoreConfiguration(url: "s3://troc-blobs", environment: environment)
        #expect(configuration.host == "troc-blobs.s3.us-east-1.amazonaws.com")
        #expect(configuration.scheme == "https")
        #expect(!configuration.pathStyle)
    }

    @Test func credentialsInTheURLAreRefusedWithoutEchoingThem() {
        #expect {
            try ObjectStoreConfiguration(url: "s3://TROCKEY:topsecret@troc-blobs?endpoint=http://127.0.0.1:8333", environment: environment)
        } throws: { error in
            let message = String(describing: error)
            return message.contains("AWS_ACCESS_KEY_ID") && !message.contains("topsecret")
        }
    }

    @Test func missingCredentialsSayWhereToPutThem() {
        #expect {
            try ObjectStoreConfiguration(url: "s3://troc-blobs?endpoint=http://127.0.0.1:8333", environment: [:])
        } throws: { error in
            String(describing: error).contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
    }

    @Test func aServiceTakesItsKeysFromTheSystemdCredentialWhenNothingElseNamesThem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-credentials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[default]\naws_access_key_id = SYSTEMDKEY\naws_secret_access_key = systemdsecret\n".write(
            to: directory.appendingPathComponent(ObjectStoreConfiguration.credentialName), atomically: true, encoding: .utf8)
        let url = "s3://troc-blobs?endpoint=http://127.0.0.1:8333"
        let systemd = try ObjectStoreConfiguration(url: url, environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(systemd.credentials == .init(accessKeyID: "SYSTEMDKEY", secretAccessKey: "systemdsecret"))
        // Keys in the environment still win: the credential is the fallback for a unit that sets none.
        let both = try ObjectStoreConfiguration(url: url, environment: environment.merging(["CREDENTIALS_DIRECTORY": directory.path]) { $1 })
        #expect(both.credentials == .init(accessKeyID: "TROCKEY", secretAccessKey: "trocsecret"))
    }

    @Test func aCredentialsFileIsReadForItsProfile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("troc-credentials-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        # written by the operator
        [default]
        aws_access_key_id = DEFAULTKEY
        aws_secret_access_key = defaultsecret

        [troc]
        aws_access_key_id=TROCFILEKEY
        aws_secret_access_key = file secret with spaces
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try ObjectStoreConfiguration(
            url: "s3://troc-blobs?endpoint=https://s3.example.net&credentials-file=\(file.path)&profile=troc", environment: environment)
        #expect(configuration.credentials == .init(accessKeyID: "TROCFILEKEY", secretAccessKey: "file secret with spaces"))
        #expect(configuration.port == nil)
    }

    @Test(arguments: [
        "http://troc-blobs", "s3://Troc_Blobs?endpoint=http://127.0.0.1:8333", "s3://troc-blobs/some/path",
        "s3://troc-blobs?endpoint=ftp://127.0.0.1", "s3://troc-blobs?secret=x", "s3://troc-blobs?region=eu west",
    ])
    func malformedURLsAreRefused(url: String) {
        #expect(throws: ObjectStoreError.self) {
            try ObjectStoreConfiguration(url: url, environment: environment)
        }
    }
}
