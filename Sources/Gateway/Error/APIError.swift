import Foundation
package import Hummingbird

/// An error as the API reports it (docs/ARCHITECTURE.md §4): an HTTP status and
/// `{"error": {"code": "...", "message": "..."}}`.
package struct APIError: HTTPResponseError, Equatable {
    package var status: HTTPResponse.Status
    package var code: String
    package var message: String
    /// Extra response headers (`Retry-After` on 429, `Allow` on 405).
    package var headers: HTTPFields

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// 429 with `Retry-After` in whole seconds (at least 1).
    static func tooManyRequests(_ code: String, _ message: String, retryAfter: Double) -> APIError {
        let seconds = retryAfter.isFinite ? Int(min(86_400, max(1, retryAfter.rounded(.up)))) : 1
        return APIError(.tooManyRequests, code, message, headers: [.retryAfter: "\(seconds)"])
    }

    static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    /// 507: the server's disk is full (or below its free-space reserve); nothing was kept.
    static func insufficientStorage(_ message: String) -> APIError {
        APIError(.init(code: 507, reasonPhrase: "Insufficient Storage"), "insufficient_storage", message)
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(["error": ["code": code, "message": message]])
        var response = Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        response.headers.append(contentsOf: headers)
        return response
    }
}
