import AIClients
import Audio
import Foundation
import Logging
import Testing

@testable import CallPipeCore
@testable import Live
@testable import SQLiteStore

@Suite("Live sessions: endpointing, ordering, insights, alerts, the end of a call", .timeLimit(.minutes(3)))
struct LiveSessionTests {
    @Test func theCallFixtureComesOutAsOrderedUtterancesThatMatchTheGroundTruth() async throws {
        let harness = try await LiveSessionHarness()
        // Early requests are the slowest, so answers come back out of order.
        var transcriber = LiveTestTranscriber()
        transcriber.delay = { number in .milliseconds(max(0, 120 - number * 10)) }
        let session = try harness.makeSession(transcriber: transcriber)
        let audio = try await LiveSessionHarness.callAudio()
        let events = try await harness.run(session) { session in
            let generation = try await session.attach()
            try await LiveSessionHarness.feed(audio, to: session, generation: generation)
            await session.end(.stopped)
        }
        let lines = events.filter(\.isFinalLine)
        let truth = PipelineFixtures.call.utterances
        #expect(lines.count >= truth.count - 1)
        // Published in utterance order: each line ends after the one before (both channels share
        // the detector's delay, so its order is the order of the ends).
        for (previous, next) in zip(lines, lines.dropFirst()) {
            #expect(next.end >= previous.end - 0.05, "\(previous.end) then \(next.end)")
        }
        // Every line is some utterance of that speaker, at its time; every utterance is found.
        for line in lines {
            #expect(
                truth.contains { $0.speaker == line.speaker && line.start < $0.end_s && line.end > $0.start_s },
                "\(line.speaker) \(line.start)–\(line.end)")
        }
        for utterance in truth {
            #expect(
                lines.contains {
                    $0.speaker == utterance.speaker && $0.start < utterance.end_s && $0.end > utterance.start_s
                },
                "missing \(utterance.speaker) \(utterance.start_s)")
            if let line = lines.first(where: {
                $0.speaker == utterance.speaker && abs($0.start - utterance.start_s) < 0.4
            }) {
                #expect(abs(line.start - utterance.start_s) < 0.4)
            }
        }
        #expect(events.contains { $0.type == "real_time_insights" })
        // The transcriber got mono audio of each utterance, around its own length.
        #expect(await transcriber.state.calls >= lines.count)
    }

    @Test func aMonologueIsCutEveryFifteenSeconds() async throws {
        let harness = try await LiveSessionHarness()
        let session = try harness.makeSession()
        let speech = LiveSessionHarness.tone(20) + LiveSessionHarness.tone(2, level: 0)
        let events = try await harness.run(session) { session in
            let generation = try await session.attach()
            try await LiveSessionHarness.feed(
                [speech, Array(repeating: 0, count: speech.count)], to: session, generation: generation)
            await session.end(.stopped)
        }
        let lines = events.filter(\.isFinalLine)
        try #require(lines.count == 2)
        #expect(lines[0].end - lines[0].start <= 15.01)
        #expect(abs(lines[0].end - lines[1].start) < 0.05, "the second part starts where the first was cut")
        #expect(abs(lines[1].end - 20) < 0.1)
    }

    @Test func aStalledTranscriberNeverHoldsUpTheSenderAndItsLagIsReported() async throws {
        let harness = try await LiveSessionHarness()
        let transcriber = LiveTestTranscriber()
        await transcriber.state.setOpen(false)
        let session = try harness.makeSession(transcriber: transcriber)
        let audio = try await LiveSessionHarness.callAudio()
        // A watcher of its own, to open the transcriber only once insights have reported the backlog
        // (however slow the machine), instead of after a fixed sleep.
        let watcher = await harness.events.subscribe()
        await harness.events.join(watcher.id, callID: harness.callID)
        let events = try await harness.run(session) { session in
            let generation = try await session.attach()
            // The whole call goes in while not one transcription has finished.
            try await LiveSessionHarness.feed(audio, to: session, generation: generation)
            let backlog = await session.snapshot().transcription
            #expect(backlog.pendingUtterances >= 8)
            #expect(backlog.lagS > 20)
            for await event in watcher.events {
                let decoded = try DecodedEvent(event)
                let transcription = decoded.data["transcription"] as? [String: Any]
                if decoded.type == "real_time_insights", (transcription?["pending_utterances"] as? Int ?? 0) > 0 {
                    break
                }
            }
            await harness.events.unsubscribe(watcher.id)
            await transcriber.state.setOpen(true)
            await session.end(.stopped)
        }
        let lines = events.filter(\.isFinalLine)
        #expect(lines.count >= 9)
        for (previous, next) in zip(lines, lines.dropFirst()) { #expect(next.end >= previous.end - 0.05) }
        let lagging = events.filter { $0.type == "real_time_insights" }.compactMap {
            ($0.data["transcription"] as? [String: Any])?["pending_utterances"] as? Int
        }
        #expect(lagging.contains { $0 > 0 }, "insights reported the backlog")
    }

    @Test func deadAirOverTalkKeywordsAndANegativeStreakRaiseAlerts() async throws {
        let harness = try await LiveSessionHarness()
        var transcriber = LiveTestTranscriber()
        transcriber.reply = { number, _ in number == 2 ? "I want to talk to your supervisor" : "fine" }
        let session = try harness.makeSession(
            transcriber: transcriber, analyzer: FixedSentimentAnalyzer(sentiment: -0.8))
        let silence = { (seconds: Double) in LiveSessionHarness.tone(seconds, level: 0) }
        let tone = { (seconds: Double) in LiveSessionHarness.tone(seconds) }
        // Customer talks three times, 10 s of dead air, then both talk at once for 4 s.
        let customer = tone(1) + silence(1) + tone(1) + silence(1) + tone(1) + silence(10) + tone(4) + silence(2)
        let agent = silence(15) + tone(4) + silence(2)
        let events = try await harness.run(session) { session in
            let generation = try await session.attach()
            try await LiveSessionHarness.feed([agent, customer], to: session, generation: generation)
            await session.end(.stopped)
        }
        let alerts = events.filter { $0.type == "alert" }
        let deadAir = try #require(alerts.first { $0.kind == "dead_air" })
        #expect(abs((deadAir.data["at_s"] as? Double ?? 0) - 5) < 0.8)
        let overTalk = try #require(alerts.first { $0.kind == "over_talk" })
        #expect(abs((overTalk.data["at_s"] as? Double ?? 0) - 15) < 0.8)
        let keyword = try #require(alerts.first { $0.kind == "keyword" })
        #expect(keyword.data["keyword"] as? String == "supervisor")
        #expect(alerts.contains { $0.kind == "negative_sentiment" })
        #expect(alerts.filter { $0.kind == "dead_air" }.count == 1, "one alert per silence")
        let insights = try #require(events.last { $0.type == "real_time_insights" })
        let talk = insights.data["talk_s"] as? [String: Double] ?? [:]
        #expect((talk["customer"] ?? 0) > 6)
        #expect((insights.data["over_talk_s"] as? Double ?? 0) > 3)
    }

    @Test func theEndStoresTheRecordingAndQueuesThePostCallPipeline() async throws {
        let harness = try await LiveSessionHarness()
        let session = try harness.makeSession()
        let audio = try await LiveSessionHarness.callAudio()
        _ = try await harness.run(session) { session in
            let generation = try await session.attach()
            try await LiveSessionHarness.feed(audio, to: session, generation: generation)
            await session.end(.stopped)
        }
        let call = try #require(try await harness.store.call(id: harness.callID))
        #expect(call.status == .ended)
        #expect(call.endedAt != nil)
        let recordings = try await harness.store.recordings(callID: harness.callID)
        try #require(recordings.count == 1)
        let reader = try SoundFileReader(path: recordings[0].path)
        #expect(reader.channels == 2)
        #expect(reader.sampleRate == 8_000)
        #expect(reader.frames == audio[0].count)
        let jobs = try await harness.store.jobs(callID: harness.callID)
        #expect(jobs.map(\.stage) == [.analyze])
    }

    @Test func aReconnectContinuesTheCallAndTheOldConnectionCannotInterleave() async throws {
        let harness = try await LiveSessionHarness()
        let session = try harness.makeSession()
        let audio = try await LiveSessionHarness.callAudio()
        let half = audio[0].count / 2
        _ = try await harness.run(session) { session in
            let first = try await session.attach()
            try await LiveSessionHarness.feed(audio.map { Array($0[..<half]) }, to: session, generation: first)
            await session.detach(generation: first)
            let second = try await session.attach()
            await #expect(throws: CallPipeError.self) {
                try await session.ingest([[0.1], [0.1]], generation: first)
            }
            try await LiveSessionHarness.feed(audio.map { Array($0[half...]) }, to: session, generation: second)
            await session.end(.stopped)
        }
        let recordings = try await harness.store.recordings(callID: harness.callID)
        try #require(recordings.count == 1)
        let frames = try SoundFileReader(path: recordings[0].path).frames
        // The short disconnection is silence in the recording; nothing is lost or repeated.
        #expect(frames >= audio[0].count)
        #expect(frames < audio[0].count + 8_000)
    }

    @Test func aCallWithoutAudioForTheIdleTimeoutEndsByItself() async throws {
        let harness = try await LiveSessionHarness()
        var configuration = LiveSessionHarness.fastConfiguration
        configuration.idleTimeout = 0.3
        let session = try harness.makeSession(configuration: configuration)
        _ = try await harness.run(session) { session in
            let generation = try await session.attach()
            try await LiveSessionHarness.feed(
                [LiveSessionHarness.tone(1), LiveSessionHarness.tone(1)], to: session, generation: generation)
            await session.detach(generation: generation)
        }
        #expect(await session.endReason == .idle)
        #expect(try await harness.store.recordings(callID: harness.callID).count == 1)
        #expect(try await harness.store.call(id: harness.callID)?.status == .ended)
    }

    @Test func aRecordingLeftByACrashIsStoredAtTheNextStart() async throws {
        let harness = try await LiveSessionHarness()
        let callDirectory = harness.directory.appendingPathComponent(harness.callID)
        try FileManager.default.createDirectory(at: callDirectory, withIntermediateDirectories: true)
        // A recording as a crashed server leaves it: written and checkpointed, never closed.
        let path = callDirectory.appendingPathComponent("rec_crashed.live.wav").path
        let writer = try SoundFileWriter(path: path, format: .wav, sampleRate: 8_000, channels: 2)
        try writer.write([LiveSessionHarness.tone(2), LiveSessionHarness.tone(2)])
        writer.updateHeader()
        let manager = LiveSessionManager(
            directory: harness.directory.path, configuration: .init(),
            services: LiveServices(
                store: harness.store, events: nil, transcriber: LiveTestTranscriber(), analyzer: nil),
            logger: .init(label: "test"))
        await manager.recoverInterruptedCalls()
        await manager.recoverInterruptedCalls()  // A second start adds nothing.
        let recordings = try await harness.store.recordings(callID: harness.callID)
        #expect(recordings.map(\.id) == ["rec_crashed"])
        #expect(try await harness.store.call(id: harness.callID)?.status == .ended)
        try writer.close()
    }
}
