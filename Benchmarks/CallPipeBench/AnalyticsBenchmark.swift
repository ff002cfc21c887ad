import ArgumentParser
import AsyncHTTPClient
import CRM
import CallPipeCore
import DemoData
import Foundation
import Logging
import MockCRM
import NIOCore
import NIOHTTP1
import SQLiteStore

/// `callpipe-bench analytics`: (a) the dashboard and agents endpoints with CALLS calls in the
/// database (p50/p95 over HTTP); (b) the CSV export's throughput, against the sqlite3 shell
/// writing the same columns; (c) CRM delivery throughput against the mock CRM with 10% of
/// requests failing transiently, counting duplicates and losses, against the same requests
/// sent straight to the mock with no outbox.
struct AnalyticsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analytics")

    @Option(help: "Calls in the database for (a) and (b).")
    var calls = 100_000

    @Option(help: "Finished calls delivered in (c), each to four targets.")
    var deliveries = 1_000

    @Option(help: "Fraction of CRM requests failing transiently in (c).")
    var failRate = 0.1

    @Option(help: "A scratch directory.")
    var work: String

    static var endOfToday: Date {
        Calendar(identifier: .gregorian).startOfDay(for: Date()).addingTimeInterval(86_399)
    }

    func run() async throws {
        let directory = (work as NSString).appendingPathComponent("analytics-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await queries(directory: directory)
        try await delivery(directory: directory)
    }

    private func queries(directory: String) async throws {
        let path = (directory as NSString).appendingPathComponent("callpipe.sqlite")
        let store = try SQLiteCallStore(path: path)
        let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
        try await store.insertAPIKey(record)
        let days = 90
        // Weekends carry a third of a weekday's calls; 5 % more than needed, then exactly `calls`.
        let perDay = Double(calls) * 1.05 / (Double(days) * (5 + 2.0 / 3) / 7)
        var generator = DemoCallGenerator(callsPerDay: Int(perDay.rounded(.up)), seed: 1)
        generator.transcriptLines = 2
        let seeding = ContinuousClock.now
        let seeded = Array(generator.calls(days: days, end: Self.endOfToday).prefix(calls))
        try await store.insertDemoCalls(seeded)
        let seedTime = seconds(ContinuousClock.now - seeding)
        let last = seeded.last!.call.createdAt
        let week = ISO8601DateFormatter().string(from: last.addingTimeInterval(-7 * 86_400))
        let dashboardQueries = ["", "agent_id=ann", "from=\(week)", "direction=outbound&sentiment=negative"]
        var dashboard: [Double] = []
        var unrolled: [Double] = []
        var agents: [Double] = []
        var export = (rows: 0, bytes: 0, seconds: 0.0)
        try await InProcessGateway.run(store: store, events: CallEventBus(), dataDirectory: directory) { port in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let base = "http://127.0.0.1:\(port)"
                for index in 0..<200 {
                    let query = dashboardQueries[index % dashboardQueries.count]
                    var begin = ContinuousClock.now
                    let (status, _) = try await httpRequest(
                        client, .GET, "\(base)/api/analytics/dashboard?\(query)", key: key)
                    guard status == 200 else { throw BenchmarkError("dashboard answered \(status)") }
                    dashboard.append(seconds(ContinuousClock.now - begin))
                    if index % 4 == 0 {
                        // A filter the roll-ups do not keep: answered from the calls themselves.
                        begin = ContinuousClock.now
                        let (rawStatus, _) = try await httpRequest(
                            client, .GET, "\(base)/api/analytics/dashboard?outcome=escalated", key: key)
                        guard rawStatus == 200 else { throw BenchmarkError("dashboard answered \(rawStatus)") }
                        unrolled.append(seconds(ContinuousClock.now - begin))
                    }
                    begin = ContinuousClock.now
                    let (agentStatus, _) = try await httpRequest(
                        client, .GET, "\(base)/api/agents?\(index % 2 == 0 ? "" : "from=\(week)")", key: key)
                    guard agentStatus == 200 else { throw BenchmarkError("agents answered \(agentStatus)") }
                    agents.append(seconds(ContinuousClock.now - begin))
                }
                export = try await streamedExport(client, "\(base)/api/calls/export.csv", key: key)
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        let reference = try sqliteShellExport(path)
        print(String(format: "analytics with %d calls (seeded in %.0f s)", calls, seedTime))
        print(
            String(
                format: "  GET /api/analytics/dashboard  p50 %6.1f ms  p95 %6.1f ms  (target p95 < 50 ms)",
                percentile(dashboard, 0.5), percentile(dashboard, 0.95)))
        print(
            String(
                format: "  ... ?outcome=escalated        p50 %6.1f ms  p95 %6.1f ms  (no roll-up: from the calls)",
                percentile(unrolled, 0.5), percentile(unrolled, 0.95)))
        print(
            String(
                format: "  GET /api/agents               p50 %6.1f ms  p95 %6.1f ms  (target p95 < 50 ms)",
                percentile(agents, 0.5), percentile(agents, 0.95)))
        print(
            String(
                format: "  GET /api/calls/export.csv     %d rows, %.1f MB in %.2f s = %.0f rows/s", export.rows - 1,
                Double(export.bytes) / 1e6, export.seconds, Double(export.rows - 1) / export.seconds))
        if let reference {
            print(
                String(
                    format:
                        "  sqlite3 -csv, same columns    %d rows in %.2f s = %.0f rows/s; export/sqlite3 time %.2fx",
                    reference.rows, reference.seconds, Double(reference.rows) / reference.seconds,
                    export.seconds / reference.seconds))
        }
    }

    /// Reads the export as it streams, counting rows and bytes.
    private func streamedExport(_ client: HTTPClient, _ url: String, key: String) async throws
        -> (rows: Int, bytes: Int, seconds: Double)
    {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let begin = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(600))
        guard response.status == .ok else { throw BenchmarkError("export answered \(response.status.code)") }
        var rows = 0
        var bytes = 0
        for try await buffer in response.body {
            bytes += buffer.readableBytes
            rows += buffer.readableBytesView.lazy.filter { $0 == UInt8(ascii: "\n") }.count
        }
        return (rows, bytes, seconds(ContinuousClock.now - begin))
    }

    /// The same rows and columns written by the sqlite3 shell, the reference for the export.
    private func sqliteShellExport(_ path: String) throws -> (rows: Int, seconds: Double)? {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: shell.executableURL!.path) else { return nil }
        shell.arguments = [
            "-csv", "-header", path,
            """
            SELECT c.*, (SELECT json_extract(s.json, '$.summary') FROM summaries AS s WHERE s.call_id = c.id
              ORDER BY s.version DESC LIMIT 1) AS summary,
              (SELECT group_concat(t.topic, '; ') FROM call_topics AS t WHERE t.call_id = c.id) AS topics
            FROM calls AS c ORDER BY c.created_at, c.id
            """,
        ]
        let output = (path as NSString).deletingLastPathComponent + "/reference.csv"
        FileManager.default.createFile(atPath: output, contents: nil)
        shell.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let begin = ContinuousClock.now
        try shell.run()
        shell.waitUntilExit()
        let elapsed = seconds(ContinuousClock.now - begin)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count
        return (lines - 1, elapsed)
    }

    private func delivery(directory: String) async throws {
        let store = try SQLiteCallStore(path: (directory as NSString).appendingPathComponent("deliveries.sqlite"))
        try await MockCRM.run { mock, base in
            let targets = mock.credentials.targets(baseURL: base)
            var generator = DemoCallGenerator(callsPerDay: deliveries * 2, seed: 3)
            generator.transcriptLines = 2
            let finished = Array(generator.calls(days: 1, end: Self.endOfToday).prefix(deliveries))
            for demo in finished {
                try await store.insertCall(demo.call)
                try await store.enqueue(callID: demo.call.id, stage: .summarize, now: Date())
                guard let job = try await store.claimJob(now: Date(), lease: 60) else { throw BenchmarkError("no job") }
                try await store.completeJob(
                    job, output: .summary(demo.insights, isFinal: true), usage: nil, deliverTo: targets.map(\.ref),
                    next: nil, now: Date())
            }
            var configuration = CRMConfiguration()
            configuration.concurrency = 16
            configuration.baseDelay = 0.05
            configuration.maxDelay = 1
            configuration.pollInterval = 0.01
            configuration.maxAttempts = 20
            await mock.state.setFailures(
                next: 0, modes: [.serverError, .unavailable, .tooManyRequests], rate: failRate, delay: 0)
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            let service = CRMDeliveryService(
                outbox: store, directory: CRMTargetDirectory(targets: targets),
                http: CRMHTTPClient(client: .shared, timeout: 10), configuration: configuration, logger: logger)
            let total = finished.count * targets.count
            let begin = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                while true {
                    let counts = try await store.deliveryCounts()
                    if (counts[.delivered] ?? 0) + (counts[.dead] ?? 0) >= total { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                group.cancelAll()
            }
            let elapsed = seconds(ContinuousClock.now - begin)
            let counts = try await store.deliveryCounts()
            let objects = await mock.state.counts()
            let requests = await mock.state.recorded().count
            let injected = await mock.state.injectedFailures
            let duplicates =
                objects.salesforceByCall.values.filter { $0 > 1 }.count
                + objects.zendeskByCall.values.filter { $0 > 1 }.count
                + objects.hubspotByCall.values.filter { $0 > 1 }.count
            let missing =
                finished.count * 3 - objects.salesforceByCall.count - objects.zendeskByCall.count
                - objects.hubspotByCall.count
                + finished.count - objects.webhooks
            // Reference: one webhook POST per delivery straight at the mock, same concurrency, no outbox.
            await mock.state.setFailures(next: 0, modes: [.serverError], rate: 0, delay: 0)
            let direct = try await directPosts(total, to: targets[3], concurrency: configuration.concurrency)
            print(
                String(
                    format:
                        "CRM delivery: %d calls x %d targets = %d deliveries in %.2f s = %.0f deliveries/s; %d requests, %d failed on purpose (%.0f%%)",
                    finished.count, targets.count, total, elapsed, Double(total) / elapsed, requests, injected,
                    100 * Double(injected) / Double(max(1, requests))))
            print(
                "  delivered \(counts[.delivered] ?? 0), dead \(counts[.dead] ?? 0), duplicates at the CRMs \(duplicates), missing \(missing)"
            )
            print(
                String(
                    format:
                        "  reference: %d signed webhook POSTs straight to the mock, no outbox: %.2f s = %.0f/s (outbox %.2fx the time)",
                    total, direct, Double(total) / direct, elapsed / direct))
        }
    }

    private func directPosts(_ count: Int, to target: CRMTarget, concurrency: Int) async throws -> Double {
        let http = CRMHTTPClient(client: .shared, timeout: 10)
        let body = Data(#"{"event":"call.completed"}"#.utf8)
        let secret = target.secret ?? ""
        let begin = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: worker, to: count, by: concurrency) {
                        var request = CRMRequest(method: "POST", url: target.url, headers: [:], body: body)
                        request.headers["Content-Type"] = "application/json"
                        request.headers["Idempotency-Key"] = "direct-\(index)"
                        request.headers[WebhookSignature.header] = WebhookSignature.sign(
                            body, secret: secret, timestamp: Int(Date().timeIntervalSince1970))
                        _ = try await http.sendExpectingSuccess(request, vendor: "webhook")
                    }
                }
            }
            try await group.waitForAll()
        }
        return seconds(ContinuousClock.now - begin)
    }
}
