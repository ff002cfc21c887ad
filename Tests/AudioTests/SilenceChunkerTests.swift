import Foundation
import Testing

@testable import Audio

@Suite("Silence-aligned chunking", .timeLimit(.minutes(3)))
struct SilenceChunkerTests {
    /// Both parties' speech (channel nil), or one party's: the agent's longest turn is 9.9 s,
    /// so only the customer's channel can be cut into 6 s pieces without cutting a word.
    @Test(arguments: [(nil, 15.0), (nil, 20.0), (1, 6.0), (0, 12.0)])
    func cutsTheCallOnlyInsideSilences(channel: Int?, maxDuration: Double) async throws {
        let detection = try await RecordingAnalyzer().detectSpeech(Fixtures.path("call.mp3"))
        let totalFrames = Int((detection.duration * 16_000).rounded())
        let spans = detection.spans.filter { channel == nil || $0.channel == channel }
        let chunks = SilenceChunker(configuration: .init(maxDuration: maxDuration))
            .plan(spans: spans, totalFrames: totalFrames, sampleRate: 16_000, channels: 2)
        #expect(chunks.count >= Int(detection.duration / maxDuration))
        #expect(chunks.first?.startFrame == 0 && chunks.last?.endFrame == totalFrames)
        #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.endFrame == $1.startFrame })
        #expect(chunks.allSatisfy { $0.end - $0.start <= maxDuration && !$0.cutsSpeech })
        let truth = Fixtures.call.spans.filter { channel == nil || $0.key == ["agent", "customer"][channel!] }
            .values.flatMap { $0 }
        for cut in chunks.dropLast().map(\.end) {
            #expect(!truth.contains { $0[0] < cut && cut < $0[1] }, "cut at \(cut) s falls inside speech")
        }
    }

    @Test func cutsContinuousSpeechAtTheLimitAndSaysSo() {
        let spans = [SpeechSpan(channel: 0, start: 0, end: 30)]
        let chunks = SilenceChunker(configuration: .init(maxDuration: 10))
            .plan(spans: spans, totalFrames: 30 * 8_000, sampleRate: 8_000, channels: 1)
        #expect(chunks.map(\.frameCount) == [80_000, 80_000, 80_000])
        #expect(chunks.map(\.cutsSpeech) == [true, true, false])
    }

    @Test func keepsEncodedChunksUnderTheByteBudget() async throws {
        let budget = 100_000
        let chunker = SilenceChunker(configuration: .init(maxBytes: budget, format: .wav))
        #expect(chunker.maxFrames(sampleRate: 16_000, channels: 1) == (budget - 44) / 2)
        let detection = try await RecordingAnalyzer().detectSpeech(Fixtures.path("call.opus"))
        let channelSpans = detection.spans.filter { $0.channel == 1 }
        let totalFrames = Int((detection.duration * 16_000).rounded())
        let chunks = chunker.plan(spans: channelSpans, totalFrames: totalFrames, sampleRate: 16_000, channels: 1)
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let exported = try await ChunkExporter().export(
            Fixtures.path("call.opus"), chunks: chunks, channel: 1, format: .wav, directory: directory.path)
        #expect(exported.count == chunks.count && chunks.count > 10)
        #expect(exported.allSatisfy { $0.bytes <= budget })
        var frames = 0
        for file in exported {
            let reader = try SoundFileReader(path: file.path)
            #expect(reader.channels == 1 && reader.sampleRate == 16_000)
            #expect(reader.frames == file.chunk.frameCount)
            frames += reader.frames
        }
        #expect(frames == totalFrames)
    }

    @Test func exportedChunksHoldExactlyTheirPartOfTheRecording() async throws {
        let path = Fixtures.path("excerpt-s16.wav")
        let decoder = AudioFileDecoder(configuration: .init(targetSampleRate: nil))
        let whole = try await decoder.withSession(path) { session in
            var left: [Float] = []
            try session.forEachChunk { left += $0.channels[0] }
            return left
        }
        let chunks = [
            AudioChunk(index: 0, startFrame: 0, endFrame: 10_000, sampleRate: 8_000, cutsSpeech: false),
            AudioChunk(index: 1, startFrame: 10_000, endFrame: whole.count, sampleRate: 8_000, cutsSpeech: false),
        ]
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let exported = try await ChunkExporter(decoder: decoder).export(
            path, chunks: chunks, format: .flac, directory: directory.path)
        let second = try SoundFileReader(path: exported[1].path)
        var samples: [Float] = []
        while let block = try second.read() { samples += block[0] }
        #expect(samples.count == whole.count - 10_000)
        #expect(zip(samples, whole[10_000...]).allSatisfy { abs($0 - $1) <= 1.0 / 32_768 })
    }
}
