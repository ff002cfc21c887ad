package import Hummingbird

/// Routes another module mounts into the server (the mock CRM of dev mode) without Gateway
/// depending on it. They are reachable only with an admin key, sent as `X-CallPipe-Key` (the
/// mounted routes may use `Authorization` for their own credentials) or as a CallPipe bearer key.
package protocol AdminRoutes: Sendable {
    /// The path they live under, e.g. `_mock`.
    var pathPrefix: String { get }
    func register(on group: RouterGroup<GatewayRequestContext>)
}
