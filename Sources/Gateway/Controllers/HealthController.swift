import AIClients
import Audio
import Foundation
import Hummingbird
import Pipeline

/// `GET /health`: liveness plus the status of each component.
struct HealthController: Sendable {
    let configuration: GatewayConfiguration
    let store: any CallStore

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/health") { _, _ -> HealthReport in
            let statistics = try? await store.statistics()
            var report = self.report()
            report.components["database"] = HealthReport.Component(
                status: statistics == nil ? "failing" : "ok",
                details: [
                    "url": configuration.storage.databaseURL, "calls": "\(statistics?.calls ?? 0)",
                    "queue_depth": "\((statistics?.queuedJobs ?? 0) + (statistics?.runningJobs ?? 0))",
                ])
            if statistics == nil { report.status = "degraded" }
            return report
        }
    }

    func report() -> HealthReport {
        let directory = configuration.storage.dataDirectory
        let writable = FileManager.default.isWritableFile(atPath: directory)
        let storage = HealthReport.Component(
            status: writable ? "ok" : "failing",
            details: ["data_dir": directory, "writable": writable ? "true" : "false"])
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

/// The `/health` response body.
struct HealthReport: ResponseEncodable, Codable, Equatable {
    struct Component: Codable, Equatable {
        var status: String
        var details: [String: String]
    }

    var status: String
    var components: [String: Component]
}
