import Foundation
import Hummingbird
import Pipeline

/// Bearer API keys on every route behind it (`Authorization: Bearer <key>`, or `?token=` for
/// browsers and WebSockets). A missing or unknown key is 401; what a known key may do is each
/// route's decision (403).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let store: any CallStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let header = request.headers[.authorization]
        let key: String? =
            if let header, header.lowercased().hasPrefix("bearer ") {
                String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            } else {
                request.uri.queryParameters.get("token")
            }
        guard let key, !key.isEmpty else {
            throw APIError.unauthorized("an API key is required: send Authorization: Bearer <key>")
        }
        guard let stored = try await store.apiKey(hash: APIKeys.hash(key)) else {
            throw APIError.unauthorized("the API key is not valid")
        }
        var context = context
        context.identity = APIIdentity(keyID: stored.id, role: stored.role, agentID: stored.agentID)
        return try await next(request, context)
    }
}
