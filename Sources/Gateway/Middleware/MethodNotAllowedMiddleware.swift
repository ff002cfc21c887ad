import HTTPTypes
import Hummingbird

/// What the router says when no route answers a request whose path is a route's: 405 with an
/// `Allow` header listing that path's methods (RFC 9110 §15.5.6) and the API's error body, as
/// `/openapi.json` documents, instead of 404. Requests for paths no route has go on (to the
/// dashboard's files, or 404).
///
/// Added to the router last, so it runs only on the router's not-found path, and built from the
/// routes actually registered: the answer cannot drift from the server.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    struct Route {
        var path: RouterPath
        var methods: [HTTPRequest.Method]
    }

    let routes: [Route]

    /// The router's routes, grouped by path.
    init(routes: [(path: RouterPath, method: HTTPRequest.Method)]) {
        var grouped: [String: Route] = [:]
        for (path, method) in routes {
            grouped[path.description, default: Route(path: path, methods: [])].methods.append(method)
        }
        self.routes = Array(grouped.values)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        guard let route = Self.bestMatch(segments, in: routes) else { return try await next(request, context) }
        guard !route.methods.contains(request.method) else { return try await next(request, context) }
        let allowed = route.methods.map(\.rawValue).sorted().joined(separator: ", ")
        var response = try APIError(
            .methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed here; use \(allowed)"
        ).response(from: request, context: context)
        response.headers[.allow] = allowed
        return response
    }

    /// The route the router's tree would pick for `segments`: constant segments win over
    /// captures and wildcards, left to right.
    static func bestMatch(_ segments: [Substring], in routes: [Route]) -> Route? {
        var best: (route: Route, rank: [Int])?
        for route in routes {
            guard let rank = rank(route.path, segments) else { continue }
            if let current = best, !rank.lexicographicallyPrecedes(current.rank) { continue }
            best = (route, rank)
        }
        return best?.route
    }

    /// Per segment 0 for a constant, 1 for anything else; `nil` if `path` does not match.
    private static func rank(_ path: RouterPath, _ segments: [Substring]) -> [Int]? {
        var rank: [Int] = []
        for (index, element) in path.components.enumerated() {
            if element.description == "**" { return rank + [2] }
            guard index < segments.count, element ~= segments[index] else { return nil }
            rank.append(element == segments[index] ? 0 : 1)
        }
        return path.components.count == segments.count ? rank : nil
    }
}
