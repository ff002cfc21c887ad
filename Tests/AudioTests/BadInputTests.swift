import Foundation
import Testing

@testable import Audio

/// Every kind of bad input gets its own `AudioError` naming the file, never a crash or a hang.
@Suite("Bad input", .timeLimit(.minutes(3)))
struct BadInputTests {
    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case emptyFile, randomBytes, textNamedWav, truncatedMP3, wavDataSizeTooLarge, wavDataSizeTooSmall,
            wavRIFFSizeWrong, wavHeaderOnly, videoWithoutAudio, directory, missingPath

        var testDescription: String { rawValue }

        var expectedCodes: Set<AudioError.Code> {
            switch self {
            case .emptyFile, .wavHeaderOnly: [.empty]
            case .randomBytes, .textNamedWav: [.unsupportedFormat]
            case .truncatedMP3, .wavDataSizeTooLarge: [.truncated]
            case .wavDataSizeTooSmall, .wavRIFFSizeWrong: [.corrupt]
            case .videoWithoutAudio: [.noAudioStream]
            case .directory: [.notAFile]
            case .missingPath: [.notFound]
            }
        }

        /// Makes the bad input in `directory` and returns its path.
        func make(in directory: URL) throws -> String {
            let url = directory.appendingPathComponent("\(rawValue).\(self == .truncatedMP3 ? "mp3" : "wav")")
            switch self {
            case .emptyFile: try Data().write(to: url)
            case .randomBytes:
                var generator = SplitMix64(seed: 7)
                try Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: url)
            case .textNamedWav: try Data("Hello, this is not audio.\n".utf8).write(to: url)
            case .truncatedMP3:
                let mp3 = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("call.mp3")))
                try mp3.prefix(mp3.count / 2 + 77).write(to: url)
            case .wavDataSizeTooLarge, .wavDataSizeTooSmall, .wavRIFFSizeWrong, .wavHeaderOnly:
                var wav = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("excerpt-s16.wav")))
                let data = try #require(wav.range(of: Data("data".utf8))).lowerBound
                let size = wav[(data + 4)..<(data + 8)].enumerated().reduce(0) {
                    $0 | Int($1.element) << (8 * $1.offset)
                }
                switch self {
                case .wavDataSizeTooLarge: wav.replaceSubrange((data + 4)..<(data + 8), with: Self.uint32(size * 3))
                case .wavDataSizeTooSmall: wav.replaceSubrange((data + 4)..<(data + 8), with: Self.uint32(size / 4 + 1))
                case .wavRIFFSizeWrong: wav.replaceSubrange(4..<8, with: Self.uint32(12))
                default:  // A consistent header and no audio.
                    wav = wav.prefix(data + 4) + Self.uint32(0)
                    wav.replaceSubrange(4..<8, with: Self.uint32(wav.count - 8))
                }
                try wav.write(to: url)
            case .videoWithoutAudio: return Fixtures.path("video-only.mp4")
            case .directory: return directory.path
            case .missingPath: return directory.appendingPathComponent("no-such-call.wav").path
            }
            return url.path
        }

        private static func uint32(_ value: Int) -> Data {
            Data((0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
        }
    }

    @Test(arguments: Case.allCases)
    func reportsClearInputError(_ input: Case) async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try input.make(in: directory)
        do {
            let analysis = try await RecordingAnalyzer().analyze(path)
            Issue.record("expected an error, got an analysis of \(analysis.durationS) s")
        } catch let error as AudioError {
            #expect(input.expectedCodes.contains(error.code), "got \(error.code): \(error)")
            #expect(error.isInputError)
            #expect(error.message.hasPrefix(path), "the message names the file: \(error.message)")
        }
    }

    @Test func decodesATruncatedFileOnRequest() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Case.truncatedMP3.make(in: directory)
        let decoder = AudioFileDecoder(configuration: .init(allowTruncated: true))
        let analysis = try await RecordingAnalyzer(decoder: decoder).analyze(path)
        #expect(analysis.durationS > 15 && analysis.durationS < 25)
    }

    @Test func tenMinutesOfNearSilenceHaveNoTalk() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("near-silence.wav").path
        let writer = try SoundFileWriter(path: path, format: .wav, sampleRate: 8_000, channels: 2)
        var generator = SplitMix64(seed: 11)
        for second in 0..<600 {
            // Hiss at −70 dBFS with a click every ten seconds.
            var block = (0..<2).map { _ in (0..<8_000).map { _ in Float.gaussian(using: &generator) * 0.000_316 } }
            if second % 10 == 0 { block[second % 20 == 0 ? 0 : 1][100] = 0.5 }
            try writer.write(block)
        }
        try writer.close()
        let analysis = try await RecordingAnalyzer().analyze(path)
        #expect(analysis.durationS == 600)
        #expect(analysis.segments.isEmpty)
        #expect(analysis.speakers.values.allSatisfy { $0.talkS == 0 && $0.loudnessDBFS == nil })
        #expect(analysis.nonTalk.totalS == 600)
    }
}

/// A small seeded generator, so "random" inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Float {
    /// A standard normal sample (Box–Muller).
    static func gaussian(using generator: inout some RandomNumberGenerator) -> Float {
        let u1 = Float.random(in: Float.ulpOfOne..<1, using: &generator)
        let u2 = Float.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
