import CallPipeCore
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import Testing

@testable import Gateway
@testable import SQLiteStore

@Suite("Rooms over WebSocket", .timeLimit(.minutes(3)))
struct RoomsControllerTests {
    struct Received: Decodable {
        var type: String
        var session_id: String?
        var seq: Int?
        var data: [String: String]?
    }

    /// Frames a client receives after sending `commands`, until `count` frames arrived. `publish`
    /// runs once the first frame has arrived: the server has then handled the commands before it
    /// (a join answers with the room's current state first), whatever the machine's load.
    static func exchange(
        _ app: GatewayTestApp, events: CallEventBus, as who: String, commands: [String], count: Int,
        publish: @escaping @Sendable () async -> Void = {}
    ) async throws -> [Received] {
        let application = try buildApplication(
            app.configuration, store: app.store, events: events, logger: Logger(label: "test"))
        let frames = FrameLog()
        try await application.test(.live) { client in
            try await client.ws("/ws?token=\(app.keys[who]!)") { inbound, outbound, _ in
                for command in commands { try await outbound.write(.text(command)) }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    let received = await frames.add(try JSONDecoder().decode(Received.self, from: Data(text.utf8)))
                    if received >= count { break }
                    if received == 1 { await publish() }
                }
            }
        }
        return await frames.frames
    }

    actor FrameLog {
        var frames: [Received] = []
        func add(_ frame: Received) -> Int {
            frames.append(frame)
            return frames.count
        }
    }

    @Test func lateJoinersGetTheCurrentStateThenLiveEventsInOrder() async throws {
        let app = try await GatewayTestApp()
        let events = CallEventBus()
        try await app.store.insertCall(StoredCall(id: "call_1", agentID: "ann", createdAt: Date()))
        await events.publish("call_status", callID: "call_1", data: ["status": "active"])
        await events.publish("call_status", callID: "call_1", data: ["status": "processing"])
        let frames = try await Self.exchange(
            app, events: events, as: "supervisor", commands: [#"{"type":"join_call_session","session_id":"call_1"}"#],
            count: 3
        ) {
            await events.publish("transcript_update", callID: "call_1", data: ["text": "Hello", "speaker": "agent"])
            await events.publish("call_status", callID: "call_1", data: ["status": "done"])
        }
        #expect(frames.map(\.type) == ["call_status", "transcript_update", "call_status"])
        #expect(frames[0].data?["status"] == "processing" && frames[0].seq == 2)
        #expect(frames.map { $0.seq ?? 0 } == [2, 3, 4])
        #expect(frames.allSatisfy { $0.session_id == "call_1" })
    }

    @Test func answersBadMessagesWithErrorsAndKeepsTheConnection() async throws {
        let app = try await GatewayTestApp()
        try await app.store.insertCall(StoredCall(id: "call_bob", agentID: "bob", createdAt: Date()))
        let frames = try await Self.exchange(
            app, events: CallEventBus(), as: "ann",
            commands: [
                "not json", #"{"type":"dance"}"#, #"{"type":"join_call_session","session_id":"call_bob"}"#,
                #"{"type":"join_floor"}"#,
            ],
            count: 4)
        #expect(frames.map(\.type) == ["error", "error", "error", "error"])
        #expect(
            frames.map { $0.data?["code"] ?? "" } == ["invalid_message", "invalid_message", "not_found", "forbidden"])
    }

    @Test func refusesAConnectionWithoutAKey() async throws {
        let app = try await GatewayTestApp()
        let application = try buildApplication(app.configuration, store: app.store, logger: Logger(label: "test"))
        try await application.test(.live) { client in
            await #expect(throws: (any Error).self) {
                try await client.ws("/ws") { _, _, _ in Issue.record("upgraded without a key") }
            }
        }
    }
}
