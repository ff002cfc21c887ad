import AsyncHTTPClient
import FakeOpenAIServer
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// `callpipe replay` against a real `callpipe serve`: the live call as a supervisor sees it.
@Suite("callpipe replay: a live call end to end", .timeLimit(.minutes(3)))
struct ReplayCommandTests {
    actor Frames {
        /// Raw text frames (JSON objects are not Sendable, so they are parsed outside the actor).
        var frames: [String] = []
        var ready = false
        func add(_ frame: String) { frames.append(frame) }
        func setReady() { ready = true }
    }

    @Test(.timeLimit(.minutes(2)))
    func aReplayedTwilioCallShowsLiveLinesInsightsAndAlertsThenEndsWithASummary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyOutput = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path], environment: [:])
        let key = try #require(keyOutput.stdout.split(separator: "\n").last.map(String.init))
        try await FakeOpenAIServer.run { fake in
            await fake.state.setLatency(0.3)
            await fake.state.transcribe("utterance", as: "We will send you a new router.")
            let caFile = try fake.certificate.writeCertificate(to: directory)
            let server = try ServerRestartTests.ServerProcess(
                dataDirectory: directory,
                environment: [
                    "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL, "CALLPIPE_CA_FILE": caFile,
                    "CALLPIPE_LIVE_KEYWORDS": "router, lawyer",
                    "CALLPIPE_LIVE_DEAD_AIR_S": "4",
                ])
            do {
                let port = try await server.port()
                let frames = Frames()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await Self.watchFloor(port: port, key: key, into: frames) }
                    while await !frames.ready { try await Task.sleep(for: .milliseconds(20)) }
                    let replay = try await CallPipeBinary.run(
                        [
                            "replay", CallPipeBinary.fixtures.appendingPathComponent("call.mp3").path, "--server",
                            "http://127.0.0.1:\(port)", "--token", key, "--agent-id", "ann", "--protocol", "twilio",
                            "--speed", "4", "--json",
                        ], environment: [:])
                    #expect(replay.status == 0, "\(replay.stdout) \(replay.stderr)")
                    #expect(replay.stdout.contains(#""event":"finished""#))
                    // It says how late its frames went out: every 20 ms tick of the call counted (FFmpeg
                    // decodes the 41.47 s MP3 to 41.38 s of samples: 2,069 ticks).
                    let finished = replay.stdout.split(separator: "\n").compactMap {
                        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
                    }.first { $0["event"] == "finished" }
                    let sent = finished?["frames"].flatMap(Int.init) ?? 0
                    #expect(abs(sent - 2_069) <= 5, "\(finished ?? [:])")
                    #expect(finished?["late_frames"].flatMap(Int.init) != nil)
                    try await group.next()
                    group.cancelAll()
                }
                let events = await frames.frames.compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }
                let types = events.compactMap { $0["type"] as? String }
                let data = { (event: [String: Any]) in event["data"] as? [String: Any] ?? [:] }
                let lines = events.filter {
                    $0["type"] as? String == "transcript_update" && data($0)["source"] as? String == "live"
                }
                // Final lines only: an interim line of a long utterance ends where the audio was then.
                let live = lines.filter { data($0)["is_final"] as? Bool == true }
                #expect(live.count >= 8, "one line per utterance of the call")
                #expect(live.allSatisfy { data($0)["text"] as? String == "We will send you a new router." })
                // Lines come in the order their utterances were found to end: each speaker's strictly
                // in order; across speakers an end is found up to the endpointing silence (600 ms)
                // after it happens, so a line may end up to that much before the one published ahead of it.
                let ends = live.compactMap { data($0)["end_s"] as? Double }
                for (previous, next) in zip(ends, ends.dropFirst()) {
                    #expect(next >= previous - 0.7, "lines in utterance order: \(ends)")
                }
                for speaker in ["agent", "customer"] {
                    let own = live.filter { data($0)["speaker"] as? String == speaker }.compactMap {
                        data($0)["end_s"] as? Double
                    }
                    #expect(own == own.sorted(), "\(speaker) lines in order")
                }
                #expect(Set(live.compactMap { data($0)["speaker"] as? String }) == ["agent", "customer"])
                #expect(types.contains("real_time_insights"))
                let alerts = events.filter { $0["type"] as? String == "alert" }.compactMap {
                    data($0)["kind"] as? String
                }
                #expect(alerts.contains("keyword"))
                #expect(alerts.contains("dead_air"), "the 6 s hold is longer than CALLPIPE_LIVE_DEAD_AIR_S")
                // After the live call, the post-call pipeline: the final summary and `done`.
                #expect(
                    events.contains {
                        $0["type"] as? String == "summary_update" && data($0)["is_final"] as? Bool == true
                    })
                #expect(
                    events.contains {
                        $0["type"] as? String == "call_status" && data($0)["status"] as? String == "done"
                    })
                // …and it reaches every CRM of the default run (the mock mounted in-process), once.
                let callID = try #require(live.first?["session_id"] as? String)
                let client = HTTPClient.shared
                var deliveries: [[String: Any]] = []
                for _ in 0..<100 {
                    let (_, call) = try await ServerRestartTests.request(
                        client, .GET, "http://127.0.0.1:\(port)/api/calls/\(callID)", key: key)
                    deliveries = call["crm_deliveries"] as? [[String: Any]] ?? []
                    if deliveries.count == 4, deliveries.allSatisfy({ $0["state"] as? String == "delivered" }) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(deliveries.compactMap { $0["state"] as? String } == Array(repeating: "delivered", count: 4))
                let (_, objects) = try await ServerRestartTests.request(
                    client, .GET, "http://127.0.0.1:\(port)/_mock/objects", key: key)
                for vendor in ["salesforce_by_call", "zendesk_by_call", "hubspot_by_call"] {
                    #expect((objects[vendor] as? [String: Int])?[callID] == 1, "\(vendor)")
                }
                #expect(objects["webhooks"] as? Int == 1)
                try await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }

    /// Joins the floor and keeps every event until a call is `done`.
    static func watchFloor(port: Int, key: String, into frames: Frames) async throws {
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?token=\(key)", logger: Logger(label: "test"))
        {
            inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"join_floor"}"#))
            await frames.setReady()
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message,
                    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                else { continue }
                await frames.add(text)
                if object["type"] as? String == "call_status",
                    (object["data"] as? [String: Any])?["status"] as? String == "done"
                {
                    break
                }
            }
        }
    }
}
