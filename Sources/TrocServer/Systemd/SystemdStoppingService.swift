package import Logging
import ServiceLifecycle

/// Sends `STOPPING=1` to systemd the moment a graceful shutdown begins (SIGTERM from `systemctl stop`), while the server
/// finishes the requests in flight; run it last in the service group so it hears the shutdown first.
package struct SystemdStoppingService: Service {
    let notifier: SystemdNotifier
    let logger: Logger

    package init(notifier: SystemdNotifier, logger: Logger) {
        self.notifier = notifier
        self.logger = logger
    }

    package func run() async throws {
        // Returns when shutdown begins; a cancellation (the group failing) also ends the wait, and stopping is still news.
        try? await gracefulShutdown()
        do {
            try notifier.notify("STOPPING=1")
        } catch {
            logger.warning("systemd notification failed", metadata: ["error": "\(error)"])
        }
    }
}
