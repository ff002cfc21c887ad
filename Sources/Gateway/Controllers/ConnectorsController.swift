import Analytics
import CallPipeCore
import Connectors
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import NIOPosix

/// The connectors for admins (docs/connectors.md, "HTTP API"): settings (keys masked), manual
/// syncs, the sync log, the voice-bot KPIs and agent activity of imported calls, and the monthly
/// archives. Without connectors (a server built without them) every route answers 503.
struct ConnectorsController: Sendable {
    let connectors: ConnectorService?

    struct ConnectorList: ResponseEncodable { var connectors: [ConnectorStatus] }
    struct RunList: ResponseEncodable { var runs: [SyncRun] }
    struct RunAnswer: ResponseEncodable { var run: SyncRun }
    struct SyncRequest: Decodable {
        var from: Date?
        var to: Date?
    }
    struct ArchiveRequest: Decodable { var month: String }
    struct ArchiveView: ResponseEncodable {
        var id: String
        var month: String
        var fileName: String
        var calls: Int
        var bytes: Int
        var sha256: String
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, month
            case fileName = "file_name"
            case calls, bytes, sha256
            case createdAt = "created_at"
        }

        init(_ archive: StoredArchive) {
            id = archive.month
            month = archive.month
            fileName = archive.fileName
            calls = archive.calls
            bytes = archive.bytes
            sha256 = archive.sha256
            createdAt = archive.createdAt
        }
    }
    struct ArchiveList: ResponseEncodable { var archives: [ArchiveView] }

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.get("api/connectors") { _, context -> ConnectorList in
            let connectors = try Self.admin(context, connectors)
            var list: [ConnectorStatus] = []
            for kind in ConnectorKind.allCases { list.append(try await connectors.status(kind)) }
            return ConnectorList(connectors: list)
        }
        router.get("api/connectors/sync-runs") { request, context -> RunList in
            let connectors = try Self.admin(context, connectors)
            let parameters = request.uri.queryParameters
            let kind = try QueryValue.choice(parameters, "kind", ConnectorKind.allCases.map(\.rawValue))
                .flatMap(ConnectorKind.init(rawValue:))
            let limit = try QueryValue.integer(parameters, "limit", in: 1...500) ?? 50
            return RunList(runs: try await connectors.store.syncRuns(kind: kind, limit: limit))
        }
        router.get("api/connectors/:kind") { _, context -> ConnectorStatus in
            let connectors = try Self.admin(context, connectors)
            return try await connectors.status(try Self.kind(context))
        }
        router.put("api/connectors/:kind") { request, context -> ConnectorStatus in
            let connectors = try Self.admin(context, connectors)
            let kind = try Self.kind(context)
            let update = try await CallsController.decodeJSON(ConnectorUpdate.self, from: request)
            do {
                return try await connectors.update(kind, update)
            } catch let error as CallPipeError where error.code == .invalid {
                let code =
                    error.message.hasPrefix("schedule")
                    ? "invalid_schedule" : error.message.hasPrefix("base_url") ? "invalid_base_url" : "invalid_settings"
                throw APIError.badRequest(code, error.message)
            }
        }
        router.post("api/connectors/:kind/sync") { request, context -> EditedResponse<RunAnswer> in
            let connectors = try Self.admin(context, connectors)
            let kind = try Self.kind(context)
            let body = try await request.body.collect(upTo: 64 * 1_024)
            var window: Range<Date>?
            if body.readableBytes > 0 {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let asked = try decoder.decode(SyncRequest.self, from: Data(buffer: body))
                if asked.from != nil || asked.to != nil {
                    let to = asked.to ?? Date()
                    var from = asked.from
                    if from == nil { from = try await connectors.defaultWindow(kind, now: to).lowerBound }
                    guard let from else { throw APIError.badRequest("invalid_window", "from is missing") }
                    guard from < to else { throw APIError.badRequest("invalid_window", "from must be before to") }
                    window = from..<to
                }
            }
            let started: (run: SyncRun, started: Bool)
            do {
                started = try await connectors.startSync(kind, window: window, trigger: .manual)
            } catch let error as CallPipeError where error.code == .invalid {
                throw APIError(.conflict, "not_configured", error.message)
            }
            guard started.started else {
                throw APIError(
                    .conflict, "sync_running", "a \(kind.rawValue) sync is running already (\(started.run.id))")
            }
            return EditedResponse(status: .accepted, response: RunAnswer(run: started.run))
        }
        router.get("api/analytics/voicebot") { request, context -> VoiceBotKPIs in
            let connectors = try Self.admin(context, connectors)
            let period = try Self.period(request.uri.queryParameters)
            return VoiceBotKPIs(groups: try await connectors.store.voiceBotGroups(in: period))
        }
        router.get("api/analytics/agent-activity") { request, context -> AgentActivity in
            let connectors = try Self.admin(context, connectors)
            let parameters = request.uri.queryParameters
            let period = try Self.period(parameters)
            let source = try QueryValue.choice(parameters, "source", ConnectorKind.allCases.map(\.rawValue))
            return AgentActivity(groups: try await connectors.store.agentActivityGroups(vendor: source, in: period))
        }
        router.get("api/archives") { _, context -> ArchiveList in
            let connectors = try Self.admin(context, connectors)
            return ArchiveList(archives: try await connectors.store.archives().map(ArchiveView.init))
        }
        router.post("api/archives") { request, context -> EditedResponse<ArchiveView> in
            let connectors = try Self.admin(context, connectors)
            let asked = try await CallsController.decodeJSON(ArchiveRequest.self, from: request)
            do {
                let archive = try await connectors.archives.archive(month: asked.month)
                return EditedResponse(status: .created, response: ArchiveView(archive))
            } catch let error as CallPipeError where error.code == .invalid {
                throw APIError.badRequest("invalid_month", error.message)
            }
        }
        router.get("api/archives/:id/download") { _, context -> Response in
            let connectors = try Self.admin(context, connectors)
            let id = context.parameters.get("id") ?? ""
            guard let archive = try await connectors.store.archives().first(where: { $0.month == id }) else {
                throw APIError(.notFound, "unknown_archive", "no archive \(id)")
            }
            let headers: HTTPFields = [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(archive.fileName)\"",
            ]
            switch try await connectors.archives.storage.source(of: archive.location) {
            case .file(let path):
                let body = try await FileIO(threadPool: .singleton).loadFile(path: path, context: context)
                return Response(status: .ok, headers: headers, body: body)
            case .remote(let size, let open):
                guard size > 0 else { return Response(status: .ok, headers: headers) }
                return Response(
                    status: .ok, headers: headers, body: ResponseBody(asyncSequence: try await open(0...(size - 1))))
            case nil:
                throw APIError(.gone, "archive_missing", "the file of archive \(id) is gone; archive the month again")
            }
        }
    }

    private static func admin(_ context: GatewayRequestContext, _ connectors: ConnectorService?) throws
        -> ConnectorService
    {
        guard try context.caller().role == .admin else {
            throw APIError.forbidden("connectors, their KPIs and archives are for admins")
        }
        guard let connectors else {
            throw APIError(.serviceUnavailable, "connectors_unavailable", "this server runs without connectors")
        }
        return connectors
    }

    private static func kind(_ context: GatewayRequestContext) throws -> ConnectorKind {
        let name = context.parameters.get("kind") ?? ""
        guard let kind = ConnectorKind(rawValue: name) else {
            throw APIError(
                .notFound, "unknown_connector",
                "no connector \(name.prefix(40)); there are \(ConnectorKind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return kind
    }

    /// `month=YYYY-MM`, else `from`/`to` (to exclusive; both required).
    private static func period(_ parameters: Parameters) throws -> Range<Date> {
        if let month = parameters.get("month") {
            do {
                return try MonthlyArchiver.range(ofMonth: month)
            } catch {
                throw QueryValue.invalid("month must be YYYY-MM")
            }
        }
        let (from, to) = try QueryValue.dateRange(parameters)
        guard let from, let to, from < to else {
            throw QueryValue.invalid("give month=YYYY-MM, or from and to with from before to")
        }
        return from..<to
    }
}

extension VoiceBotKPIs: ResponseEncodable {}
extension AgentActivity: ResponseEncodable {}
extension ConnectorStatus: ResponseEncodable {}
