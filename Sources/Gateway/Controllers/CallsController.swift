import AIClients
import Audio
import CRM
import CallPipeCore
import Foundation
import Hummingbird
import Live
import NIOFoundationCompat

/// The call routes of docs/ARCHITECTURE.md §4: start, upload, end, read (detail, summary, transcript),
/// history and search; the recording's audio (`CallsController+Recording`).
struct CallsController: Sendable {
    let store: any CallRepository & JobQueue & CRMOutbox
    let uploads: UploadConfiguration
    /// Where complete recordings are kept (the recordings directory, or object storage).
    let storage: any RecordingStorage
    /// Uploads are sniffed with the configured limits, on the shared pool: a probe reads only the
    /// header, and must not wait behind the workers' long decodes on the decoder pool.
    var probe = AudioFileDecoder()
    var live: LiveSessionManager?
    /// Uploads in flight per key (`CALLPIPE_MAX_UPLOADS_PER_KEY`).
    var uploadSlots = KeySlots(limit: 4)

    func register(on router: RouterGroup<GatewayRequestContext>) {
        let calls = router.group("api/calls")
        calls.post("start", use: start)
        calls.get("history", use: history)
        calls.get("search", use: search)
        calls.post(":id/audio") { request, context in
            let caller = try context.caller()
            guard uploadSlots.acquire(caller.keyID) else {
                throw APIError.tooManyRequests(
                    "too_many_uploads",
                    "this key already has \(uploadSlots.limit) uploads in progress (CALLPIPE_MAX_UPLOADS_PER_KEY); wait for one to finish",
                    retryAfter: 5)
            }
            defer { uploadSlots.release(caller.keyID) }
            return try await upload(request, context: context)
        }
        calls.post(":id/end", use: end)
        calls.get(":id", use: detail)
        calls.get(":id/summary", use: summary)
        calls.get(":id/transcript", use: transcript)
        calls.get(":id/recording", use: recording)
        calls.get(":id/redactions", use: redactions)
    }

    @Sendable func start(_ request: Request, context: GatewayRequestContext) async throws -> EditedResponse<StoredCall>
    {
        let caller = try context.caller()
        guard caller.role != .supervisor else { throw APIError.forbidden("supervisors watch calls; agents start them") }
        let body = try await Self.decodeJSON(StartCallRequest.self, from: request).validated()
        let agent = body.agentID ?? caller.agentID
        guard let agent else { throw APIError.badRequest("missing_field", "agent_id is required") }
        if caller.role == .agent, agent != caller.agentID {
            throw APIError.forbidden("an agent key starts calls for its own agent only")
        }
        let call = StoredCall(
            id: "call_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), agentID: agent,
            customerID: body.customerID, direction: body.direction ?? "inbound", sessionID: body.sessionID,
            channelMap: body.channelMap, metadata: body.metadata ?? [:], createdAt: Date())
        try await store.insertCall(call)
        return EditedResponse(status: .created, response: call)
    }

    @Sendable func end(_ request: Request, context: GatewayRequestContext) async throws -> StoredCall {
        let call = try await writableCall(context)
        guard call.endedAt == nil else { return call }
        // A live call ends with its session, which stores the call as ended with its recording and
        // first job in one transaction; the post-call pipeline follows from there.
        if let live, await live.end(callID: call.id) {
            let stored = try await store.call(id: call.id) ?? call
            guard stored.endedAt == nil else { return stored }
            // The session could not store its end (a full disk): the call ends all the same.
            return try await store.updateCall(
                id: call.id, status: stored.status == .active ? .ended : stored.status, failureReason: nil,
                endedAt: Date())
        }
        // Any other call: ended and its final summary queued, in one transaction.
        return try await store.endCall(id: call.id, now: Date())
    }

    @Sendable func detail(_ request: Request, context: GatewayRequestContext) async throws -> CallDetail {
        let call = try await readableCall(context)
        let outputs = try await store.outputs(callID: call.id)
        let recordings = try await store.recordings(callID: call.id)
        let latest = outputs.summaries.last
        return CallDetail(
            call: call, recordings: recordings,
            analysis: recordings.reversed().lazy.compactMap { outputs.analyses[$0.id] }.first,
            transcript: outputs.transcript, conversation: outputs.conversation, insights: latest?.insights,
            summaryVersion: latest?.version,
            isFinal: latest?.isFinal ?? false, jobs: try await store.jobs(callID: call.id).map(JobStatus.init),
            crmDeliveries: try await store.deliveries(callID: call.id), redaction: CallRedactionView(outputs.redactions)
        )
    }

