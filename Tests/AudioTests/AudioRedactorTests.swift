import Foundation
import Testing

@testable import Audio

/// `AudioRedactor`: the recording written again with stretches muted on every channel, the rest
/// as it was, at the source's rate and channels.
@Suite("Audio redaction", .timeLimit(.minutes(3)))
struct AudioRedactorTests {
    @Test func mutesTheRangesOnEveryChannelAndKeepsTheRest() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("call.wav").path
        let tone = SoundFileTests.tone(frames: 44_100 * 3, channels: 2)
        let writer = try SoundFileWriter(path: source, format: .wav, sampleRate: 44_100, channels: 2)
        try writer.write(tone)
        try writer.close()
        let output = directory.appendingPathComponent("redacted.flac").path
        let written = try await AudioRedactor().write(source, muting: [0.5...1.0, 2.0...2.25, 2.9...9], to: output)
        #expect(written.sampleRate == 44_100 && written.channels == 2 && written.frames == 44_100 * 3)
        #expect(abs(written.mutedSeconds - 0.85) < 0.001, "ranges past the end count only their part inside")
        let reader = try SoundFileReader(path: output)
        var read: [[Float]] = [[], []]
        while let block = try reader.read(maxFrames: 8_192) {
            read[0] += block[0]
            read[1] += block[1]
        }
        func muted(_ frame: Int) -> Bool {
            let time = Double(frame) / 44_100
            return (0.5...1.0).contains(time) || (2.0...2.25).contains(time) || time >= 2.9
        }
        for channel in 0..<2 {
            #expect(read[channel].count == tone[channel].count)
            let wrong = read[channel].indices.filter { frame in
                muted(frame)
                    ? read[channel][frame] != 0 : abs(read[channel][frame] - tone[channel][frame]) > 1.0 / 32_767
            }
            #expect(wrong.isEmpty, "channel \(channel): \(wrong.prefix(5))")
        }
    }

    @Test func aFileThatIsNotAudioFailsAndWritesNothingUsable() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("notes.wav").path
        try Data("these are not samples".utf8).write(to: URL(fileURLWithPath: source))
        let output = directory.appendingPathComponent("redacted.flac").path
        await #expect(throws: AudioError.self) {
            _ = try await AudioRedactor().write(source, muting: [0...1], to: output)
        }
    }
}
