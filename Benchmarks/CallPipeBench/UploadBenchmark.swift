import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// (a) Concurrent uploads to a real server process, against `dd` to the same disk.
struct UploadBenchmark {
    var callpipe: String
    var upload: String
    var work: String
    var uploads: Int

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: upload))
        let directory = (work as NSString).appendingPathComponent("uploads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keys = try output(callpipe, ["keys", "create", "--role", "admin", "--data-dir", directory])
        let key = String(keys.split(separator: "\n").last ?? "")
        let log = (directory as NSString).appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: callpipe)
        server.arguments = ["serve", "--port", "0", "--data-dir", directory]
        server.environment = [
            "CALLPIPE_WORKERS": "0", "CALLPIPE_DEV_MODE": "false", "CALLPIPE_AI_PROVIDER": "openai",
            // One key uploads everything: the per-key limits would measure themselves.
            "CALLPIPE_RATE_LIMIT_RPS": "1000000", "CALLPIPE_RATE_LIMIT_BURST": "1000000",
            "CALLPIPE_MAX_UPLOADS_PER_KEY": "1000",
            "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "",
        ]
        server.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var port = 0
        for _ in 0..<200 where port == 0 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let base = "http://127.0.0.1:\(port)"
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: uploads + 8)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var ids: [String] = []
        for _ in 0..<uploads {
            let (_, body) = try await httpRequest(
                client, .POST, "\(base)/api/calls/start", key: key, contentType: "application/json",
                body: ByteBuffer(string: #"{"agent_id":"bench"}"#))
            ids.append(((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["id"] as? String) ?? "")
        }
        let buffer = ByteBuffer(data: data)
        let started = ContinuousClock.now
        let times = try await withThrowingTaskGroup(of: Double.self) { group in
            for id in ids {
                group.addTask {
                    let begin = ContinuousClock.now
                    let (status, _) = try await httpRequest(
                        client, .POST, "\(base)/api/calls/\(id)/audio", key: key, contentType: "audio/wav", body: buffer
                    )
                    guard status == 202 else { throw BenchmarkError("upload answered \(status)") }
                    return seconds(ContinuousClock.now - begin)
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }
        }
        let wall = seconds(ContinuousClock.now - started)
        try await client.shutdown()
        let megabytes = Double(data.count * uploads) / 1_048_576
        let ddRate = try ddThroughput(directory: directory)
        print(
            String(
                format:
                    "uploads: %d × %.1f MB at once: %.1f uploads/s, %.1f MB/s aggregate (dd with fdatasync to the same disk: %.1f MB/s → %.0f%%); time to 202 p50 %.0f ms, p99 %.0f ms",
                uploads, Double(data.count) / 1_048_576, Double(uploads) / wall, megabytes / wall, ddRate,
                100 * (megabytes / wall) / ddRate, percentile(times, 0.5), percentile(times, 0.99)))
    }

    private func ddThroughput(directory: String) throws -> Double {
        let target = (directory as NSString).appendingPathComponent("dd.bin")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let count = 500
        let started = ContinuousClock.now
        _ = try output("/bin/dd", ["if=/dev/zero", "of=\(target)", "bs=1M", "count=\(count)", "conv=fdatasync"])
        return Double(count) / seconds(ContinuousClock.now - started)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program and returns its standard output.
func output(_ program: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchmarkError("\(program) failed") }
    return String(decoding: data, as: UTF8.self)
}
