import Foundation
import Synchronization
import Testing
import TrocTestSupport

/// A real reverse proxy (nginx or Caddy) started from the configuration in `Deploy/`, with its ports, paths and
/// certificate templated into a test directory; stopped with SIGTERM.
final class ReverseProxy: @unchecked Sendable {
    /// Which proxy, and the Debian package that provides it.
    enum Kind: String {
        case nginx
        case caddy
    }

    let kind: Kind
    let directory: URL
    let httpsPort: Int
    let httpPort: Int
    /// The self-signed certificate clients trust (`troc login --ca`).
    let certificate: URL
    private let process = Process()
    private let log = LogBuffer()

    /// `https://localhost:<port>`.
    var url: String { "https://localhost:\(httpsPort)" }

    /// Everything the proxy wrote to its error log (nginx) or standard error (Caddy) so far.
    var errorLog: String {
        let file = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        return file + log.text.withLock { $0 }
    }

    /// Starts `kind` in front of `trocd` listening on `upstreamPort`; `bindAddress` is the address nginx connects to
    /// trocd from (so that trocd can tell the proxy from the client on one machine).
    convenience init(_ kind: Kind, upstreamPort: Int, bindAddress: String, in parent: URL) throws {
        try self.init(kind, upstreamPorts: [upstreamPort], bindAddress: bindAddress, in: parent)
    }

