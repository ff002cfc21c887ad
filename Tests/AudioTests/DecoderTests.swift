import Foundation
import Testing

@testable import Audio

@Suite("Decoding every format FFmpeg reads", .timeLimit(.minutes(3)))
struct DecoderTests {
    @Test(arguments: Fixtures.stereoCalls)
    func decodesStereoCallKeepingChannelsSeparate(_ name: String) async throws {
        let detection = try await RecordingAnalyzer().detectSpeech(Fixtures.path(name))
        #expect(detection.source.channels == 2)
        #expect(detection.source.sampleRate == 16_000)
        #expect(detection.channelMode == .separate)
        // AAC adds up to a frame of padding; everything else is within a few milliseconds.
        #expect(abs(detection.duration - Fixtures.call.duration_s) < 0.1)
    }

    @Test(arguments: [
        ("call.mp3", "mp3", "mp3"), ("call.m4a", "m4a", "aac"), ("call.ogg", "ogg", "vorbis"),
        ("call.opus", "ogg", "opus"), ("call.webm", "webm", "opus"), ("call-mulaw.wav", "wav", "pcm_mulaw"),
        ("call-video.mp4", "mp4", "aac"), ("call-mono-gsm.wav", "wav", "gsm_ms"), ("call-mono.amr", "amr", "amr_nb"),
        ("excerpt-u8.wav", "wav", "pcm_u8"), ("excerpt-s24.wav", "wav", "pcm_s24le"),
        ("excerpt-f32.wav", "wav", "pcm_f32le"), ("excerpt-alaw.wav", "wav", "pcm_alaw"),
        ("excerpt.flac", "flac", "flac"),
    ])
    func reportsFormatAndCodec(_ name: String, _ format: String, _ codec: String) async throws {
        let info = try await AudioFileDecoder().probe(Fixtures.path(name))
        #expect(info.format == format)
        #expect(info.codec == codec)
    }

    @Test func decodesTelephonyMuLawAt8kHzToTheRequestedRate() async throws {
        let decoder = AudioFileDecoder(configuration: .init(targetSampleRate: 8_000))
        let frames = try await decoder.withSession(Fixtures.path("call-mulaw.wav")) { session in
            var frames = 0
            try session.forEachChunk { frames += $0.frameCount }
            return (frames, session.info.sourceSampleRate)
        }
        #expect(frames.1 == 8_000)
        #expect(abs(Double(frames.0) / 8_000 - Fixtures.call.duration_s) < 0.05)
    }

    @Test func deliversContiguousChunksOfBoundedSize() async throws {
        let decoder = AudioFileDecoder(configuration: .init(chunkFrames: 4_000))
        let (sizes, starts) = try await decoder.withSession(Fixtures.path("call.mp3")) { session in
            var sizes: [Int] = []
            var starts: [Int] = []
            try session.forEachChunk {
                sizes.append($0.frameCount)
                starts.append($0.startFrame)
            }
            return (sizes, starts)
        }
        #expect(sizes.count > 100)
        // A chunk is at most one codec frame (an MP3 frame resampled: < 1,200 frames) over the size.
        #expect(sizes.allSatisfy { $0 < 4_000 + 1_200 })
        #expect(zip(starts.dropFirst(), zip(starts, sizes)).allSatisfy { $0 == $1.0 + $1.1 })
    }

    @Test func keepsTheAgentOnTheLeftChannel() async throws {
        // In the excerpt's first 1.5 s only the agent talks: the right (customer) channel holds
        // only the agent's bleed at −30 dB and line noise.
        let levels = try await AudioFileDecoder().withSession(Fixtures.path("excerpt-s16.wav")) { session in
            var left = 0.0
            var right = 0.0
            let agentOnly = session.info.sampleRate * 3 / 2
            try session.forEachChunk { chunk in
                let end = min(chunk.frameCount, max(0, agentOnly - chunk.startFrame))
                for index in 0..<end {
                    left += Double(chunk.channels[0][index] * chunk.channels[0][index])
                    right += Double(chunk.channels[1][index] * chunk.channels[1][index])
                }
            }
            return (left, right)
        }
        #expect(10 * log10(levels.0 / levels.1) > 20)
    }
}
