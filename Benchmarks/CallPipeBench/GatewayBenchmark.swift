import AIClients
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Gateway
import HummingbirdWSClient
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceLifecycle

/// `callpipe-bench gateway`: uploads against a real `callpipe serve` process, room fan-out and
/// history/search latency against the Gateway in this process (scripts/bench gateway).
struct GatewayBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway")

    @Option(help: "The release callpipe binary.")
    var callpipe: String

    @Option(help: "The file to upload (about 10 MB).")
    var upload: String

    @Option(help: "A directory on the disk under test.")
    var work: String

    @Option var uploads = 50
    @Option var subscribers = 500
    @Option var rate = 50
    @Option var seconds = 10
    @Option var calls = 100_000
    @Option(help: "The parts to run, comma-separated: uploads, rooms, queries.")
    var parts = "uploads,rooms,queries"
    @Option(help: "queries: a PostgreSQL database (postgres://…) instead of a SQLite file; rooms: two nodes on it.")
    var databaseURL: String?
    @Option(help: "queries: how many times to measure the same data set.")
    var rounds = 1

    func run() async throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let parts = Set(parts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if parts.contains("uploads") {
            try await UploadBenchmark(callpipe: callpipe, upload: upload, work: work, uploads: uploads).run()
        }
        if parts.contains("rooms") {
            try await RoomBenchmark(
                subscribers: subscribers, rate: rate, seconds: seconds, work: work, databaseURL: databaseURL
            ).run()
        }
        if parts.contains("queries") {
            try await QueryBenchmark(calls: calls, work: work, databaseURL: databaseURL, rounds: rounds).run()
        }
    }
}

/// Percentiles of a sample, in milliseconds.
func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] * 1_000
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func httpRequest(
    _ client: HTTPClient, _ method: HTTPMethod, _ url: String, key: String, contentType: String? = nil,
    body: ByteBuffer? = nil
) async throws -> (Int, Data) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "Authorization", value: "Bearer \(key)")
    if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
    if let body { request.body = .bytes(body) }
    let response = try await client.execute(request, timeout: .seconds(120))
    return (Int(response.status.code), Data(buffer: try await response.body.collect(upTo: 16 << 20)))
}
