package import Foundation
package import Logging

/// Runs the bundled faster-whisper server as a child process for the length of a scope.
///
/// The server picks a free loopback port and announces it on stderr, which goes to a log file
/// we poll; it exits by itself if we die, so it never outlives CallPipe. Failures to start name
/// the fix (run the setup) and quote the server's last log lines.
package enum LocalWhisperServer {
    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT/v1`), stops it.
    package static func withServer<Result: Sendable>(
        _ configuration: LocalWhisperConfiguration, logger: Logger,
        _ body: (String) async throws -> Result
    ) async throws -> Result {
        try await withServer(configuration, logger: logger) { baseURL, _ in try await body(baseURL) }
    }

    /// The same, with the file the server logs to while `body` runs (removed after it).
    package static func withServer<Result: Sendable>(
        _ configuration: LocalWhisperConfiguration, logger: Logger,
        _ body: (_ baseURL: String, _ log: URL) async throws -> Result
    ) async throws -> Result {
        guard configuration.isInstalled else {
            throw AIClientError(
                .localServer,
                "the offline transcription server is not installed at \(configuration.directory); "
                    + "run scripts/setup (or set OPENAI_API_KEY to use the OpenAI API)")
        }
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "callpipe-local-whisper-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).log"
            )
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.python)
        process.arguments = [
            configuration.script, "--port", "0", "--parent-pid", "\(ProcessInfo.processInfo.processIdentifier)",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        process.standardError = logHandle
        do {
            try process.run()
        } catch {
            throw AIClientError(.localServer, "cannot start \(configuration.python): \(error)")
        }
        defer { stop(process) }
        let baseURL = try await waitUntilListening(process, log: log, configuration: configuration)
        logger.debug("Local transcription server started", metadata: ["ai.base_url": "\(baseURL)"])
        return try await body(baseURL, log)
    }

    private static func waitUntilListening(
        _ process: Process, log: URL, configuration: LocalWhisperConfiguration
    ) async throws -> String {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(configuration.startupTimeout) {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://") {
                let address = text[range.upperBound...].prefix { !$0.isWhitespace }
                return "http://\(address)/v1"
            }
            guard process.isRunning else {
                throw AIClientError(
                    .localServer, "the offline transcription server exited while starting: \(lastLines(text))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw AIClientError(
            .localServer,
            "the offline transcription server did not start within \(Int(configuration.startupTimeout)) s: \(lastLines(text))"
        )
    }

    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<50 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static func lastLines(_ text: String) -> String {
        let lines = text.split(separator: "\n").suffix(3).joined(separator: " | ")
        return lines.isEmpty ? "no output" : lines
    }
}
