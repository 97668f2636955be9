import ArgumentParser
import Foundation
import TrocCore

/// `trocd`: the broker daemon and its administration commands.
@main
struct Trocd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trocd",
        abstract: "The Troc broker daemon: HTTPS API, encrypted storage, administration.",
        version: TrocVersion.current,
        subcommands: [ServeCommand.self, AdminCommand.self]
    )
}

/// `trocd admin …`: run on the broker's machine, directly against the data directory.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Initialise the broker, rotate the master key, back up and restore, migrate to PostgreSQL.",
        subcommands: [
            InitCommand.self, RotateMasterKeyCommand.self, BackupCommand.self, RestoreCommand.self,
            SettingsCommand.self, AuditCommand.self, MigrateCommand.self,
        ]
    )
}
