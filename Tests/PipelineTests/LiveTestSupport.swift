import AIClients
import Audio
import Foundation
import Logging

@testable import CallPipeCore
@testable import Live
@testable import SQLiteStore

/// A transcriber for live tests: answers with `reply(call number, duration)` after `delay(call
/// number)`, and can be held closed until a test opens it.
struct LiveTestTranscriber: Transcriber {
    actor State {
        var calls = 0
        var open = true
        var waiting: [CheckedContinuation<Void, Never>] = []

        func next() -> Int {
            calls += 1
            return calls
        }

        func pass() async {
            if open { return }
            await withCheckedContinuation { waiting.append($0) }
        }

        func setOpen(_ value: Bool) {
            open = value
            if value {
                for waiter in waiting { waiter.resume() }
                waiting.removeAll()
            }
        }
    }

    let state = State()
    var delay: @Sendable (Int) -> Duration = { _ in .zero }
    var reply: @Sendable (Int, Double) -> String = { number, duration in
        "utterance \(number) of \(String(format: "%.1f", duration)) seconds"
    }

    var name: String { "scripted:live" }

    func transcribe(_ data: Data, filename: String, duration: Double) async throws -> TranscriptionResult {
        let number = await state.next()
        await state.pass()
        try await Task.sleep(for: delay(number))
        return TranscriptionResult(
            text: reply(number, duration), language: "en", duration: duration, segments: [],
            usage: AIUsage(audioSeconds: duration, requests: 1))
    }
}

/// The heuristic analyzer's insights with a fixed sentiment for every turn.
struct FixedSentimentAnalyzer: CallAnalyzer {
    var sentiment: Double
    var name: String { "fixed" }

    func analyze(_ transcript: Transcript, context: CallContext) async throws -> CallAnalysisResult {
        var result = try await HeuristicCallAnalyzer().analyze(transcript, context: context)
        result.turns = transcript.segments.map { _ in TurnAnalysis(speaker: nil, sentiment: sentiment) }
        return result
    }
}

/// Runs a live session for a call in a fresh store, feeding it with `feed`, collecting every event
/// of the call until it has ended.
struct LiveSessionHarness {
    let store: SQLiteCallStore
    let events = CallEventBus()
    let directory: URL
    let callID = "call_live"

    init() async throws {
        store = try SQLiteCallStore()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await store.insertCall(StoredCall(id: callID, agentID: "ann", createdAt: Date()))
    }

    func makeSession(
        format: LiveAudioFormat = .twilio, configuration: LiveSessionConfiguration = Self.fastConfiguration,
        transcriber: any Transcriber = LiveTestTranscriber(), analyzer: (any CallAnalyzer)? = nil,
        freeSpace: FreeSpaceGuard = FreeSpaceGuard(minimumFreeBytes: 0)
    ) throws -> LiveSession {
        try LiveSession(
            callID: callID, recordingID: "rec_live", format: format,
            speakers: format.channels == 2 ? ["agent", "customer"] : ["unknown"],
            recordingPath: directory.appendingPathComponent("rec_live.live.wav").path, configuration: configuration,
            services: LiveServices(
                store: store, events: events, transcriber: transcriber, analyzer: analyzer, freeSpace: freeSpace),
            logger: .init(label: "live-test"))
    }

    static var fastConfiguration: LiveSessionConfiguration {
        var configuration = LiveSessionConfiguration()
        configuration.insightsInterval = 0.05
        configuration.interimInterval = 0
        return configuration
    }

    /// Runs `session`, calls `feed`, and returns the call's events once it has been stored.
    func run(_ session: LiveSession, feed: @escaping @Sendable (LiveSession) async throws -> Void) async throws
        -> [DecodedEvent]
    {
        let subscription = await events.subscribe()
        await events.join(subscription.id, callID: callID)
        return try await withThrowingTaskGroup(of: [DecodedEvent].self) { group in
            group.addTask {
                var received: [DecodedEvent] = []
                for await event in subscription.events {
                    received.append(try DecodedEvent(event))
                    if event.type == "call_status", received.last?.data["status"] as? String == "ended" { break }
                }
                return received
            }
            group.addTask {
                await session.run()
                return []
            }
            group.addTask {
                try await feed(session)
                return []
            }
            var all: [DecodedEvent] = []
            for try await events in group { all += events }
            await events.unsubscribe(subscription.id)
            return all.sorted { $0.seq < $1.seq }
        }
    }

    /// Feeds planar audio in 20 ms blocks.
    static func feed(_ planar: [[Float]], to session: LiveSession, generation: Int, sampleRate: Int = 8_000)
        async throws
    {
        let block = sampleRate / 50
        var start = 0
        let total = planar.first?.count ?? 0
        while start < total {
            let end = min(start + block, total)
            try await session.ingest(planar.map { Array($0[start..<end]) }, generation: generation)
            start = end
        }
    }

    /// The stereo call fixture at 8 kHz (what Twilio carries).
    static func callAudio() async throws -> [[Float]] {
        try await AudioFileDecoder(configuration: .init(targetSampleRate: 8_000)).withSession(
            PipelineFixtures.path("call.mp3")
        ) { session in
            var planar: [[Float]] = [[], []]
            try session.forEachChunk { chunk in for channel in 0..<2 { planar[channel] += chunk.channels[channel] } }
            return planar
        }
    }

    /// `seconds` of a speech-like sound: a 220 Hz tone whose loudness rises and falls four times a
    /// second, as syllables do (or silence with `level` 0).
    static func tone(_ seconds: Double, level: Float = 0.3, sampleRate: Int = 8_000) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map { index in
            let time = Double(index) / Double(sampleRate)
            return level * Float((0.55 + 0.45 * sin(2 * Double.pi * 4 * time)) * sin(2 * Double.pi * 220 * time))
        }
    }
}

/// An event as a subscriber sees it.
struct DecodedEvent: @unchecked Sendable {
    var type: String
    var seq: Int
    var data: [String: Any]

    init(_ event: CallEvent) throws {
        let object = try JSONSerialization.jsonObject(with: Data(event.frame.utf8)) as? [String: Any] ?? [:]
        type = object["type"] as? String ?? ""
        seq = object["seq"] as? Int ?? 0
        data = object["data"] as? [String: Any] ?? [:]
    }

    var isFinalLine: Bool { type == "transcript_update" && data["is_final"] as? Bool == true }
    var start: Double { data["start_s"] as? Double ?? -1 }
    var end: Double { data["end_s"] as? Double ?? -1 }
    var speaker: String { data["speaker"] as? String ?? "" }
    var kind: String { data["kind"] as? String ?? "" }
}
