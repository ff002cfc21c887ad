import AIClients
package import AsyncHTTPClient
package import Foundation
import NIOCore
import NIOHTTP1

/// GET requests to a vendor's API under a `VendorRequestPolicy`: 2xx answers come back; 401/403,
/// other 4xx and, after the attempts allowed, 429/5xx/timeouts become the `ConnectorError` that
/// says what the sync should do. Every request of the client (all the workers of a run) goes at
/// one pace learnt from the vendor's 429s (`RequestPacer`). Headers (the key) never appear in an
/// error.
package struct VendorHTTPClient: Sendable {
    package var client: HTTPClient
    package var policy: VendorRequestPolicy
    /// The vendor's name in messages ("Dialpad").
    package var vendor: String
    package var budget: RequestBudget
    package var pacer = RequestPacer()
    /// Waits between attempts (tests shorten it).
    package var sleep: @Sendable (Double) async -> Void = { seconds in
        try? await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
    }

    package init(client: HTTPClient = .shared, policy: VendorRequestPolicy, vendor: String) {
        self.client = client
        self.policy = policy
        self.vendor = vendor
        budget = RequestBudget(policy.requestBudget)
    }

    /// The body of a 2xx answer to `GET url`.
    package func get(_ url: URL, headers: [(String, String)]) async throws(ConnectorError) -> Data {
        var attempt = 0
        while true {
            attempt += 1
            try budget.take(vendor: vendor)
            var slot = pacer.reserve()
            while slot.wait > 0 {
                await sleep(slot.wait)
                // A 429 while this waited moved every slot after the vendor's wait: take a new one.
                if pacer.isCurrent(slot) || Task.isCancelled { break }
                slot = pacer.reserve()
            }
            let answer: (status: Int, headers: [String: String], body: Data)?
            let transportError: (any Error)?
            do {
                answer = try await send(url, headers: headers)
                transportError = nil
            } catch {
                if error is CancellationError || Task.isCancelled {
                    throw ConnectorError(
                        .unavailable, "the request to \(vendor) was cancelled (the server is stopping)")
                }
                answer = nil
                transportError = error
            }
            let failure: ConnectorError
            var wait: Double?
            if let answer {
                if answer.status != 429 { pacer.answered(slot) }
                if (200..<300).contains(answer.status) { return answer.body }
                failure = Self.failure(status: answer.status, body: answer.body, vendor: vendor, path: url.path)
                wait = answer.headers["retry-after"].flatMap { RetryAfter.seconds($0) }
                if let seconds = wait, seconds > policy.maxRetryAfter {
                    throw ConnectorError(
                        failure.code, failure.message + "; it asked to wait \(Int(seconds)) s, longer than allowed",
                        httpStatus: answer.status)
                }
                if answer.status == 429 {
                    // The wait is the pacer's, shared by every request of the run (the next
                    // reservation waits it out).
                    pacer.limited(slot, retryAfter: wait, fallback: policy.backoff.delay(afterAttempt: attempt))
                    wait = 0
                }
            } else {
                failure = ConnectorError(
                    .unavailable,
                    "no answer from \(vendor) (\(url.path)) within \(Int(policy.timeout)) s: \(transportError.map { "\($0)" } ?? "")"
                )
            }
            guard [.rateLimited, .unavailable].contains(failure.code) else { throw failure }
            guard attempt < policy.maxAttempts else {
                throw ConnectorError(
                    failure.code, failure.message + " (after \(attempt) attempts)", httpStatus: failure.httpStatus)
            }
            let pause = wait ?? policy.backoff.delay(afterAttempt: attempt)
            if pause > 0 { await sleep(pause) }
        }
    }

    private func send(_ url: URL, headers: [(String, String)]) async throws -> (Int, [String: String], Data) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(
            request, timeout: .milliseconds(Int64(min(policy.timeout, 3_600) * 1_000)))
        var answerHeaders: [String: String] = [:]
        for header in response.headers { answerHeaders[header.name.lowercased()] = header.value }
        let body = try await response.body.collect(upTo: policy.maxResponseBytes)
        return (Int(response.status.code), answerHeaders, Data(body.readableBytesView))
    }

    /// What a non-2xx answer means: 401/403 the key, 408/425/429 and 5xx a retry, any other 4xx
    /// the request. The vendor's own message (its first 200 characters) is kept.
    static func failure(status: Int, body: Data, vendor: String, path: String) -> ConnectorError {
        let said = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = "\(vendor) answered HTTP \(status) to \(path)" + (said.isEmpty ? "" : ": \(said)")
        switch status {
        case 401, 403: return ConnectorError(.unauthorized, message + " (check the API key)", httpStatus: status)
        case 429: return ConnectorError(.rateLimited, message, httpStatus: status)
        case 408, 425, 500...599: return ConnectorError(.unavailable, message, httpStatus: status)
        default: return ConnectorError(.rejected, message, httpStatus: status)
        }
    }

    /// `GET base/path?query` decoded as `Value`; a 2xx that does not decode is
    /// `malformedResponse`, naming `what` and the field path, never the payload.
    package func getJSON<Value: Decodable>(
        _ type: Value.Type, base: URL, path: String, query: [URLQueryItem] = [], headers: [(String, String)],
        what: String
    ) async throws(ConnectorError) -> Value {
        let body = try await get(Self.url(base: base, path: path, query: query), headers: headers)
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw ConnectorError(
                .malformedResponse, "\(vendor) sent a \(what) that is not its documented JSON: \(Self.describe(error))")
        }
    }

    static func url(base: URL, path: String, query: [URLQueryItem]) -> URL {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query }
        return components.url!
    }

    /// A decoding error as "what, where", without the payload.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the top" : path
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.debugDescription) at \(path(context))"
        case .keyNotFound(let key, let context):
            return "no \(key.stringValue) at \(path(context))"
        case .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default:
            return "\(error)"
        }
    }
}
