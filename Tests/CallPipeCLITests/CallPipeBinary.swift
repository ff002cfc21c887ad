import Foundation

/// Runs the built `callpipe` executable, which SwiftPM places next to the test bundle.
enum CallPipeBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let url: URL = {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("callpipe")
    }()

    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/audio")

    /// Runs `callpipe` with `arguments`; with `environment`, in exactly that environment (plus PATH
    /// and HOME), so the developer's own keys never leak into a test. The waiting happens on a
    /// Dispatch thread: blocking Swift's two cooperative threads here would starve the in-process
    /// fake servers the child talks to.
    static func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> Result {
        try await offCooperativePool { try runBlocking(arguments, environment: environment) }
    }

    /// Runs blocking work on a Dispatch thread.
    static func offCooperativePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws
        -> Value
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String]?) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let environment {
            let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME"].contains($0.key) }
            process.environment = inherited.merging(environment) { $1 }
        }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and stall the child.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }
}
