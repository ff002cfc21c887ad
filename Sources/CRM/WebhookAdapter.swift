package import AIClients
package import Audio
package import CallPipeCore
package import Foundation

/// A generic webhook: `POST` of the whole call report as JSON, with a stable `Idempotency-Key`
/// per call and target and `X-CallPipe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
/// "<t>.<raw body>")>`, so receivers can verify the sender and reject replays.
package struct WebhookAdapter: CRMAdapter {
    package var target: CRMTarget

    package init(target: CRMTarget) { self.target = target }

    /// The body: what `GET /api/calls/{id}` shows of a finished call.
    package struct Report: Codable, Equatable, Sendable {
        package var event = "call.completed"
        package var callID: String
        package var call: StoredCall
        package var summaryVersion: Int
        package var insights: CallInsights
        package var analysis: AudioAnalysis?
        package var transcript: Transcript

        enum CodingKeys: String, CodingKey {
            case event
            case callID = "call_id"
            case call
            case summaryVersion = "summary_version"
            case insights, analysis, transcript
        }
    }

    package func request(for record: CRMCallRecord, idempotencyKey: String, now: Date = Date())
        throws(CRMError) -> CRMRequest
    {
        let report = Report(
            callID: record.call.id, call: record.call, summaryVersion: record.summaryVersion,
            insights: record.insights, analysis: record.analysis, transcript: record.transcript)
        var request = try CRMAdapters.build {
            try .json("POST", base: target.url, path: "", headers: ["User-Agent": "CallPipe-Webhook/1"], body: report)
        }
        let timestamp = Int(now.timeIntervalSince1970)
        request.headers["Idempotency-Key"] = idempotencyKey
        request.headers[WebhookSignature.header] = WebhookSignature.sign(
            request.body ?? Data(), secret: target.secret ?? "", timestamp: timestamp)
        return request
    }

    package func deliver(_ record: CRMCallRecord, idempotencyKey: String, via http: CRMHTTPClient)
        async throws(CRMError) -> String?
    {
        // Signed at each attempt: the timestamp is when it was sent, the key stays the same.
        _ = try await http.sendExpectingSuccess(
            try request(for: record, idempotencyKey: idempotencyKey), vendor: "webhook")
        return nil
    }
}
