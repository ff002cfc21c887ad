/// A failure a subcommand reports with its own exit code (DESIGN.md §3).
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32
}
