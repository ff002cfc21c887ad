import Hummingbird

/// `GET /openapi.json`: the hand-maintained OpenAPI 3.1 description of this API
/// (`OpenAPIDocument`); a test checks that every route is in it.
struct OpenAPIController: Sendable {
    func register(on router: Router<GatewayRequestContext>) {
        router.get("openapi.json") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
