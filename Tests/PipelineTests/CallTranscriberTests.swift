import AIClients
import Audio
import Foundation
import Logging
import Testing

@testable import Pipeline

@Suite("Channel-aware transcription", .timeLimit(.minutes(3)))
struct CallTranscriberTests {
    static func transcribe(
        _ name: String, transcriber: ScriptedTranscriber = .init(), maxDuration: Double = 600, concurrency: Int = 4
    ) async throws -> (Transcript, AIUsage, SpeechDetection) {
        let path = PipelineFixtures.path(name)
        let detection = try await RecordingAnalyzer().detectSpeech(path)
        var configuration = CallTranscriptionConfiguration()
        configuration.chunking.maxDuration = maxDuration
        configuration.concurrency = concurrency
        let callTranscriber = CallTranscriber(
            transcriber: transcriber, configuration: configuration, logger: Logger(label: "test"))
        let (transcript, usage) = try await callTranscriber.transcribe(path, detection: detection)
        return (transcript, usage, detection)
    }

    @Test(arguments: [600.0, 12.0])
    func transcribesEachPartyOnItsOwnChannelWithExactTimes(maxDuration: Double) async throws {
        let transcriber = ScriptedTranscriber()
        let (transcript, usage, _) = try await Self.transcribe(
            "call.mp3", transcriber: transcriber, maxDuration: maxDuration)
        let truth = PipelineFixtures.call.spans
        for speaker in ["agent", "customer"] {
            let segments = transcript.segments.filter { $0.speaker == speaker }
            #expect(segments.count == truth[speaker]!.count, "\(speaker): \(segments.map { ($0.startS, $0.endS) })")
            for (segment, span) in zip(segments, truth[speaker]!) {
                #expect(
                    abs(segment.startS - span[0]) < 0.1 && abs(segment.endS - span[1]) < 0.1, "\(segment) vs \(span)")
            }
        }
        #expect(transcript.segments.map(\.startS) == transcript.segments.map(\.startS).sorted())
        // Only speech is sent: far less audio than two full channels, in mono files.
        let files = await transcriber.log.files
        #expect(files.allSatisfy { $0.channels == 1 && $0.duration <= maxDuration })
        #expect(usage.audioSeconds < 2 * PipelineFixtures.call.duration_s * 0.6)
        #expect(usage.requests == files.count)
    }

    @Test func dropsHallucinationsOverSilence() async throws {
        let (transcript, _, _) = try await Self.transcribe(
            "call.opus", transcriber: ScriptedTranscriber(hallucinate: true))
        #expect(!transcript.segments.contains { $0.text == "Thank you." })
        #expect(transcript.segments.count == 9)
    }

    @Test func transcribesMonoOnceWithUnknownSpeakers() async throws {
        let transcriber = ScriptedTranscriber()
        let (transcript, _, detection) = try await Self.transcribe("call-mono-gsm.wav", transcriber: transcriber)
        #expect(detection.channelMode == .mono)
        #expect(!transcript.segments.isEmpty && transcript.segments.allSatisfy { $0.speaker == "unknown" })
        #expect(await transcriber.log.files.count == 1)
    }

    @Test func keepsToTheChunkConcurrency() async throws {
        let transcriber = ScriptedTranscriber()
        _ = try await Self.transcribe("call.m4a", transcriber: transcriber, maxDuration: 5, concurrency: 2)
        #expect(await transcriber.log.files.count > 4)
        #expect(await transcriber.log.maxInFlight == 2)
    }
}

extension CallTranscriberTests {
    /// A model that runs every piece of a compacted chunk into one segment: with word timestamps
    /// the lines still sit on each utterance, words and all.
    /// It holds when the model doubts the segment (no-speech 0.6, as on a noisy phone line): the
    /// segment is on speech in the file it heard, though its recording range spans the other party.
    @Test(arguments: [0.0, 0.6])
    func linesFollowTheWordsWhenTheModelRunsPiecesTogether(noSpeech: Double) async throws {
        let (transcript, _, _) = try await Self.transcribe(
            "call.mp3", transcriber: ScriptedTranscriber(oneSegmentWithWords: true, oneSegmentNoSpeech: noSpeech))
        let truth = PipelineFixtures.call.spans
        for speaker in ["agent", "customer"] {
            let lines = transcript.segments.filter { $0.speaker == speaker }
            #expect(lines.count == truth[speaker]!.count, "\(speaker): \(lines.map { ($0.startS, $0.endS, $0.text) })")
            for (line, span) in zip(lines, truth[speaker]!) {
                #expect(abs(line.startS - span[0]) < 0.1 && abs(line.endS - span[1]) < 0.1, "\(line) vs \(span)")
                let words = try #require(line.words)
                #expect(words.count == 1 && words[0].word == line.text)
                // This model times each word over its whole piece, padding included.
                let margin = CallTranscriptionConfiguration().gatePadding + 0.05
                #expect(words[0].startS >= line.startS - margin && words[0].endS <= line.endS + margin)
            }
        }
    }
}