    /// The admin audit of the call's redaction (docs/redaction.md "Audit").
    @Sendable func redactions(_ request: Request, context: GatewayRequestContext) async throws -> RedactionAudit {
        guard try context.caller().role == .admin else {
            throw APIError.forbidden("only admins read the redaction audit")
        }
        let call = try await readableCall(context)
        return RedactionAudit(
            callID: call.id,
            recordings: try await store.outputs(callID: call.id).redactions.sorted { $0.key < $1.key }.map {
                RedactionAudit.Recording(
                    recordingID: $0.key, mode: $0.value.mode, decisions: $0.value.decisions,
                    originalSealed: $0.value.replacement?.sealedOriginal != nil)
            })
    }

    @Sendable func summary(_ request: Request, context: GatewayRequestContext) async throws -> CallSummary {
        let call = try await readableCall(context)
        let outputs = try await store.outputs(callID: call.id)
        let latest = outputs.summaries.last
        return CallSummary(
            callID: call.id, status: call.status.rawValue, version: latest?.version, isFinal: latest?.isFinal ?? false,
            insights: latest?.insights, talkTime: outputs.analyses.values.first?.speakers)
    }

    @Sendable func transcript(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let call = try await readableCall(context)
        let name = try QueryValue.choice(
            request.uri.queryParameters, "format", TranscriptFormat.allCases.map(\.rawValue))
        let format = name.flatMap(TranscriptFormat.init(rawValue:)) ?? .json
        let text = format.render(try await store.outputs(callID: call.id).transcript)
        return Response(
            status: .ok, headers: [.contentType: format.contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func history(_ request: Request, context: GatewayRequestContext) async throws -> HistoryPage {
        let caller = try context.caller()
        let query = try HistoryQueryParser.parse(request.uri.queryParameters, caller: caller)
        let page = try await store.history(query)
        return HistoryPage(
            calls: page.calls.map { .init(call: $0, metrics: page.metrics[$0.id] ?? CallRowMetrics()) },
            page: page.page, pageSize: page.pageSize, total: page.total)
    }

    @Sendable func search(_ request: Request, context: GatewayRequestContext) async throws -> SearchResults {
        let caller = try context.caller()
        // Counted in code points, as the OpenAPI document's maxLength counts them.
        guard let text = request.uri.queryParameters.get("q"), (1...500).contains(text.unicodeScalars.count) else {
            throw APIError.badRequest("invalid_query", "q must hold 1 to 500 characters")
        }
        // Spaces or punctuation alone are a valid query that finds nothing.
        // An agent's scope is applied by the store before its limit (`CallStore.search`); an agent
        // key without an agent id reads no calls.
        let hits: [SearchHit]
        switch (caller.role, caller.agentID) {
        case (.agent, let agentID?): hits = try await store.search(text, agentID: agentID, limit: 100)
        case (.agent, nil): hits = []
        default: hits = try await store.search(text, limit: 100)
        }
        return SearchResults(
            query: text, results: hits.map { .init(callID: $0.callID, kind: $0.kind, snippet: $0.snippet) })
    }

    /// Decodes a JSON body of at most 64 KiB with our own error messages (field, type, syntax).
    static func decodeJSON<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let buffer = try await request.body.collect(upTo: 64 * 1_024)
        return try JSONDecoder().decode(type, from: Data(buffer: buffer))
    }

    func readableCall(_ context: GatewayRequestContext) async throws -> StoredCall {
        let caller = try context.caller()
        let call = try await existingCall(context)
        // Another agent's call is reported as missing: its existence is not theirs to know.
        guard caller.mayRead(call) else { throw APIError.notFound("no call \(call.id)") }
        return call
    }

    func writableCall(_ context: GatewayRequestContext) async throws -> StoredCall {
        let caller = try context.caller()
        let call = try await existingCall(context)
        guard caller.mayRead(call) else { throw APIError.notFound("no call \(call.id)") }
        guard caller.mayWrite(call) else { throw APIError.forbidden("this key may not change call \(call.id)") }
        return call
    }

    private func existingCall(_ context: GatewayRequestContext) async throws -> StoredCall {
        let id = try context.parameters.require("id")
        guard id.count <= 100, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw APIError.notFound("no call with that id")
        }
        guard let call = try await store.call(id: id) else { throw APIError.notFound("no call \(id)") }
        return call
    }
}
