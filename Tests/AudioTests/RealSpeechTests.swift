import Foundation
import Testing

@testable import Audio

/// Talk time on real human speech: the committed 27 s call of LibriVox read speech (agent) and
/// CMU's spoken card names over a noisy, band-limited, μ-law phone line (customer), with word-level
/// truth from forced alignment (Fixtures/speech/NOTICE.md, docs/quality.md). The synthetic
/// fixtures check exact edges on clean audio; this one checks what the noise hides.
@Suite("Talk time on real speech", .timeLimit(.minutes(3)))
struct RealSpeechTests {
    struct Truth: Decodable {
        struct Expected: Decodable {
            var talk_s: [String: Double]
            var overlap_s: Double
        }

        var expected: Expected
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/speech")

    @Test func talkTimeOfEachPartyIsNearTheAlignedTruth() async throws {
        let truth = try JSONDecoder().decode(
            Truth.self, from: Data(contentsOf: Self.root.appendingPathComponent("speech-call.json")))
        let analysis = try await RecordingAnalyzer().analyze(Self.root.appendingPathComponent("speech-call.flac").path)
        #expect(analysis.channelMode == .separate)
        // Measured on this file when tuned: agent +5.4 %, customer −5.3 % (docs/quality.md has the
        // whole set); the bounds keep that from getting worse.
        let bounds = ["agent": 0.07, "customer": 0.07]
        for (speaker, bound) in bounds {
            let talk = try #require(analysis.speakers[speaker]?.talkS)
            let expected = try #require(truth.expected.talk_s[speaker])
            #expect(abs(talk - expected) / expected < bound, "\(speaker): \(talk) s, truth \(expected) s")
        }
        #expect(abs(analysis.overlap.totalS - truth.expected.overlap_s) < 0.6)
    }
}
