import CallPipeCore
import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLiteStore
import Testing

@testable import Gateway

@Suite("GET /health", .timeLimit(.minutes(3)))
struct HealthControllerTests {
    @Test func reportsEveryComponent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callpipe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = ConfigReader(
            provider: InMemoryProvider(values: ["callpipe.data.dir": .init(stringLiteral: directory.path)]))
        let configuration = try GatewayConfiguration(reader: reader)
        let store = try SQLiteCallStore()
        let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "health")
        try await store.insertAPIKey(record)
        let application = try buildApplication(configuration, store: store, logger: Logger(label: "test"))
        #expect(FileManager.default.fileExists(atPath: directory.path))
        try await application.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.authorization: "Bearer \(key)"]) {
                response in
                #expect(response.status == .ok)
                let report = try JSONDecoder().decode(HealthReport.self, from: Data(String(buffer: response.body).utf8))
                #expect(report.status == "ok")
                #expect(report.components?["storage"]?.details["writable"] == "true")
                #expect(report.components?["audio"]?.details["ffmpeg"]?.hasPrefix("libavformat ") == true)
                #expect(report.components?["ai"]?.details["provider"] == "local")
            }
            try await client.execute(uri: "/no-such-route", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func refusesADataDirectoryItCannotCreate() throws {
        let configuration = GatewayConfiguration(storage: .init(dataDirectory: "/proc/callpipe-cannot-exist"))
        #expect(throws: GatewayError.self) {
            try buildApplication(configuration, store: try SQLiteCallStore(), logger: Logger(label: "test"))
        }
    }
}
