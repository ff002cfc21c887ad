import AIClients
import Audio
import CallPipeCore
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Live
import Logging
import NIOWebSocket
import Testing

@testable import Gateway
@testable import SQLiteStore

/// Answers every utterance with the same words, at once.
struct EchoLiveTranscriber: Transcriber {
    var text = "thank you for calling"
    var name: String { "scripted:live" }

    func transcribe(_ data: Data, filename: String, duration: Double) async throws -> TranscriptionResult {
        TranscriptionResult(text: text, language: "en", duration: duration, segments: [], usage: AIUsage(requests: 1))
    }
}

/// The Gateway with live streams on: a real server on a loopback port, the live manager running as
/// a service, room events on `events`.
struct LiveTestServer {
    let app: GatewayTestApp
    let events = CallEventBus()
    var configuration = LiveSessionConfiguration()
    /// The free-space reserve the live calls keep (none by default).
    var freeSpace = FreeSpaceGuard(minimumFreeBytes: 0)
    /// The running server's live manager, for tests that must wait until it has a call's audio.
    let manager = ManagerReference()

    actor ManagerReference {
        var live: LiveSessionManager?
        func set(_ live: LiveSessionManager) { self.live = live }
        func callTime(_ callID: String) async -> Double? { await live?.session(callID: callID)?.callTime }
        /// Makes the node look overloaded: its event loops ran `lag` seconds late just now.
        func overload(lag: Double) { live?.load.record(lag: lag) }
        func report() async -> LiveLoadReport? { await live?.loadReport() }
    }

    init() async throws {
        app = try await GatewayTestApp()
        configuration.insightsInterval = 0.1
        configuration.interimInterval = 0
        // Every test server of the process shares one event loop group, which a parallel debug
        // run keeps late: admission by lag is off here but in the test that sets it.
        configuration.maxEventLoopLag = 0
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let live = LiveSessionManager(
            directory: app.configuration.uploads.directory, configuration: configuration,
            services: LiveServices(
                store: app.store, events: events, transcriber: EchoLiveTranscriber(), analyzer: HeuristicCallAnalyzer(),
                freeSpace: freeSpace),
            logger: Logger(label: "test"))
        await manager.set(live)
        let application = try buildApplication(
            app.configuration, store: app.store, events: events, live: live, services: [live],
            logger: Logger(label: "test"))
        try await application.test(.live, body)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: app.directory)
    }

    func newCall(_ id: String, agent: String = "ann") async throws {
        try await app.store.insertCall(StoredCall(id: id, agentID: agent, createdAt: Date()))
    }

    /// Waits (up to 10 s) until `condition` holds for the call.
    func waitFor(_ callID: String, _ condition: @escaping @Sendable (StoredCall, [StoredRecording]) -> Bool)
        async throws
    {
        for _ in 0..<200 {
            if let call = try await app.store.call(id: callID),
                condition(call, try await app.store.recordings(callID: callID))
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("call \(callID) never reached the expected state")
    }

    /// Waits (up to 30 s) until the server has taken in at least `seconds` of the call's audio: a
    /// client's write returning says nothing about when the server read it, on a loaded machine
    /// (a fresh-clone run ended a call before any of its audio had arrived; a run of every suite
    /// at once, unbounded, once took over 10 s).
    func waitForAudio(_ callID: String, seconds: Double) async throws {
        for _ in 0..<600 {
            if let time = await manager.callTime(callID), time >= seconds { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("call \(callID) never had \(seconds) s of audio on the server")
    }

    /// Streams messages and returns how the server closed the stream.
    static func stream(
        _ client: any TestClientProtocol, callID: String, token: String, protocol name: String = "twilio",
        messages: [WebSocketOutboundWriter.OutboundFrame], readUntilClosed: Bool = true
    ) async throws -> WebSocketCloseFrame? {
        try await client.ws("/api/calls/\(callID)/stream?protocol=\(name)&token=\(token)") { inbound, outbound, _ in
            for message in messages { try await outbound.write(message) }
            if readUntilClosed { for try await _ in inbound {} }
        }
    }
}

/// Twilio Media Streams messages, as Twilio writes them.
enum TwilioMessages {
    static let connected = #"{"event":"connected","protocol":"Call","version":"1.0.0"}"#

    static func start(tracks: String = #"["inbound","outbound"]"#) -> String {
        #"{"event":"start","sequenceNumber":"1","start":{"accountSid":"ACtest","streamSid":"MZtest","callSid":"CAtest","tracks":\#(tracks),"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"MZtest"}"#
    }

    static func media(track: String, chunk: Int, payload: String) -> String {
        #"{"event":"media","sequenceNumber":"\#(chunk * 2)","media":{"track":"\#(track)","chunk":"\#(chunk)","timestamp":"\#((chunk - 1) * 20)","payload":"\#(payload)"},"streamSid":"MZtest"}"#
    }

    static let stop =
        #"{"event":"stop","sequenceNumber":"9999","streamSid":"MZtest","stop":{"accountSid":"ACtest","callSid":"CAtest"}}"#

    /// The stereo call fixture as media messages, both tracks, chunks `range` (1-based).
    static func callMedia(_ chunks: Range<Int>? = nil) async throws -> [String] {
        let planar = try await AudioFileDecoder(configuration: .init(targetSampleRate: 8_000)).withSession(
            GatewayTestApp.fixtures.appendingPathComponent("call.mp3").path
        ) { session in
            var planar: [[Float]] = [[], []]
            try session.forEachChunk { chunk in for channel in 0..<2 { planar[channel] += chunk.channels[channel] } }
            return planar
        }
        let count = planar[0].count / 160
        var messages: [String] = []
        for chunk in chunks ?? 1..<(count + 1) where chunk <= count {
            let range = (chunk - 1) * 160..<chunk * 160
            for (track, channel) in [("outbound", 0), ("inbound", 1)] {
                let payload = Data(range.map { MuLaw.encode(planar[channel][$0]) }).base64EncodedString()
                messages.append(media(track: track, chunk: chunk, payload: payload))
            }
        }
        return messages
    }
}
