public import Foundation

/// Where the blobs go: a bucket, the store's address and region, and the credentials to sign with.
///
/// Parsed from `s3://bucket?endpoint=http://127.0.0.1:8333&region=us-east-1`; the credentials come from
/// a file named by `credentials-file=` (an AWS shared-credentials file, its `[default]` profile or the one named by
/// `profile=`), `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or the systemd credential `troc-object-store` (such a
/// file), never from the URL, which ends up in command lines, unit files and logs.
public struct ObjectStoreConfiguration: Sendable, Equatable {
    /// The bucket holding the objects.
    public let bucket: String
    /// The region signed into every request (`us-east-1` unless the URL says otherwise).
    public let region: String
    /// `http` or `https`.
    public let scheme: String
    /// The host requests go to: the endpoint's, or `bucket.s3.region.amazonaws.com` on AWS.
    public let host: String
    /// The port, when not the scheme's default.
    public let port: Int?
    /// Whether the bucket is the path's first segment (an explicit endpoint) rather than part of the host (AWS).
    public let pathStyle: Bool
    /// The access key and secret.
    public let credentials: SigV4Signer.Credentials

    /// A configuration from its parts, for callers that already hold them.
    public init(bucket: String, region: String, scheme: String, host: String, port: Int?, pathStyle: Bool, credentials: SigV4Signer.Credentials) {
        self.bucket = bucket
        self.region = region
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathStyle = pathStyle
        self.credentials = credentials
    }

    /// Parses `url`, reading credentials from `environment` or the file the URL names.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ObjectStoreError) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "s3" else {
            throw .configuration(
                "\(Self.redacted(url)) is not an object-store URL such as s3://bucket?endpoint=http://127.0.0.1:8333&region=us-east-1")
        }
        if components.user != nil || components.password != nil {
            throw .configuration(
                "s3://…@\(components.host ?? ""): credentials do not go in the URL (it is shown in process lists and logs); "
                    + "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a credentials file with credentials-file=PATH")
        }
        guard let bucket = components.host, Self.isBucketName(bucket) else {
            throw .configuration(
                "\(url): the bucket name (after s3://) must be 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit"
            )
        }
        guard components.path.isEmpty || components.path == "/" else {
            throw .configuration("\(url): the URL names a bucket only, not a path inside it (\(components.path))")
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["endpoint", "region", "credentials-file", "profile"].contains(item.name) else {
                throw .configuration("\(url): unknown parameter \(item.name); the parameters are endpoint, region, credentials-file and profile")
            }
            parameters[item.name] = item.value ?? ""
        }
        let region = parameters["region"] ?? "us-east-1"
        guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw .configuration("\(url): region \(region) is not a region name such as us-east-1")
        }
        self.bucket = bucket
        self.region = region
        if let endpoint = parameters["endpoint"] {
            guard let parsed = URLComponents(string: endpoint), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
                let host = parsed.host, !host.isEmpty, parsed.path.isEmpty || parsed.path == "/", parsed.query == nil, parsed.user == nil
            else {
                throw .configuration(
                    "\(url): endpoint \(endpoint) is not an http:// or https:// address with a host and an optional port, such as http://127.0.0.1:8333"
                )
            }
            self.scheme = scheme
            self.host = host
            self.port = parsed.port
            self.pathStyle = true
        } else {
            self.scheme = "https"
            self.host = "\(bucket).s3.\(region).amazonaws.com"
            self.port = nil
            self.pathStyle = false
        }
        self.credentials = try Self.credentials(
            file: parameters["credentials-file"], profile: parameters["profile"] ?? "default", environment: environment)
    }

    /// The `Host` header's value.
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(bracketed):\($0)" } ?? bracketed
    }

    /// The name of the systemd credential that may hold a shared-credentials file (`LoadCredential=troc-object-store:…`,
    /// copied into `$CREDENTIALS_DIRECTORY`, readable by the service alone).
    public static let credentialName = "troc-object-store"

    /// The credentials from a shared-credentials file when one is named, else from the environment, else from the systemd
    /// credential.
    private static func credentials(file: String?, profile: String, environment: [String: String]) throws(ObjectStoreError) -> SigV4Signer.Credentials
    {
        if let file = file ?? credentialFile(environment) {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw .configuration("credentials file \(file) cannot be read: \(error.localizedDescription)")
            }
            return try parseCredentialsFile(text, profile: profile, path: file)
        }
        guard let accessKeyID = environment["AWS_ACCESS_KEY_ID"], !accessKeyID.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else {
            throw .configuration(
                "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add credentials-file=PATH to the s3:// URL "
                    + "(a file with aws_access_key_id and aws_secret_access_key under [default])")
        }
        return SigV4Signer.Credentials(accessKeyID: accessKeyID, secretAccessKey: secret)
    }

    /// The systemd credential's file when the service was given one and the environment names no keys.
    private static func credentialFile(_ environment: [String: String]) -> String? {
        guard environment["AWS_ACCESS_KEY_ID"]?.isEmpty ?? true, let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty
        else { return nil }
        let path = (directory as NSString).appendingPathComponent(credentialName)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Reads `profile` of an AWS shared-credentials (INI) file.
    static func parseCredentialsFile(_ text: String, profile: String, path: String) throws(ObjectStoreError) -> SigV4Signer.Credentials {
        var section: String?
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw .configuration("credentials file \(path), line \(index + 1): a section header is [name]")
                }
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                continue
            }
            guard section == profile else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .configuration("credentials file \(path), line \(index + 1): expected name = value")
            }
            values[line[..<equals].trimmingCharacters(in: .whitespaces)] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        guard let accessKeyID = values["aws_access_key_id"], !accessKeyID.isEmpty, let secret = values["aws_secret_access_key"], !secret.isEmpty
        else {
            throw .configuration("credentials file \(path): profile [\(profile)] needs aws_access_key_id and aws_secret_access_key")
        }
        return SigV4Signer.Credentials(accessKeyID: accessKeyID, secretAccessKey: secret)
    }

    /// S3's bucket naming rules, enough to refuse names that would change the request's meaning.
    private static func isBucketName(_ name: String) -> Bool {
        let characters = Array(name)
        guard (3...63).contains(characters.count), let first = characters.first, let last = characters.last else { return false }
        let allowed = characters.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
        return allowed && (first.isLetter || first.isNumber) && (last.isLetter || last.isNumber)
    }

    /// `url` with anything between `//` and `@` hidden, for error messages.
    private static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let slashes = url.range(of: "//"), slashes.upperBound < at else { return url }
        return String(url[..<slashes.upperBound]) + "…" + String(url[at...])
    }
}
