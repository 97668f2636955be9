import Foundation
import Testing
import TrocPostgres

/// `--database` URLs: what they name, what they refuse, and where the password comes from.
@Suite struct PostgresLocationTests {
    @Test func aURLNamesTheServerTheRoleTheDatabaseAndTheProtection() throws {
        let remote = try PostgresLocation(url: "postgres://troc@db.example.fr:5433/broker?pool=8")
        #expect(remote.host == "db.example.fr" && remote.port == 5433 && remote.username == "troc" && remote.database == "broker")
        #expect(remote.tls == .verifyFull && remote.maximumConnections == 8 && remote.unixSocketPath == nil)
        let socket = try PostgresLocation(url: "postgres://troc@/troc?host=/var/run/postgresql")
        #expect(socket.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432" && socket.tls == .disable)
        #expect(try PostgresLocation(url: "postgresql://troc@127.0.0.1/troc").tls == .disable)
    }

    @Test(arguments: [
        ("postgres://troc:hunter2@db.example.fr/troc", "TROC_DATABASE_PASSWORD"),
        ("postgres://db.example.fr/troc", "no user"),
        ("postgres://troc@db.example.fr/", "no database"),
        ("postgres://troc@db.example.fr/troc?sslmode=prefer", "sslmode=prefer"),
        ("postgres://troc@db.example.fr/troc?pool=0", "pool=0"),
        ("postgres://troc@db.example.fr/troc?application_name=x", "unknown parameter application_name"),
        ("postgres://troc@/troc?host=/run/postgresql&sslmode=require", "over a Unix socket"),
        ("mysql://troc@db.example.fr/troc", "expected postgres://"),
    ])
    func aMalformedURLIsRefusedSayingWhy(url: String, reason: String) {
        #expect {
            try PostgresLocation(url: url)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(reason) && !message.contains("hunter2")
        }
    }

    @Test func thePasswordComesFromTheEnvironmentThenItsFileThenTheSystemdCredential() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-pg-location-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("password")
        let credentials = directory.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        for (path, text) in [
            (file.path, "from-the-file\n"), (credentials.appendingPathComponent(PostgresLocation.credentialName).path, "from-systemd\n"),
        ] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]))
        }
        let withFile = try PostgresLocation(url: "postgres://troc@db.example.fr/troc?password-file=\(file.path)")
        let plain = try PostgresLocation(url: "postgres://troc@db.example.fr/troc")
        let systemd = ["CREDENTIALS_DIRECTORY": credentials.path]
        #expect(try withFile.password(environment: ["TROC_DATABASE_PASSWORD": "from-the-environment"]) == "from-the-environment")
        #expect(try withFile.password(environment: systemd) == "from-the-file")
        #expect(try plain.password(environment: systemd) == "from-systemd")
        #expect(try plain.password(environment: [:]) == nil)
        // A password file others can read is refused.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(throws: PostgresLocationError.self) { try withFile.password(environment: [:]) }
    }
}
