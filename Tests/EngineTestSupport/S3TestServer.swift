import Foundation
package import ObjectStorage

/// An S3-compatible server for the tests (docs/testing.md, "Object storage"): moto's server mode
/// from PyPI (`scripts/setup` installs it into `tools/s3-test-server/.venv`) on a free loopback
/// port, with Signature V4 checked against an IAM key it creates. Started once per test process,
/// on first use; it ends with the test process (it runs until its stdin, held here, closes). Each
/// test gets a bucket of its own.
package actor S3TestServer {
    package static let shared = S3TestServer()

    private struct Started: Sendable {
        var endpoint: String
        var accessKeyID: String
        var secretAccessKey: String
    }

    private var starting: Task<Started, any Error>?
    private var buckets = 0
    /// The running server; kept so that its stdin stays open.
    private var process: Process?
    private var input: Pipe?

    /// A new empty bucket, as the configuration a node would read from `CALLPIPE_STORAGE_URL` and
    /// the `CALLPIPE_S3_*` keys.
    package func newBucket(prefix: String = "recordings", partSize: Int = S3Configuration.minimumPartSize)
        async throws -> S3Configuration
    {
        let server = try await start()
        buckets += 1
        let name = "callpipe-\(ProcessInfo.processInfo.processIdentifier)-\(buckets)"
        let configuration = try S3Configuration(
            url: "s3://\(name)/\(prefix)", endpoint: server.endpoint, region: "us-east-1",
            accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey, partSize: partSize, timeout: 30,
            cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("s3-cache-\(name)").path)
        try await S3Client(configuration: configuration).createBucket()
        return configuration
    }

    private func start() async throws -> Started {
        if let starting { return try await starting.value }
        let task = Task { try await launch() }
        starting = task
        return try await task.value
    }

    private func launch() async throws -> Started {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tools/s3-test-server")
        let python = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw EngineTestError(message: "no S3 test server in \(root.path)/.venv: run scripts/setup")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("serve.py").path]
        let input = Pipe()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("callpipe-s3-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.input = input
        // `ready PORT KEY SECRET`, within 60 s (moto imports slowly on a loaded machine).
        let deadline = ContinuousClock.now + .seconds(60)
        var line = ""
        while !line.hasSuffix("\n") {
            guard process.isRunning, ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
            line = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        let parts = line.split(separator: " ").map { String($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard parts.count == 4, parts[0] == "ready" else {
            process.terminate()
            throw EngineTestError(message: "the S3 test server did not start: \(line.prefix(300))")
        }
        return Started(endpoint: "http://127.0.0.1:\(parts[1])", accessKeyID: parts[2], secretAccessKey: parts[3])
    }
}
