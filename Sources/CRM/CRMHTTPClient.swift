import AIClients
package import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends `CRMRequest`s with a deadline and a response size limit, and turns what comes back into
/// either a response or the `CRMError` that says what the delivery service should do.
package struct CRMHTTPClient: Sendable {
    package var client: HTTPClient
    /// Seconds a request may take, connect to last byte.
    package var timeout: Double
    /// Larger answers are cut off: a CRM's reply to one record is small.
    package var maxResponseBytes = 1 << 20
    /// Headers added to every request (a target's `headers`).
    package var extraHeaders: [String: String] = [:]

    package init(client: HTTPClient = .shared, timeout: Double) {
        self.client = client
        self.timeout = timeout
    }

    /// Sends `request`; any HTTP status comes back as a response. No answer in time, or no
    /// connection, is `deliveryUnavailable` (to be retried).
    package func send(_ request: CRMRequest) async throws(CRMError) -> CRMResponse {
        var http = HTTPClientRequest(url: request.url.absoluteString)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        for (name, value) in extraHeaders { http.headers.replaceOrAdd(name: name, value: value) }
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(http, timeout: .milliseconds(Int64(min(timeout, 3_600) * 1_000)))
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return CRMResponse(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
        } catch {
            let host = request.url.host ?? "the CRM"
            throw CRMError(
                .deliveryUnavailable, "no answer from \(host) within \(Int(timeout)) s (\(Self.describe(error)))")
        }
    }

    /// Sends and requires a 2xx answer; anything else becomes the failure it stands for.
    package func sendExpectingSuccess(_ request: CRMRequest, vendor: String) async throws(CRMError) -> CRMResponse {
        let response = try await send(request)
        guard response.isSuccess else { throw Self.failure(response, vendor: vendor) }
        return response
    }

    /// What a non-2xx answer means for the delivery: 401/403 pause the target; 408, 425, 429 and
    /// 5xx are retried (honouring `Retry-After`); any other 4xx is the payload's fault, dead at once.
    package static func failure(_ response: CRMResponse, vendor: String) -> CRMError {
        let message = "\(vendor) answered HTTP \(response.status): \(vendorMessage(response))"
        switch response.status {
        case 401, 403:
            return CRMError(.deliveryUnauthorized, message, httpStatus: response.status)
        case 408, 425, 429, 500...599:
            return CRMError(
                .deliveryUnavailable, message, httpStatus: response.status,
                retryAfter: response.headers["retry-after"].flatMap { RetryAfter.seconds($0) })
        default:
            return CRMError(.deliveryRejected, message, httpStatus: response.status)
        }
    }

    /// The vendor's own error text: Salesforce `[{"message", "errorCode"}]`, Zendesk
    /// `{"error", "description"}`, HubSpot `{"message"}`, else the start of the body.
    static func vendorMessage(_ response: CRMResponse) -> String {
        let object = try? JSONSerialization.jsonObject(with: response.body)
        if let errors = object as? [[String: Any]], let first = errors.first {
            let code = first["errorCode"] as? String
            let text = first["message"] as? String ?? "error"
            return code.map { "\($0): \(text)" } ?? text
        }
        if let object = object as? [String: Any] {
            if let description = object["description"] as? String {
                return (object["error"] as? String).map { "\($0): \(description)" } ?? description
            }
            if let message = object["message"] as? String { return message }
            if let error = object["error"] as? String { return error }
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        return text.isEmpty ? "no details" : text
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded { return "deadline exceeded" }
        return String(describing: error).prefix(200).description
    }
}
