import CRM
import CallPipeCore
import Connectors
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLiteStore
import ServiceLifecycle

@testable import Gateway

/// A real CallPipe application over an in-memory store, with one key per role.
struct GatewayTestApp {
    let store: SQLiteCallStore
    let directory: URL
    let configuration: GatewayConfiguration
    var keys: [String: String] = [:]
    /// What `GET /api/crm/targets` lists.
    var crmTargets: [CRMTarget] = []
    /// Routes mounted behind an admin key (the dev-mode mock CRM's place).
    var adminRoutes: [any AdminRoutes] = []
    /// The connectors (none: their routes answer 503), and services the server runs beside them.
    var connectors: ConnectorService?
    var services: [any Service] = []
    /// The clock of the request-rate limits: real time unless a test holds it still.
    var rateClock: @Sendable () -> Double = KeyRateLimiter.monotonic

    /// The limits of a test app that does not test them: the request-head deadline is two minutes
    /// instead of 10 s, because on a loaded machine a test's client may send its first request
    /// more than 10 s after it connected (a parallel run with no width limit stalled in tests
    /// whose connections that deadline had closed; docs/testing.md, "Parallel runs"). The
    /// deadline itself is tested with its own short value (`HostileConnectionTests`).
    static let access: AccessConfiguration = {
        var access = AccessConfiguration()
        access.requestHeadTimeout = 120
        return access
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/audio")

    init(
        maxUploadBytes: Int64 = 64 * 1_024 * 1_024, publicDirectory: String? = nil,
        access: AccessConfiguration = GatewayTestApp.access,
        minimumFreeBytes: Int64 = StorageConfiguration.defaultMinimumFreeBytes,
        rateClock: @escaping @Sendable () -> Double = KeyRateLimiter.monotonic
    ) async throws {
        self.rateClock = rateClock
        store = try SQLiteCallStore()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString)")
        configuration = GatewayConfiguration(
            storage: .init(dataDirectory: directory.path, minimumFreeBytes: minimumFreeBytes),
            maxUploadBytes: maxUploadBytes, dashboard: .init(directory: publicDirectory), access: access)
        for (name, role, agent) in [
            ("ann", StoredAPIKey.Role.agent, "ann"), ("bob", .agent, "bob"), ("supervisor", .supervisor, nil),
            ("admin", .admin, nil),
        ] {
            let (key, record) = APIKeys.make(role: role, agentID: agent, label: name)
            try await store.insertAPIKey(record)
            keys[name] = key
        }
    }

    func headers(_ who: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        fields[.authorization] = "Bearer \(keys[who]!)"
        return fields
    }

    func test(
        _ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let application = try buildApplication(
            configuration, store: store, crmTargets: crmTargets, adminRoutes: adminRoutes, services: services,
            connectors: connectors, logger: Logger(label: "test"),
            rateClock: rateClock)
        try await application.test(setup, body)
    }

    static func fixture(_ name: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
    }

    static func errorCode(_ response: TestResponse) throws -> String? {
        (try json(response)["error"] as? [String: Any])?["code"] as? String
    }
}
