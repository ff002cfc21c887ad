import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// The WebSocket of one replayed stream, on plain NIO: the sender writes frames straight into the
/// channel on its event loop and flushes once per 20 ms tick (both Twilio tracks in one write),
/// which is what keeps `--streams 1000` cheap enough to run beside the server it loads.
struct ReplayConnection: Sendable {
    /// How the server closed the stream (`nil`: the connection ended without a close frame).
    typealias Close = (code: WebSocketErrorCode, reason: String)?

    let channel: any Channel
    /// Completes when the server closes the stream or the connection ends.
    let closed: EventLoopFuture<Close>

    /// Connects to `url` (`ws://` or `wss://`) on `eventLoop` and upgrades to a WebSocket.
    static func connect(to url: URL, on eventLoop: any EventLoop) async throws -> ReplayConnection {
        guard let host = url.host, let scheme = url.scheme, scheme == "ws" || scheme == "wss" else {
            throw CommandFailure(message: "not a WebSocket URL: \(url.absoluteString)", exitCode: 2)
        }
        let secure = scheme == "wss"
        let port = url.port ?? (secure ? 443 : 80)
        let target = url.path.isEmpty ? "/" : url.path + (url.query.map { "?\($0)" } ?? "")
        let tls = secure ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        let closed = eventLoop.makePromise(of: Close.self)
        let (channel, upgraded) = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls {
                        try operations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host))
                    }
                    let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: 1 << 16) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(ReplayFrameHandler(closed: closed))
                            return true
                        }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
                    headers.add(name: "Content-Length", value: "0")
                    let upgrade = NIOTypedHTTPClientUpgradeConfiguration<Bool>(
                        upgradeRequestHead: .init(version: .http1_1, method: .GET, uri: target, headers: headers),
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(false) })
                    let result = try operations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: upgrade))
                    return (channel, result)
                }
            }
        guard try await upgraded.get() else {
            try? await channel.close()
            throw CommandFailure(message: "the server refused the WebSocket upgrade of \(url.path)", exitCode: 1)
        }
        return ReplayConnection(channel: channel, closed: closed.futureResult)
    }
}

/// Answers the server's pings, and its close (echoed, then the connection is closed); what else
/// the server sends is not needed by a replay.
final class ReplayFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let closed: EventLoopPromise<ReplayConnection.Close>
    private var done = false

    init(closed: EventLoopPromise<ReplayConnection.Close>) {
        self.closed = closed
    }

    private func complete(_ result: Result<ReplayConnection.Close, any Error>) {
        guard !done else { return }
        done = true
        closed.completeWith(result)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .connectionClose:
            var payload = frame.unmaskedData
            let code =
                payload.readInteger(as: UInt16.self).map { WebSocketErrorCode(codeNumber: Int($0)) } ?? .normalClosure
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            var echo = context.channel.allocator.buffer(capacity: 2)
            echo.write(webSocketErrorCode: code)
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in bound.value.close(promise: nil) }
            complete(.success((code, reason)))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.success(nil))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(error))
        context.close(promise: nil)
    }
}
