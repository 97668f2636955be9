import ArgumentParser

/// `troc deal …`: propose, upload, read the report, accept or decline, approve, release, download.
struct DealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deal", abstract: "Prospect-file swaps between two firms.",
        subcommands: [
            Propose.self, List.self, Show.self, Upload.self, Attach.self, Report.self, Accept.self, Decline.self, Override.self, Approve.self,
            Reject.self, Release.self, Cancel.self, Download.self, Terms.self,
        ])
}
