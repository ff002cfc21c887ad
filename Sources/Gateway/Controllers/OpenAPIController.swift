import Foundation
import Hummingbird

/// `GET /openapi.json`: the hand-maintained OpenAPI 3.1 description of this API
/// (`Resources/openapi.json`, shipped as the Gateway's resource); a test checks that every route
/// is in it.
struct OpenAPIController: Sendable {
    /// The document, read once.
    static let document: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.get("openapi.json") { _, _ -> Response in
            guard let document = Self.document else {
                throw APIError(
                    .internalServerError, "missing_resource", "the OpenAPI document is not installed with the server")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }
}
