import ArgumentParser

/// The `callpipe` command and its subcommands.
struct CallPipe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callpipe",
        abstract: "Call analytics: talk time, transcripts and insights from call audio.",
        subcommands: [
            ServeCommand.self, AnalyzeCommand.self, TranscribeCommand.self, ReplayCommand.self, KeysCommand.self,
            WatchCommand.self, SeedDemoCommand.self, MockCRMCommand.self, SyncCommand.self, UnsealCommand.self,
        ])
}
