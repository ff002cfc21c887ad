import CRM
import Foundation
package import Hummingbird
import NIOCore

/// A mock of the three CRMs' endpoints CallPipe uses, and of a webhook receiver, for the default
/// run, tests and benchmarks (`callpipe mock-crm`, or mounted in-process under `/_mock`).
///
/// It checks what the real APIs check — the auth header, required fields, types, allowed values,
/// unknown fields, the webhook signature and its age — answers with vendor-shaped JSON and ids,
/// keeps the records, and can be told to fail (`POST /_mock/control`). `GET /_mock/requests`
/// shows what it received (authorization masked), `GET /_mock/objects` what it holds.
package struct MockCRM: Sendable {
    package let state: MockCRMState
    package let credentials: MockCRMCredentials
    /// Largest request body accepted.
    package var maxBodyBytes = 4 << 20

    package init(state: MockCRMState = MockCRMState(), credentials: MockCRMCredentials) {
        self.state = state
        self.credentials = credentials
    }

    /// Registers every route under `/_mock`.
    package func register<Context: RequestContext>(on router: Router<Context>) {
        registerRoutes(on: router.group("_mock"))
    }

    /// Registers every route on `mock` (a group already under `/_mock`, e.g. behind an admin key).
    package func registerRoutes<Context: RequestContext>(on mock: RouterGroup<Context>) {
        let salesforce =
            "salesforce/services/data/\(SalesforceAdapter.apiVersion)/sobjects/Task/\(SalesforceAdapter.externalIDField)"
        mock.patch("\(salesforce)/:external") { request, context in
            let external = context.parameters.get("external") ?? ""
            return try await handle(request, vendor: "salesforce") { body in
                guard request.headers[.authorization] == "Bearer \(credentials.salesforceToken)" else {
                    return .json(401, [["message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"]])
                }
                return await state.salesforceUpsert(externalID: external, body: body)
            }
        }
        mock.post("zendesk/api/v2/tickets.json") { request, _ in
            try await handle(request, vendor: "zendesk") { body in
                guard zendeskAuthorized(request) else { return Self.zendeskUnauthorized }
                return await state.zendeskCreate(body: body)
            }
        }
        mock.get("zendesk/api/v2/tickets.json") { request, _ in
            try await handle(request, vendor: "zendesk") { _ in
                guard zendeskAuthorized(request) else { return Self.zendeskUnauthorized }
                return await state.zendeskTickets(externalID: request.uri.queryParameters.get("external_id") ?? "")
            }
        }
        mock.put("zendesk/api/v2/tickets/:ticket") { request, context in
            let ticket = Self.ticketNumber(context.parameters.get("ticket"))
            return try await handle(request, vendor: "zendesk") { body in
                guard zendeskAuthorized(request) else { return Self.zendeskUnauthorized }
                guard let ticket else { return .json(404, ["error": "RecordNotFound", "description": "Not found"]) }
                return await state.zendeskUpdate(ticketID: ticket, body: body)
            }
        }
        mock.get("zendesk/api/v2/tickets/:ticket/comments.json") { request, context in
            let ticket = Int(context.parameters.get("ticket") ?? "")
            return try await handle(request, vendor: "zendesk") { _ in
                guard zendeskAuthorized(request) else { return Self.zendeskUnauthorized }
                guard let ticket else { return .json(404, ["error": "RecordNotFound", "description": "Not found"]) }
                return await state.zendeskComments(ticketID: ticket)
            }
        }
        mock.post("hubspot/crm/v3/objects/calls") { request, _ in
            try await handle(request, vendor: "hubspot") { body in
                guard hubspotAuthorized(request) else { return Self.hubspotUnauthorized }
                return await state.hubspotCreate(body: body)
            }
        }
        mock.post("hubspot/crm/v3/objects/calls/search") { request, _ in
            try await handle(request, vendor: "hubspot") { body in
                guard hubspotAuthorized(request) else { return Self.hubspotUnauthorized }
                return await state.hubspotSearch(body: body)
            }
        }
        mock.patch("hubspot/crm/v3/objects/calls/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await handle(request, vendor: "hubspot") { body in
                guard hubspotAuthorized(request) else { return Self.hubspotUnauthorized }
                return await state.hubspotUpdate(id: id, body: body)
            }
        }
        mock.post("webhook") { request, _ in
            try await handle(request, vendor: "webhook") { body in
                guard let signature = request.headers[.init(WebhookSignature.header)!],
                    WebhookSignature.verify(signature, body: body, secret: credentials.webhookSecret)
                else {
                    return .json(400, ["error": "missing, wrong or expired \(WebhookSignature.header)"])
                }
                guard let key = request.headers[.init("Idempotency-Key")!], !key.isEmpty else {
                    return .json(400, ["error": "Idempotency-Key is required"])
                }
                guard MockAnswer.object(body) != nil else {
                    return .json(400, ["error": "the body is not a JSON object"])
                }
                return await state.webhookReceive(key: key, body: body)
            }
        }
        registerControl(on: mock)
    }

    // MARK: - Handling

    /// Reads the body, injects a planned failure, runs the vendor's logic and records the exchange.
    private func handle(
        _ request: Request, vendor: String, _ body: @Sendable (Data) async -> MockAnswer
    ) async throws -> Response {
        let data: Data
        do {
            data = Data(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
        } catch {
            return response(.json(413, ["error": "request body over \(maxBodyBytes) bytes"]))
        }
        let failure = await state.failure(for: vendor)
        var answer: MockAnswer
        switch failure?.mode {
        case .tooManyRequests?:
            answer = Self.failureAnswer(vendor, status: 429, message: "Too many requests")
            answer.headers["Retry-After"] = "1"
        case .serverError?:
            answer = Self.failureAnswer(vendor, status: 500, message: "Internal server error")
        case .unavailable?:
            answer = Self.failureAnswer(vendor, status: 503, message: "Service unavailable")
        case .unauthorized?:
            answer = Self.failureAnswer(vendor, status: 401, message: "Invalid credentials")
        case .timeout?:
            try await Task.sleep(for: Self.duration(failure?.delay))
            answer = Self.failureAnswer(vendor, status: 504, message: "Gateway timeout")
        case .applyThenTimeout?:
            answer = await body(data)
            try await Task.sleep(for: Self.duration(failure?.delay))
        case nil:
            answer = await body(data)
        }
        await state.record(
            vendor: vendor, method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            authorization: request.headers[.authorization],
            idempotencyKey: request.headers[.init("Idempotency-Key")!], body: data, status: answer.status,
            injected: failure?.mode)
        return response(answer)
    }

    /// A planned delay as a duration; the control route only accepts 0…`maxDelay` seconds, and this
    /// clamps again so no stored value can trap.
    package static func duration(_ seconds: Double?) -> Duration {
        guard let seconds, seconds.isFinite else { return .zero }
        return .milliseconds(Int64((min(max(0, seconds), maxDelay) * 1_000).rounded()))
    }

    /// The longest delay `POST /_mock/control` accepts, seconds.
    package static let maxDelay = 600.0

    func response(_ answer: MockAnswer) -> Response { answer.response }

    private static func failureAnswer(_ vendor: String, status: Int, message: String) -> MockAnswer {
        switch vendor {
        case "salesforce":
            .json(
                status,
                [["message": message, "errorCode": status == 401 ? "INVALID_SESSION_ID" : "SERVER_UNAVAILABLE"]])
        case "zendesk": .json(status, ["error": message, "description": message])
        case "hubspot": .json(status, ["status": "error", "message": message, "category": "RATE_LIMITS"])
        default: .json(status, ["error": message])
        }
    }

    private func zendeskAuthorized(_ request: Request) -> Bool {
        let expected = Data("\(credentials.zendeskEmail)/token:\(credentials.zendeskToken)".utf8).base64EncodedString()
        return request.headers[.authorization] == "Basic \(expected)"
    }

    private func hubspotAuthorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(credentials.hubspotToken)"
    }

    private static let zendeskUnauthorized = MockAnswer.json(401, ["error": "Couldn't authenticate you"])
    private static let hubspotUnauthorized = MockAnswer.json(
        401,
        [
            "status": "error", "category": "INVALID_AUTHENTICATION",
            "message": "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
        ])

    /// `123.json` → 123.
    static func ticketNumber(_ segment: String?) -> Int? {
        guard let segment, segment.hasSuffix(".json") else { return nil }
        return Int(segment.dropLast(5))
    }
}
