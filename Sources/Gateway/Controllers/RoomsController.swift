import CallPipeCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket

/// `WS /ws`: supervisors' rooms (docs/ARCHITECTURE.md §6). One structured scope per connection: one task
/// reads the client's commands, one forwards the bus's events; when either ends (the client
/// leaves, or the bus drops a client that fell too far behind) the other is cancelled and the
/// connection closes. The server pings every 30 s (heartbeat) and closes cleanly on shutdown.
struct RoomsController: Sendable {
    let store: any CallRepository
    let events: CallEventBus
    /// Largest client message accepted.
    static let maxMessageBytes = 16 * 1_024

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.ws("ws") { _, context in
            _ = try context.caller()
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let caller = context.requestContext.identity else { return }
            let subscription = await events.subscribe()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in subscription.events {
                        let frame = WebSocketFrame(fin: true, opcode: .text, data: event.frameBytes)
                        try await outbound.write(.custom(frame))
                    }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                        let reply = await handle(message, caller: caller, subscriber: subscription.id)
                        if let reply { try await outbound.write(.text(reply)) }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
            await events.unsubscribe(subscription.id)
        }
    }

    /// Acts on one client message; returns an error frame for the client, if any.
    private func handle(_ message: WebSocketMessage, caller: APIIdentity, subscriber: UUID) async -> String? {
        guard case .text(let text) = message else { return Self.error("not_text", "send JSON text frames") }
        guard let command = try? JSONDecoder().decode(RoomCommand.self, from: Data(text.utf8)) else {
            return Self.error(
                "invalid_message",
                "expected {\"type\": join_call_session | leave_call_session | request_session_status | join_floor, \"session_id\": ...}"
            )
        }
        switch command.type {
        case .joinFloor:
            guard caller.role != .agent else { return Self.error("forbidden", "the floor is for supervisors") }
            await events.joinFloor(subscriber)
            return nil
        case .joinCallSession, .leaveCallSession, .requestSessionStatus:
            guard let id = command.sessionID, let call = try? await store.call(id: id), caller.mayRead(call) else {
                return Self.error("not_found", "no call \(command.sessionID ?? "(session_id missing)")")
            }
            switch command.type {
            case .joinCallSession: await events.join(subscriber, callID: call.id)
            case .leaveCallSession: await events.leave(subscriber, callID: call.id)
            default: await events.resend(subscriber, callID: call.id)
            }
            return nil
        }
    }

    static func error(_ code: String, _ message: String) -> String {
        let body = (try? JSONEncoder().encode(["code": code, "message": message])) ?? Data("{}".utf8)
        return #"{"type":"error","data":\#(String(decoding: body, as: UTF8.self))}"#
    }
}
