/// A failure a subcommand reports with its own exit code (docs/ARCHITECTURE.md §3).
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32
}
