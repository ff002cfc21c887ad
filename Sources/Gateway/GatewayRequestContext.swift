package import Hummingbird
package import HummingbirdWebSocket
package import NIOCore

/// The request context of every CallPipe route: Hummingbird's core plus the caller's identity,
/// set by `AuthMiddleware`.
package struct GatewayRequestContext: RequestContext, WebSocketRequestContext {
    package var coreContext: CoreRequestContextStorage
    package var identity: APIIdentity?
    package let webSocket: WebSocketHandlerReference<Self>
    /// The event loop of the request's channel (a live-audio connection runs its work on it).
    package let eventLoop: any EventLoop
    /// The request's channel (a live-audio connection paces its reads on it).
    package let channel: any Channel
    /// The peer's IP address (failed sign-ins are limited per address).
    package let remoteIP: String?

    package init(source: Source) {
        coreContext = .init(source: source)
        eventLoop = source.channel.eventLoop
        channel = source.channel
        remoteIP = source.channel.remoteAddress?.ipAddress
        identity = nil
        webSocket = .init()
    }

    /// The authenticated caller (routes run behind `AuthMiddleware`, so there always is one).
    func caller() throws -> APIIdentity {
        guard let identity else { throw APIError.unauthorized("an API key is required") }
        return identity
    }
}
