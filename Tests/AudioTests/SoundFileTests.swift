import Foundation
import Testing

@testable import Audio

@Suite("libsndfile WAV and FLAC", .timeLimit(.minutes(3)))
struct SoundFileTests {
    static func tone(frames: Int, channels: Int) -> [[Float]] {
        (0..<channels).map { channel in
            (0..<frames).map { Float(sin(Double($0) * 0.05 * Double(channel + 1))) * 0.5 }
        }
    }

    @Test(arguments: SoundFileFormat.allCases)
    func roundTripsPCM16WithinOneStep(_ format: SoundFileFormat) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tone.\(format.fileExtension)").path
        let tone = Self.tone(frames: 20_000, channels: 2)
        let writer = try SoundFileWriter(path: path, format: format, sampleRate: 16_000, channels: 2)
        try writer.write(tone, range: 0..<7_000)
        try writer.write(tone, range: 7_000..<20_000)
        try writer.close()
        let reader = try SoundFileReader(path: path)
        #expect(reader.sampleRate == 16_000 && reader.channels == 2 && reader.frames == 20_000)
        var read: [[Float]] = [[], []]
        while let block = try reader.read(maxFrames: 3_000) {
            read[0] += block[0]
            read[1] += block[1]
        }
        for channel in 0..<2 {
            #expect(read[channel].count == 20_000)
            #expect(zip(read[channel], tone[channel]).allSatisfy { abs($0 - $1) <= 1.0 / 32_767 })
        }
        // The byte bound the chunker relies on holds.
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? .max
        #expect(size <= format.maximumBytes(frames: 20_000, channels: 2))
    }

    @Test func durableHeaderLeavesAReadableFileBeforeClose() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.wav").path
        let writer = try SoundFileWriter(path: path, format: .wav, sampleRate: 8_000, channels: 2, durableHeader: true)
        try writer.write(Self.tone(frames: 4_000, channels: 2))
        // Copy the file while it is still open, as a crash would leave it.
        let copy = directory.appendingPathComponent("copy.wav").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(try SoundFileReader(path: copy).frames == 4_000)
        try writer.close()
    }

    @Test func clipsInsteadOfWrapping() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("loud.wav").path
        let writer = try SoundFileWriter(path: path, format: .wav, sampleRate: 8_000, channels: 1)
        try writer.write([[1.5, -1.5, 0.25]])
        try writer.close()
        let samples = try #require(try SoundFileReader(path: path).read())
        #expect(samples[0][0] > 0.99 && samples[0][1] < -0.99)
    }

    @Test func rejectsFilesItCannotRead() throws {
        let aac = try #require(throws: AudioError.self) { try SoundFileReader(path: Fixtures.path("call.m4a")) }
        #expect(aac.code == .unsupportedFormat)
        let error = try #require(throws: AudioError.self) { try SoundFileReader(path: Fixtures.path("nothing.wav")) }
        #expect(error.code == .notFound)
    }

    @Test func refusesToWriteImpossibleFormats() throws {
        let error = try #require(throws: AudioError.self) {
            try SoundFileWriter(path: "/nonexistent-dir/x.wav", format: .wav, sampleRate: 8_000, channels: 1)
        }
        #expect(error.code == .writeFailed)
    }
}
