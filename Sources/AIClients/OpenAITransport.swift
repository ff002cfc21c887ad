package import AsyncHTTPClient
import Foundation
package import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Sends `OpenAIRequest`s with a timeout, a response size limit, a per-provider concurrency limit
/// and retries (408/409/429/5xx and connection failures; never `insufficient_quota` or other 4xx).
///
/// The `HTTPClient` is injected so that the process shares one connection pool and tests can
/// trust a test CA. Errors are `AIClientError`s whose text never contains the key; cancellation
/// is passed through as `CancellationError`.
package struct OpenAITransport: Sendable {
    package let httpClient: HTTPClient
    package let configuration: OpenAITransportConfiguration
    private let limiter: ConcurrencyLimiter

    package init(httpClient: HTTPClient, configuration: OpenAITransportConfiguration) {
        self.httpClient = httpClient
        self.configuration = configuration
        limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
    }

    /// Sends `request`, retrying what is worth retrying; returns the first 2xx answer.
    package func send(_ request: OpenAIRequest, logger: Logger) async throws -> OpenAIResponse {
        let policy = configuration.retry
        var attempt = 1
        while true {
            let failure: AIClientError
            let serverDelay: Double?
            do {
                let (response, headers) = try await limiter.withPermit { try await sendOnce(request) }
                if (200..<300).contains(response.status) { return response }
                failure = APIErrorDecoder.error(
                    status: response.status, body: response.body, contentType: response.contentType,
                    purpose: request.purpose, apiKey: configuration.apiKey)
                serverDelay = RetryPolicy.serverDelay(headers: headers)
            } catch let error as AIClientError {
                failure = error
                serverDelay = nil
            }
            guard failure.isRetryable, attempt < policy.maxAttempts else {
                logger.debug(
                    "AI request failed", metadata: ["ai.purpose": "\(request.purpose)", "ai.error": "\(failure)"])
                throw failure
            }
            let delay = policy.delay(afterAttempt: attempt, serverDelay: serverDelay)
            logger.debug(
                "AI request will be retried",
                metadata: [
                    "ai.purpose": "\(request.purpose)", "ai.attempt": "\(attempt)",
                    "ai.status": "\(failure.status ?? 0)",
                    "ai.retry_in_s": "\(delay)",
                ])
            try await Task.sleep(for: .milliseconds(Int(delay * 1_000)))
            attempt += 1
        }
    }

    private func sendOnce(_ request: OpenAIRequest) async throws -> (OpenAIResponse, [(name: String, value: String)]) {
        var outgoing = HTTPClientRequest(url: Self.join(configuration.baseURL, request.path))
        outgoing.method = .POST
        outgoing.headers.add(name: "Content-Type", value: request.contentType)
        outgoing.headers.add(name: "Accept", value: "application/json")
        if let key = configuration.apiKey { outgoing.headers.add(name: "Authorization", value: "Bearer \(key)") }
        outgoing.body = .bytes(ByteBuffer(data: request.body))
        let timeout = configuration.requestTimeout
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1_000))
        let limit = configuration.maxResponseBytes
        let client = httpClient
        let prepared = outgoing
        do {
            // AsyncHTTPClient's deadline ends at the response head; the race covers a stalled body too.
            return try await Self.withDeadline(seconds: timeout) {
                let response = try await client.execute(prepared, deadline: deadline)
                let body = try await response.body.collect(upTo: limit)
                return (
                    OpenAIResponse(
                        status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
                        body: Data(buffer: body)),
                    response.headers.map { ($0.name, $0.value) }
                )
            }
        } catch is DeadlineExceeded {
            throw AIClientError(.timeout, "\(request.purpose): no complete answer within \(Self.seconds(timeout))")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.transportError(error, purpose: request.purpose, timeout: configuration.requestTimeout)
        }
    }

    private struct DeadlineExceeded: Error {}

    /// Runs `operation`, cancelling it and throwing `DeadlineExceeded` after `seconds`.
    private static func withDeadline<Result: Sendable>(
        seconds: Double, _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1_000)))
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private static func seconds(_ value: Double) -> String {
        value >= 1 ? "\(Int(value)) s" : "\(Int(value * 1_000)) ms"
    }

    static func transportError(_ error: any Error, purpose: String, timeout: Double) -> AIClientError {
        if error is NIOTooManyBytesError {
            return AIClientError(.responseTooLarge, "\(purpose): the answer exceeded the response size limit")
        }
        if let error = error as? HTTPClientError {
            if [.deadlineExceeded, .readTimeout, .writeTimeout].contains(error) {
                return AIClientError(.timeout, "\(purpose): no complete answer within \(seconds(timeout))")
            }
            if error == .connectTimeout {
                return AIClientError(.connection, "\(purpose): connecting to the AI server timed out")
            }
            if [.invalidURL, .emptyHost, .emptyScheme].contains(error) {
                return AIClientError(.configuration, "\(purpose): the AI base URL is not usable (\(error))")
            }
        }
        return AIClientError(.connection, "\(purpose): the connection to the AI server failed (\(error))")
    }

    static func join(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + (path.hasPrefix("/") ? path : "/" + path)
    }
}
