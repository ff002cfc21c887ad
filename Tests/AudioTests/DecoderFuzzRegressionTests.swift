import Foundation
import Testing

@testable import Audio

/// Inputs the decoder's fuzz target (`scripts/fuzz decoder`) found under `Fuzz/regressions/decoder`:
/// 2–3 KB CRYO APC files that claim 1,398,022,912 Hz, which took 21–24 s and 1.6 GB to analyse.
/// The decoder refuses them at once: APC is not among the containers it opens, and such a rate is
/// outside 4–192 kHz.
@Suite("Decoder fuzz regressions")
struct DecoderFuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions/decoder")

    @Test
    func everyFileTheFuzzerFoundIsRefusedQuickly() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let path = Self.directory.appendingPathComponent(name).path
            let started = ContinuousClock.now
            await #expect(throws: AudioError.self, "\(name)") { try await RecordingAnalyzer().analyze(path) }
            #expect(ContinuousClock.now - started < .seconds(5), "\(name)")
        }
    }
}
