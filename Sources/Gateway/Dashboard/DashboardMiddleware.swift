import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Serves the dashboard's static files from ``DashboardConfiguration/directory`` with
/// Hummingbird's `FileMiddleware`, for any GET or HEAD that no route answered: `/` is
/// `index.html`, paths with `..` are refused (400), ETag and Last-Modified make revisits 304s.
///
/// The assets need no key (the login page is one of them); everything they load from `/api` and
/// `/ws` does. Files are sent with `no-cache` (revalidated every time, so a deploy shows at once),
/// `nosniff`, and for HTML a content security policy that allows only this origin's scripts.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// Only this origin: no inline script, no third-party anything; `ws:`/`wss:` for the rooms.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        + "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    private let files: FileMiddleware<GatewayRequestContext, LocalFileSystem>

    init(directory: String, logger: Logger) {
        let utf8 = ("charset", "utf-8")
        files = FileMiddleware(
            directory, cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true,
            logger: logger
        )
        .withAdditionalMediaTypes(forFileExtensions: [
            "html": MediaType(type: .text, subType: "html", parameter: utf8),
            "js": MediaType(type: .text, subType: "javascript", parameter: utf8),
            "css": MediaType(type: .text, subType: "css", parameter: utf8),
            "svg": MediaType(type: .image, subType: "svg+xml"),
        ])
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await files.handle(request, context: context, next: next)
        // Only files carry an ETag; API responses pass through untouched.
        guard response.headers[.eTag] != nil else { return response }
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
            response.headers[Self.referrerPolicy] = "no-referrer"
        }
        return response
    }
}
