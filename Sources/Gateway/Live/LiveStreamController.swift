import CallPipeCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Live
import NIOCore
import NIOWebSocket

/// `WS /api/calls/{id}/stream` (docs/ARCHITECTURE.md §5): live audio in, as `protocol=pcm` (the default) or
/// `protocol=twilio`. The upgrade is refused with an HTTP error when the caller may not stream to
/// the call (agents their own calls, admins any), the call is unknown or over, or the protocol is
/// not one of the two; after the upgrade, protocol errors close the stream with a code and reason.
struct LiveStreamController: Sendable {
    let store: any CallRepository
    let live: LiveSessionManager
    let configuration: LiveStreamConfiguration

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.ws("api/calls/:id/stream") { request, context in
            _ = try Self.streamProtocol(request)
            let call = try await writableCall(context)
            if call.endedAt != nil, await live.session(callID: call.id) == nil {
                throw APIError(.conflict, "call_ended", "call \(call.id) has ended; start a new call to stream audio")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let call = try? await writableCall(context.requestContext),
                let streamProtocol = try? Self.streamProtocol(context.request)
            else { return }
            var connection = LiveStreamConnection(
                streamProtocol: streamProtocol, call: call, live: live, configuration: configuration,
                logger: context.logger)
            if configuration.readInterval > 0 {
                let channel = context.requestContext.channel
                let interval = TimeAmount.nanoseconds(Int64(configuration.readInterval * 1e9))
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(LiveReadPacer(interval: interval), position: .first)
                }.get()
            }
            if streamProtocol == .twilio {
                // Media messages parsed as they come off the socket (TwilioMediaFramer).
                let channel = context.requestContext.channel
                let framer = TwilioMediaFramer(
                    token: connection.mediaToken, maxFrameBytes: configuration.maxMessageBytes)
                try await channel.eventLoop.submit {
                    let decoder = try channel.pipeline.syncOperations.handler(
                        type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
                    try channel.pipeline.syncOperations.addHandler(framer, position: .after(decoder))
                }.get()
            }
            let endings = await live.endings(of: call.id)
            // Messages are read and parsed on the channel's event loop: one thread hop per 100 ms
            // block handed to the session instead of one per 20 ms message.
            let executor = EventLoopTaskExecutor(context.requestContext.eventLoop)
            try await withTaskExecutorPreference(executor) {
                let gate = LiveStreamCloseGate()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The call ending elsewhere (POST /end, the idle timeout, shutdown) closes the stream.
                    group.addTask {
                        for await reason in endings {
                            let (code, text) = Self.closing(reason)
                            try await gate.closeUnlessTakenOver { try await outbound.close(code, reason: text) }
                        }
                    }
                    let close = await connection.run(inbound.messages(maxSize: configuration.maxMessageBytes))
                    // A close of the connection's own (an error, the call too long) is the one sent,
                    // even though ending the call below makes the watcher want to close too.
                    if close != nil { await gate.takeOver() }
                    await connection.finish()
                    await gate.takeOver()
                    group.cancelAll()
                    if let (code, reason) = close { try await outbound.close(code, reason: reason) }
                }
            }
        }
    }

    /// The close code and reason for a call that ended elsewhere than on this connection.
    static func closing(_ reason: LiveSession.EndReason) -> (WebSocketErrorCode, String) {
        switch reason {
        case .shutdown: (.goingAway, "the server is shutting down")
        // 1012 "service restart": the call stays live; connect again (any node) to go on with it.
        case .handedOff: (.unknown(1012), "this node is handing the call over: reconnect to continue it")
        case .storageFull:
            (.unexpectedServerError, "the server's disk is full: recording stopped, what was recorded is kept")
        case .stopped, .ended, .idle: (.normalClosure, "the call has ended")
        }
    }

    static func streamProtocol(_ request: Request) throws -> LiveStreamConnection.StreamProtocol {
        let name = request.uri.queryParameters.get("protocol") ?? "pcm"
        guard let value = LiveStreamConnection.StreamProtocol(rawValue: name) else {
            throw APIError.badRequest("invalid_query", "protocol must be pcm or twilio")
        }
        return value
    }

    private func writableCall(_ context: GatewayRequestContext) async throws -> StoredCall {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        guard let call = try await store.call(id: id), caller.mayRead(call) else {
            throw APIError.notFound("no call \(id.prefix(100))")
        }
        guard caller.mayWrite(call) else {
            throw APIError.forbidden("this key may not stream audio to call \(call.id)")
        }
        return call
    }
}
