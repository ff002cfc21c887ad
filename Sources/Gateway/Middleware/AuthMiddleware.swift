import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird

/// Bearer API keys on every route behind it (`Authorization: Bearer <key>`). WebSocket upgrades
/// may also pass `?token=` (browsers cannot set headers on them); plain HTTP routes may not, so
/// keys never end up in access logs, histories or `Referer` headers. A missing, unknown, revoked
/// or expired key is 401; a key over its request rate is 429 with `Retry-After`; what a valid key
/// may do is each route's decision (403).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let keys: any APIKeyStore
    let limiter: KeyRateLimiter
    /// Refused keys, per peer address: guessing keys, or flooding the key lookup, gets 429 long
    /// before it costs anything.
    var failures = KeyRateLimiter(rate: 5, burst: 50)
    /// Accept `?token=` (WebSocket upgrades only).
    var acceptsQueryToken = false
    /// Roles allowed through; `nil` lets every role through (routes decide).
    var roles: Set<StoredAPIKey.Role>?
    /// A header read before `Authorization` (`X-CallPipe-Key` on admin-mounted routes, whose own
    /// `Authorization` carries another system's credentials); there `Authorization` counts only
    /// when it holds a CallPipe key (`cp_…`).
    var keyHeader: HTTPField.Name?
    var now: @Sendable () -> Date = { Date() }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        do {
            context.identity = try await authenticate(request)
        } catch let error as APIError where error.status == .unauthorized {
            // Only keys that were presented and refused count: a request without one costs no
            // lookup and gets its 401.
            if presentedKey(request) != nil, let wait = failures.take(context.remoteIP ?? "unknown") {
                throw APIError.tooManyRequests(
                    "too_many_failures", "too many requests without a valid key from this address; slow down",
                    retryAfter: wait)
            }
            throw error
        }
        return try await next(request, context)
    }

    func authenticate(_ request: Request) async throws -> APIIdentity {
        guard let key = presentedKey(request) else {
            if !acceptsQueryToken, request.uri.queryParameters.get("token") != nil {
                throw APIError.unauthorized(
                    "?token= is accepted only on WebSocket upgrades; send Authorization: Bearer <key>")
            }
            throw APIError.unauthorized("an API key is required: send Authorization: Bearer <key>")
        }
        guard key.utf8.count <= 256, let stored = try await keys.apiKey(hash: APIKeys.hash(key)) else {
            throw APIError.unauthorized("the API key is not valid")
        }
        if let expiry = stored.expiresAt, now() >= expiry {
            throw APIError.unauthorized(
                "the API key expired at \(expiry.formatted(.iso8601)); ask an admin for a new one")
        }
        if let wait = limiter.take(stored.id) {
            throw APIError.tooManyRequests(
                "rate_limited",
                "this key made more than \(Self.format(limiter.rate)) requests a second; retry after the Retry-After seconds",
                retryAfter: wait)
        }
        if let roles, !roles.contains(stored.role) {
            throw APIError.forbidden(
                "this route needs a key with role \(roles.map(\.rawValue).sorted().joined(separator: " or "))")
        }
        return APIIdentity(keyID: stored.id, role: stored.role, agentID: stored.agentID)
    }

    static let adminKeyHeader = HTTPField.Name("X-CallPipe-Key")!

    /// The key the request carries, if any.
    func presentedKey(_ request: Request) -> String? {
        if let keyHeader, let key = request.headers[keyHeader]?.trimmingCharacters(in: .whitespaces), !key.isEmpty {
            return key
        }
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let key = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            if keyHeader != nil, !key.hasPrefix("cp_") { return nil }
            return key.isEmpty ? nil : key
        }
        guard acceptsQueryToken, let token = request.uri.queryParameters.get("token"), !token.isEmpty else {
            return nil
        }
        return String(token)
    }

    private static func format(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}
