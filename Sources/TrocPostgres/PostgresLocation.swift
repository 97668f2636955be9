import Foundation
import NIOSSL
package import PostgresNIO

/// Where the broker's records live when they are not in the data directory: `trocd serve --database URL`.
///
///     postgres://troc@db.example.fr:5432/troc?sslmode=verify-full&pool=20
///     postgres://troc@/troc?host=/var/run/postgresql            (a Unix socket, as libpq's host= names it)
///
/// The password is never part of the URL (a command line is visible to every user of the machine): it comes from
/// `TROC_DATABASE_PASSWORD`, or from the file `password-file=PATH` names (0600, read once at start). `sslmode` is
/// `disable`, `require` (encrypted, the server's certificate not checked) or `verify-full` (the default off loopback).
package struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected.
    package enum TLSMode: String, Sendable, Equatable {
        case disable
        case require
        case verifyFull = "verify-full"
    }

    /// The server's host name or address; nil with a Unix socket.
    package var host: String?
    /// The server's port.
    package var port: Int
    /// The directory or file of the server's Unix socket (`host=/var/run/postgresql`), instead of a host.
    package var unixSocketPath: String?
    /// The role the broker connects as.
    package var username: String
    /// The database.
    package var database: String
    /// TLS on the connection.
    package var tls: TLSMode
    /// The file holding the password, if it comes from one.
    package var passwordFile: String?
    /// Connections each instance keeps open at most.
    package var maximumConnections: Int

    /// The location `url` names; refuses a password in the URL, an unknown parameter, a missing database.
    package init(url: String) throws(PostgresLocationError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw .invalid(url: Self.redacted(url), reason: "expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        guard components.password == nil else {
            throw .invalid(
                url: Self.redacted(url),
                reason: "a password on the command line is visible to every user of the machine: use TROC_DATABASE_PASSWORD or password-file=PATH")
        }
        guard let user = components.user, !user.isEmpty else { throw .invalid(url: url, reason: "no user: postgres://USER@HOST/DATABASE") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw .invalid(url: url, reason: "no database: postgres://USER@HOST/DATABASE") }
        username = user
        self.database = database
        host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        port = components.port ?? 5432
        unixSocketPath = nil
        passwordFile = nil
        maximumConnections = 20
        var mode: TLSMode?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host":
                guard value.hasPrefix("/") else { throw .invalid(url: url, reason: "host=\(value): a Unix socket is an absolute path") }
                unixSocketPath = value.hasSuffix(".s.PGSQL.\(port)") ? value : (value as NSString).appendingPathComponent(".s.PGSQL.\(port)")
            case "sslmode":
                guard let parsed = TLSMode(rawValue: value) else {
                    throw .invalid(url: url, reason: "sslmode=\(value): expected disable, require or verify-full")
                }
                mode = parsed
            case "password-file":
                guard !value.isEmpty else { throw .invalid(url: url, reason: "password-file= names no file") }
                passwordFile = value
            case "pool":
                guard let count = Int(value), (1...500).contains(count) else {
                    throw .invalid(url: url, reason: "pool=\(value): expected a number of connections from 1 to 500")
                }
                maximumConnections = count
            default:
                throw .invalid(url: url, reason: "unknown parameter \(item.name) (host, sslmode, password-file, pool)")
            }
        }
        guard host != nil || unixSocketPath != nil else {
            throw .invalid(url: url, reason: "no host: postgres://USER@HOST/DATABASE or ?host=/socket/dir")
        }
        let local = unixSocketPath != nil || ["127.0.0.1", "::1", "localhost"].contains(host ?? "")
        tls = mode ?? (local ? .disable : .verifyFull)
        if unixSocketPath != nil && tls != .disable { throw .invalid(url: url, reason: "sslmode=\(tls.rawValue) over a Unix socket: use disable") }
    }

    /// The password: `TROC_DATABASE_PASSWORD`, else the first line of the password file or of the systemd credential
    /// `troc-database-password`, else none (peer or trust authentication). A password file others can read is refused.
    package func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresLocationError) -> String? {
        if let password = environment["TROC_DATABASE_PASSWORD"], !password.isEmpty { return password }
        guard let passwordFile = passwordFile ?? Self.credential(environment) else { return nil }
        let files = FileManager.default
        guard let attributes = try? files.attributesOfItem(atPath: passwordFile),
            let text = try? String(contentsOfFile: passwordFile, encoding: .utf8)
        else { throw .passwordFile(path: passwordFile, reason: "it cannot be read") }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw .passwordFile(path: passwordFile, reason: "it is readable by others (mode \(String(mode, radix: 8))): chmod 600 \(passwordFile)")
        }
        guard let line = text.split(whereSeparator: \.isNewline).first, !line.isEmpty else {
            throw .passwordFile(path: passwordFile, reason: "it is empty")
        }
        return String(line)
    }

    /// The systemd credential that holds the password (`LoadCredential=troc-database-password:…`, which systemd copies into
    /// `$CREDENTIALS_DIRECTORY`, readable by the service alone), when the service was given one.
    static func credential(_ environment: [String: String]) -> String? {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return nil }
        let path = (directory as NSString).appendingPathComponent(credentialName)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The name of that credential.
    package static let credentialName = "troc-database-password"

    /// The connection pool's configuration, with `password`.
    package func clientConfiguration(password: String?) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let unixSocketPath {
            configuration = PostgresClient.Configuration(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        } else {
            let tlsSetting: PostgresClient.Configuration.TLS
            switch tls {
            case .disable:
                tlsSetting = .disable
            case .require:
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .none
                tlsSetting = .require(settings)
            case .verifyFull:
                tlsSetting = .require(TLSConfiguration.makeClientConfiguration())
            }
            configuration = PostgresClient.Configuration(
                host: host ?? "localhost", port: port, username: username, password: password, database: database, tls: tlsSetting)
        }
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    /// The location as logs and start-up lines show it (no password is ever part of it).
    package var description: String {
        let server = unixSocketPath.map { "socket \($0)" } ?? "\(host ?? ""):\(port)"
        return "postgres://\(username)@\(server)/\(database) (sslmode \(tls.rawValue), pool \(maximumConnections))"
    }

    /// `url` with any password in it replaced, for an error message.
    private static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }
}

/// Why a `--database` URL or its password could not be used.
package enum PostgresLocationError: Error, Equatable, CustomStringConvertible {
    /// The URL is not one trocd can connect with.
    case invalid(url: String, reason: String)
    /// The password file named cannot be used.
    case passwordFile(path: String, reason: String)

    package var description: String {
        switch self {
        case .invalid(let url, let reason): "--database \(url): \(reason)"
        case .passwordFile(let path, let reason): "the database password file \(path): \(reason)"
        }
    }
}
