import Foundation
import Testing
import TrocServer
import TrocTestSupport

/// `sd_notify` without libsystemd: the datagram systemd reads, to a socket path or an abstract name.
@Suite struct SystemdNotifierTests {
    @Test("without NOTIFY_SOCKET (not run by systemd) there is no notifier")
    func absent() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "vsock:2:1234"]) == nil)
    }

    @Test(
        "notifications arrive as one datagram each, in order, at a path or an abstract name",
        arguments: [
            FileManager.default.temporaryDirectory.appendingPathComponent("troc-notify-\(UUID().uuidString.prefix(8))").path,
            "@troc-notify-\(UUID().uuidString.prefix(8))",
        ])
    func delivered(path: String) throws {
        let listener = try NotifySocketListener(path: path)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": path]))
        try notifier.notify("READY=1\nSTATUS=Listening on http://localhost:8080")
        try notifier.notify("STOPPING=1")
        #expect(listener.receive() == "READY=1\nSTATUS=Listening on http://localhost:8080")
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test("a vanished socket is reported with its path, and a path too long for a socket address is refused")
    func failures() throws {
        let missing = "/nonexistent/troc-notify.socket"
        let error = try #require(throws: SystemdNotifyError.self) { try SystemdNotifier(environment: ["NOTIFY_SOCKET": missing])?.notify("READY=1") }
        #expect(error.description.contains("NOTIFY_SOCKET=\(missing): sendto failed"))
        let long = "/" + String(repeating: "x", count: 200)
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier(environment: ["NOTIFY_SOCKET": long])?.notify("READY=1") }
    }
}
