import Foundation
import Testing

@testable import Audio

/// The decoder is bounded by what is real, not by what a file claims: length, shape, the files
/// it opens, time, and threads.
@Suite("Decoder limits", .timeLimit(.minutes(3)))
struct DecoderLimitsTests {
    @Test func refusesATimestampLeapPastTheLimitInsteadOfFillingIt() async throws {
        let path = Fixtures.path("hostile/timestamp-leap.mkv")
        let error = try await Self.analysisError(path)
        #expect(error.code == .tooLong && error.isInputError)
        #expect(
            error.message.hasPrefix("\(path): the recording is longer than the 4 h limit (CALLPIPE_MAX_AUDIO_SECONDS)"))
        #expect(error.message.contains("leap 1000000.0 s ahead at 1.0 s"), "\(error.message)")
    }

    @Test func deliversOnlyChunkSizedPiecesBeforeTheLeapIsRefused() async throws {
        let decoder = AudioFileDecoder(configuration: .init(chunkFrames: 4_000))
        let frames = Counter()
        let largest = Counter()
        await #expect(throws: AudioError.self) {
            try await decoder.withSession(Fixtures.path("hostile/timestamp-leap.mkv")) { session in
                try session.forEachChunk { chunk in
                    frames.add(chunk.frameCount)
                    largest.raise(to: chunk.frameCount)
                }
            }
        }
        // A chunk is at most one codec frame (a Vorbis block: ≤ 2,048 frames here) over the size.
        #expect(largest.total < 4_000 + 2_048 && frames.total <= 16_000 * 2)
    }

    @Test func fillsAnHonestGapWithSilenceAChunkAtATime() async throws {
        let decoder = AudioFileDecoder(configuration: .init(chunkFrames: 4_000))
        let sizes = try await decoder.withSession(Fixtures.path("hostile/timestamp-gap.mkv")) { session in
            var sizes: [Int] = []
            try session.forEachChunk { sizes.append($0.frameCount) }
            return sizes
        }
        #expect(sizes.allSatisfy { $0 < 4_000 + 2_048 }, "\(sizes)")
        #expect(sizes.filter { $0 == 4_000 }.count >= 60 * 4 - 1, "the silence comes in pieces of exactly 4,000")
        let seconds = Double(sizes.reduce(0, +)) / 16_000
        #expect(abs(seconds - 62) < 0.2, "decoded \(seconds) s")
    }

    @Test func refusesAGapLongerThanWhatIsLeftOfTheLimit() async throws {
        let decoder = AudioFileDecoder(configuration: .init(maxSeconds: 30))
        let error = try await Self.analysisError(Fixtures.path("hostile/timestamp-gap.mkv"), decoder: decoder)
        #expect(error.code == .tooLong && error.message.contains("30 s limit"), "\(error.message)")
    }

    @Test func refusesARecordingLongerThanTheLimit() async throws {
        let decoder = AudioFileDecoder(configuration: .init(maxSeconds: 2))
        let path = Fixtures.path("excerpt-s16.wav")
        let error = try await Self.analysisError(path, decoder: decoder)
        #expect(error.code == .tooLong)
        #expect(error.message == "\(path): the recording is longer than the 2 s limit (CALLPIPE_MAX_AUDIO_SECONDS)")
    }

    @Test(arguments: [(2_000, 1), (384_000, 1), (8_000, 9), (16_000, 64)])
    func refusesSampleRatesAndChannelCountsOutsideTheRange(_ rate: Int, _ channels: Int) async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.writeSilentWAV(in: directory, rate: rate, channels: channels)
        do {
            let info = try await AudioFileDecoder().probe(path)
            Issue.record("expected a refusal, got \(info.sourceSampleRate) Hz × \(info.sourceChannels)")
        } catch let error as AudioError {
            #expect(error.code == .unsupportedFormat && error.isInputError)
            let expected =
                channels > 8
                ? "has \(channels) channels; CallPipe decodes 1 to 8 channels"
                : "sample rate is \(rate) Hz; CallPipe decodes sample rates from 4000 to 192000 Hz"
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test(arguments: [(4_000, 1), (192_000, 2), (8_000, 8)])
    func decodesTheEdgesOfTheRange(_ rate: Int, _ channels: Int) async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.writeSilentWAV(in: directory, rate: rate, channels: channels)
        let analysis = try await RecordingAnalyzer().analyze(path)
        #expect(abs(analysis.durationS - 1) < 0.01)
    }

    @Test(arguments: ["playlist.m3u8", "list.ffconcat"])
    func refusesPlaylistsAndFileListsThatPointAtOtherFiles(_ name: String) async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // FFmpeg on its own follows both to the call next to them.
        try FileManager.default.copyItem(
            atPath: Fixtures.path("call.mp3"), toPath: directory.appendingPathComponent("call.mp3").path)
        let list =
            name.hasSuffix("m3u8")
            ? "#EXTM3U\n#EXT-X-TARGETDURATION:60\n#EXTINF:60.0,\ncall.mp3\n#EXT-X-ENDLIST\n"
            : "ffconcat version 1.0\nfile call.mp3\n"
        let path = directory.appendingPathComponent(name).path
        try Data(list.utf8).write(to: URL(fileURLWithPath: path))
        let error = try await Self.analysisError(path)
        #expect(error.code == .unsupportedFormat)
        #expect(error.message.contains("not an audio or video file CallPipe accepts"), "\(error.message)")
        #expect(error.message.contains(name.hasSuffix("m3u8") ? "(hls)" : "(concat)"), "\(error.message)")
    }

    @Test func readsAPathWithAColonAsAFileNotAProtocol() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("http:call.wav").path
        try FileManager.default.copyItem(atPath: Fixtures.path("excerpt-s16.wav"), toPath: path)
        let analysis = try await RecordingAnalyzer().analyze(path)
        #expect(analysis.durationS > 5)
    }

    /// The error analysing `path` fails with.
    static func analysisError(_ path: String, decoder: AudioFileDecoder = .init()) async throws -> AudioError {
        do {
            let analysis = try await RecordingAnalyzer(decoder: decoder).analyze(path)
            Issue.record("expected an error, got an analysis of \(analysis.durationS) s")
            throw CancellationError()
        } catch let error as AudioError {
            return error
        }
    }

    /// A WAV header written by hand (so any rate and channel count can be declared) over one
    /// second of 16-bit silence, or `seconds` of it.
    static func writeSilentWAV(in directory: URL, rate: Int, channels: Int, seconds: Int = 1) throws -> String {
        func le(_ value: Int, _ bytes: Int) -> Data {
            Data((0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
        }
        let dataSize = rate * channels * 2 * seconds
        var wav = Data("RIFF".utf8) + le(36 + dataSize, 4) + Data("WAVEfmt ".utf8) + le(16, 4)
        wav += le(1, 2) + le(channels, 2) + le(rate, 4) + le(rate * channels * 2, 4) + le(channels * 2, 2) + le(16, 2)
        wav += Data("data".utf8) + le(dataSize, 4) + Data(count: dataSize)
        let url = directory.appendingPathComponent("silence-\(rate)-\(channels).wav")
        try wav.write(to: url)
        return url.path
    }
}

/// A total that pool threads add to and the test reads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add(_ amount: Int) { lock.withLock { value += amount } }
    func raise(to amount: Int) { lock.withLock { value = max(value, amount) } }
    var total: Int { lock.withLock { value } }
}
