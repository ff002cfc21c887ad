import HTTPTypes
import Hummingbird

/// API answers carry people's calls: no cache (browser, proxy) may keep them, and no browser may
/// guess their type. Responses that set their own `Cache-Control` (the recording's ETag) keep it.
struct NoStoreMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
