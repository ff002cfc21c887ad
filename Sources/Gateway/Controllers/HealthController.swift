import AIClients
import Audio
import CallPipeCore
import Foundation
import Hummingbird

/// `GET /health`: without a key only whether the server is up (`{"status": "ok"}`, or
/// `"degraded"` with 503 when the database, the data directory or the recording storage fails), for load balancers;
/// with any valid key also each component's status. It never shows server paths, URLs with
/// credentials or versions to anonymous callers.
struct HealthController: Sendable {
    let configuration: GatewayConfiguration
    let store: any CallRepository
    /// Where recordings are kept; checked at most every 5 s however often `/health` is asked
    /// (one request within 5 s for object storage).
    let storage: any RecordingStorage
    let storageCheck = CachedCheck(interval: 5)
    /// This node's name in a cluster (`CALLPIPE_NODE_ID`), shown to callers with a key.
    let nodeID: String?
    let auth: AuthMiddleware

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/health") { request, _ -> Response in
            let detailed = auth.presentedKey(request) != nil
            if detailed { _ = try await auth.authenticate(request) }
            let statistics = try? await store.statistics()
            var report = self.report()
            report.components?["database"] = HealthReport.Component(
                status: statistics == nil ? "failing" : "ok",
                details: [
                    "kind": configuration.storage.databaseKind, "calls": "\(statistics?.calls ?? 0)",
                    "queue_depth": "\((statistics?.queuedJobs ?? 0) + (statistics?.runningJobs ?? 0))",
                ])
            let recordings = await storageCheck.isHealthy { try await storage.check() }
            report.components?["recordings"] = HealthReport.Component(
                status: recordings ? "ok" : "failing", details: ["storage": storage.summary])
            if let nodeID { report.components?["node"] = HealthReport.Component(status: "ok", details: ["id": nodeID]) }
            if statistics == nil || !recordings { report.status = "degraded" }
            let body = detailed ? report : HealthReport(status: report.status, components: nil)
            let data = try JSONEncoder().encode(body)
            return Response(
                status: report.status == "ok" ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    func report() -> HealthReport {
        let directory = configuration.storage.dataDirectory
        let writable = FileManager.default.isWritableFile(atPath: directory)
        let storage = HealthReport.Component(
            status: writable ? "ok" : "failing", details: ["kind": "file", "writable": writable ? "true" : "false"])
        let audio = HealthReport.Component(
            status: "ok", details: ["ffmpeg": AudioLibraryVersions.ffmpeg, "sndfile": AudioLibraryVersions.sndfile])
        let ai = HealthReport.Component(
            status: "configured",
            details: [
                "provider": configuration.ai.provider.rawValue,
                "transcription_model": configuration.ai.transcriptionModel,
                "analysis_model": configuration.ai.analysisModel,
            ])
        let components = ["storage": storage, "audio": audio, "ai": ai]
        return HealthReport(
            status: components.values.allSatisfy { $0.status != "failing" } ? "ok" : "degraded",
            components: components)
    }
}

/// The `/health` response body; `components` only for callers with a key.
struct HealthReport: Codable, Equatable {
    struct Component: Codable, Equatable {
        var status: String
        var details: [String: String]
    }

    var status: String
    var components: [String: Component]?
}

/// The last outcome of a check, reused for `interval` seconds: a load balancer (or anyone) asking
/// `/health` often costs the object storage one request per interval, not one per ask.
actor CachedCheck {
    private let interval: Double
    private var last: (at: ContinuousClock.Instant, healthy: Bool)?

    init(interval: Double) {
        self.interval = interval
    }

    func isHealthy(_ check: @Sendable () async throws -> Void) async -> Bool {
        if let last, ContinuousClock.now - last.at < .milliseconds(Int(interval * 1_000)) { return last.healthy }
        let healthy: Bool
        do {
            try await check()
            healthy = true
        } catch {
            healthy = false
        }
        last = (ContinuousClock.now, healthy)
        return healthy
    }
}
