import Foundation
import Testing

@testable import Audio

/// Inputs the decoder's fuzz target (`scripts/fuzz decoder`) found under `Fuzz/regressions/decoder`:
/// 2–3 KB CRYO APC files that claim 1,398,022,912 Hz, which took 21–24 s and 1.6 GB to analyse.
/// The decoder refuses them at once: APC is not among the containers it opens, and such a rate is
/// outside 4–192 kHz.
@Suite("Decoder fuzz regressions", .timeLimit(.minutes(3)))
struct DecoderFuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions/decoder")

    /// Refused before any decoding (the container or the rate is refused on opening), which is
    /// what makes it quick: no timing here (benchmarks time things), the suite's time limit catches
    /// a decoder that hangs again.
    @Test
    func everyFileTheFuzzerFoundIsRefusedOnOpening() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let path = Self.directory.appendingPathComponent(name).path
            let error = await #expect(throws: AudioError.self, "\(name)") {
                try await RecordingAnalyzer().analyze(path)
            }
            #expect(
                [.unsupportedFormat, .noAudioStream, .unsupportedCodec].contains(error?.code),
                "\(name): \(String(describing: error))")
        }
    }
}
