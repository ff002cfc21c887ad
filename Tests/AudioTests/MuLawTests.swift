import Foundation
import Testing

@testable import Audio

@Suite("G.711 μ-law and in-memory WAV", .timeLimit(.minutes(3)))
struct MuLawTests {
    @Test func decodingMatchesTheStandardTable() {
        // ITU-T G.711: 0xFF and 0x7F are zero, 0x00 the most negative value, 0x80 the most positive.
        #expect(MuLaw.linear(0xFF) == 0)
        #expect(MuLaw.linear(0x7F) == 0)
        #expect(MuLaw.linear(0x80) == 32_124)
        #expect(MuLaw.linear(0x00) == -32_124)
        #expect(MuLaw.linear(0xF0) == 120)
    }

    @Test func encodingThenDecodingKeepsTheSignalWithinTheCompandingError() {
        for value in stride(from: -1.0 as Float, through: 1.0, by: 0.001) {
            let decoded = MuLaw.decodeTable[Int(MuLaw.encode(value))]
            // μ-law keeps about 3 % relative error (plus a small absolute step near zero).
            #expect(abs(decoded - value) <= abs(value) * 0.035 + 0.0005, "\(value) → \(decoded)")
        }
        #expect(MuLaw.encode(5) == MuLaw.encode(1), "beyond full scale clips")
    }

    @Test func inMemoryWAVIsReadByLibsndfile() throws {
        let samples = (0..<8_000).map { Float(sin(Double($0) * 0.05) * 0.5) }
        let data = WAVEncoding.pcm16(samples, sampleRate: 8_000)
        #expect(data.count == 44 + 16_000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wav-\(UUID().uuidString).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.write(to: URL(fileURLWithPath: path))
        let reader = try SoundFileReader(path: path)
        #expect(reader.sampleRate == 8_000)
        #expect(reader.channels == 1)
        #expect(reader.frames == 8_000)
        try reader.seek(toFrame: 100)
        let block = try #require(try reader.read(maxFrames: 10))
        #expect(abs(block[0][0] - samples[100]) < 0.001)
    }
}