    /// Starts `kind` in front of the instances listening on `upstreamPorts`: with more than one (nginx only), `troc.conf`'s
    /// upstream block is replaced by `troc-cluster-upstream.conf`'s, one server line per instance.
    init(_ kind: Kind, upstreamPorts: [Int], bindAddress: String, in parent: URL) throws {
        let upstreamPort = upstreamPorts[0]
        self.kind = kind
        directory = parent.appendingPathComponent(kind.rawValue)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ports = try freeLoopbackPorts(2)
        httpsPort = ports[0]
        httpPort = ports[1]
        certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        try Self.makeCertificate(certificate: certificate, key: key, in: directory)
        let executable = try Self.executable(kind)
        switch kind {
        case .nginx:
            let site = try Self.template(
                "Deploy/nginx/troc.conf",
                [
                    "listen 443 ssl http2;": "listen 127.0.0.1:\(httpsPort) ssl http2;",
                    "listen [::]:443 ssl http2;": "",
                    "listen 80;": "listen 127.0.0.1:\(httpPort);",
                    "listen [::]:80;": "",
                    "/etc/letsencrypt/live/troc.example.com/fullchain.pem": certificate.path,
                    "/etc/letsencrypt/live/troc.example.com/privkey.pem": key.path,
                    "root /var/www/html;": "root \(directory.path);",
                    "server 127.0.0.1:8080;": "server 127.0.0.1:\(upstreamPort);",
                    "proxy_http_version 1.1;": "proxy_http_version 1.1;\n    proxy_bind \(bindAddress);",
                ])
            let sitePath = directory.appendingPathComponent("troc.conf")
            try Data((upstreamPorts.count > 1 ? try Self.clusterUpstream(site, ports: upstreamPorts) : site).utf8).write(to: sitePath)
            let paths = ["client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path"]
            let main = """
                daemon off;
                master_process on;
                worker_processes 1;
                pid \(directory.path)/nginx.pid;
                error_log \(directory.path)/error.log info;
                events { worker_connections 128; }
                http {
                    access_log \(directory.path)/access.log;
                \(paths.map { "    \($0) \(directory.path)/\($0);" }.joined(separator: "\n"))
                    default_type application/octet-stream;
                    include \(sitePath.path);
                }

                """
            let configuration = directory.appendingPathComponent("nginx.conf")
            try Data(main.utf8).write(to: configuration)
            process.executableURL = executable
            process.arguments = ["-p", directory.path, "-e", directory.appendingPathComponent("error.log").path, "-c", configuration.path]
        case .caddy:
            // Debian's Caddy cannot bind an outgoing address: it reaches trocd from 127.0.0.1, and the tests tell the client
            // apart by connecting from another loopback address instead.
            let site = try Self.template(
                "Deploy/caddy/Caddyfile",
                [
                    "troc.example.com {": """
                    {
                    \tadmin off
                    \tauto_https disable_redirects
                    \tskip_install_trust
                    \thttp_port \(httpPort)
                    \thttps_port \(httpsPort)
                    \tstorage file_system \(directory.path)/data
                    }

                    https://localhost:\(httpsPort) {
                    """,
                    "\ttls {": "\ttls \(certificate.path) \(key.path) {",
                    "reverse_proxy 127.0.0.1:8080 {": "reverse_proxy 127.0.0.1:\(upstreamPort) {",
                ])
            let configuration = directory.appendingPathComponent("Caddyfile")
            try Data(site.utf8).write(to: configuration)
            process.executableURL = executable
            process.arguments = ["run", "--config", configuration.path, "--adapter", "caddyfile"]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["HOME": directory.path, "XDG_DATA_HOME": directory.path, "XDG_CONFIG_HOME": directory.path]) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let log = self.log
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { log.text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
        guard waitUntilListening(port: httpsPort, while: { self.process.isRunning }) else {
            process.terminate()
            throw ProxyError.didNotStart(kind.rawValue, errorLog)
        }
    }

    /// Stops the proxy and waits for it.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// `site` with its upstream block replaced by the shipped cluster block, its two example servers by one per port.
    static func clusterUpstream(_ site: String, ports: [Int]) throws -> String {
        let cluster = try template(
            "Deploy/nginx/troc-cluster-upstream.conf",
            [
                "    server 127.0.0.1:8082 max_fails=1 fail_timeout=10s;\n": "",
                "    server 127.0.0.1:8081 max_fails=1 fail_timeout=10s;\n": ports.map {
                    "    server 127.0.0.1:\($0) max_fails=1 fail_timeout=10s;\n"
                }.joined(),
            ])
        guard let start = site.range(of: "upstream trocd {"), let end = site.range(of: "\n}\n", range: start.upperBound..<site.endIndex),
            let block = cluster.range(of: "\nupstream trocd {")
        else { throw ProxyError.templateChanged("Deploy/nginx/troc.conf", "upstream trocd {") }
        return site.replacingCharacters(in: start.lowerBound..<end.upperBound, with: String(cluster[block.lowerBound...].dropFirst()))
    }

    /// The file `relativePath` of the repository with each key replaced by its value; every key must occur, so that a
    /// change to the shipped configuration cannot silently leave the test on an old shape.
    static func template(_ relativePath: String, _ replacements: [String: String]) throws -> String {
        var text = try String(contentsOf: Repository.file(relativePath), encoding: .utf8)
        for (original, replacement) in replacements.sorted(by: { $0.key < $1.key }) {
            guard text.contains(original) else { throw ProxyError.templateChanged(relativePath, original) }
            text = text.replacingOccurrences(of: original, with: replacement)
        }
        return text
    }

    /// A self-signed ECDSA certificate for localhost and 127.0.0.1, as a test stands in for the broker's real one.
    static func makeCertificate(certificate: URL, key: URL, in directory: URL) throws {
        let result = try run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.path, "-out", certificate.path,
            ], in: directory)
        guard result.status == 0 else { throw ProxyError.certificate(result.error) }
    }

    /// The proxy's executable, or an error saying which Debian package to install.
    static func executable(_ kind: Kind) throws -> URL {
        for directory in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(kind.rawValue)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ProxyError.missing(kind.rawValue)
    }

    enum ProxyError: Error, CustomStringConvertible {
        case missing(String)
        case didNotStart(String, String)
        case templateChanged(String, String)
        case certificate(String)

        var description: String {
            switch self {
            case .missing(let name): "\(name) is not installed: the deployment tests need it (apt-get install \(name); .ci/run does)"
            case .didNotStart(let name, let log): "\(name) did not start:\n\(log)"
            case .templateChanged(let path, let original): "\(path) no longer contains \"\(original)\": update the test's template"
            case .certificate(let error): "openssl could not make a test certificate: \(error)"
            }
        }
    }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port` within a minute, checked while `alive` holds.
func waitUntilListening(port: Int, while alive: () -> Bool) -> Bool {
    for _ in 0..<1200 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        close(descriptor)
        if connected { return true }
        if !alive() { return false }
        usleep(50_000)
    }
    return false
}

/// `curl` with the given arguments (the tests' way to send what the `troc` client never would, such as a forged header).
func curl(_ arguments: [String], in directory: URL) throws -> CommandResult {
    try run(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "--silent", "--show-error"] + arguments, in: directory)
}
