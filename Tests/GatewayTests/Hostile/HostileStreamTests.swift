import Audio
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Testing

@testable import CallPipeCore
@testable import Gateway
@testable import Live

/// Hostile input, family "live streams": numbers in stream messages that would overflow or make
/// the recording grow without audio, and streams past the per-agent and per-call limits. Each
/// closes the stream with a code and a reason; the call keeps what it received.
@Suite("Hostile input: live stream messages", .timeLimit(.minutes(1)))
struct HostileStreamTests {
    static func media(timestamp: String, chunk: Int = 51, track: String = "inbound") -> String {
        let payload = Data(repeating: 0xFF, count: 160).base64EncodedString()
        return
            #"{"event":"media","sequenceNumber":"1","media":{"track":"\#(track)","chunk":"\#(chunk)","timestamp":"\#(timestamp)","payload":"\#(payload)"},"streamSid":"MZtest"}"#
    }

    @Test(
        "Timestamps that overflow, are out of range or leap ahead close the stream with 1007",
        arguments: [
            ("2000000000000000000", "from 0 to"),  // 19 digits: the JSON path (Int, then × 8 overflowed)
            ("999999999999", "from 0 to"),  // 12 digits: the scanner's fast path
            ("99999999999999999999999", "whole number"),  // not even an Int
            ("12.5", "whole number"),
            ("-20", "from 0 to"),
            ("3000000", "leap"),  // 50 minutes ahead of 1 s of audio
        ])
    func hostileTimestamps(timestamp: String, phrase: String) async throws {
        let server = try await LiveTestServer()
        defer { server.cleanUp() }
        try await server.newCall("call_ts")
        let good = try await TwilioMessages.callMedia(1..<51).map { WebSocketOutboundWriter.OutboundFrame.text($0) }
        try await server.run { client in
            let close = try await LiveTestServer.stream(
                client, callID: "call_ts", token: server.app.keys["ann"]!,
                messages: [.text(TwilioMessages.start())] + good + [.text(Self.media(timestamp: timestamp))])
            #expect(close?.closeCode == .dataInconsistentWithMessage, "\(timestamp): \(close?.reason ?? "")")
            #expect(close?.reason?.contains(phrase) == true, "\(close?.reason ?? "no reason")")
            // The server still answers, and the call still has the second of audio it received.
            let end = try await client.execute(
                uri: "/api/calls/call_ts/end", method: .post, headers: server.app.headers("ann"))
            #expect(end.status == .ok)
            try await server.waitFor("call_ts") { call, recordings in call.status == .ended && recordings.count == 1 }
        }
    }

    @Test func manySmallLeapsAreCaughtLikeOneBigOne() async throws {
        let server = try await LiveTestServer()
        defer { server.cleanUp() }
        try await server.newCall("call_leaps")
        // Every message claims the next 20 ms of audio is 5 s later: 200 messages would be 1,000 s.
        let leaps = (1...200).map { WebSocketOutboundWriter.OutboundFrame.text(Self.media(timestamp: "\($0 * 5_000)")) }
        try await server.run { client in
            let close = try await LiveTestServer.stream(
                client, callID: "call_leaps", token: server.app.keys["ann"]!,
                messages: [.text(TwilioMessages.start(tracks: #"["inbound"]"#))] + leaps)
            #expect(close?.closeCode == .dataInconsistentWithMessage)
            #expect(close?.reason?.contains("leap") == true)
        }
    }

    @Test func anAgentPastTheirLiveCallLimitGets1013() async throws {
        var configured = try await LiveTestServer()
        configured.configuration.maxCallsPerAgent = 1
        let server = configured
        defer { server.cleanUp() }
        try await server.newCall("call_first")
        try await server.newCall("call_second")
        let pcmStart = WebSocketOutboundWriter.OutboundFrame.text(
            #"{"event":"start","sample_rate":8000,"channels":1,"encoding":"pcm_s16le"}"#)
        let audio = WebSocketOutboundWriter.OutboundFrame.binary(ByteBuffer(bytes: [UInt8](repeating: 0, count: 320)))
        let subscriber = await server.events.subscribe()
        await server.events.join(subscriber.id, callID: "call_first")
        try await server.run { client in
            try await client.ws("/api/calls/call_first/stream?protocol=pcm&token=\(server.app.keys["ann"]!)") {
                _, outbound, _ in
                try await outbound.write(pcmStart)
                try await outbound.write(audio)
                // The first call is live once its room says so.
                for await event in subscriber.events where event.type == "call_status" { break }
                let close = try await LiveTestServer.stream(
                    client, callID: "call_second", token: server.app.keys["ann"]!, protocol: "pcm",
                    messages: [pcmStart, audio])
                #expect(close?.closeCode == .unknown(1013))
                #expect(close?.reason?.contains("CALLPIPE_LIVE_MAX_CALLS_PER_AGENT") == true)
            }
        }
    }

    @Test func aCallPastItsMaximumLengthIsEndedAndKept() async throws {
        var configured = try await LiveTestServer()
        configured.configuration.maxCallSeconds = 1
        let server = configured
        defer { server.cleanUp() }
        try await server.newCall("call_long")
        let media = try await TwilioMessages.callMedia(1..<151).map { WebSocketOutboundWriter.OutboundFrame.text($0) }
        try await server.run { client in
            let close = try await LiveTestServer.stream(
                client, callID: "call_long", token: server.app.keys["ann"]!,
                messages: [.text(TwilioMessages.start())] + media)
            #expect(close?.closeCode == .policyViolation)
            #expect(
                close?.reason?.contains("CALLPIPE_LIVE_MAX_CALL_S") == true || close?.reason?.contains("ended") == true)
            try await server.waitFor("call_long") { call, recordings in
                call.status != .active && recordings.count == 1
            }
        }
    }
}
