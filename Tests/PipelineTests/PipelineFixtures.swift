import AIClients
import Audio
import Foundation

/// The committed fixtures and their ground truth, as the pipeline tests use them.
enum PipelineFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The checkout's offline transcription server.
    static let localWhisper = LocalWhisperConfiguration(
        directory: root.appendingPathComponent("tools/local-whisper").path)

    static func path(_ name: String) -> String { root.appendingPathComponent("Fixtures/audio/\(name)").path }

    struct Truth: Decodable {
        struct Utterance: Decodable {
            var speaker: String
            var start_s: Double
            var end_s: Double
            var text: String
        }

        var duration_s: Double
        var spans: [String: [[Double]]]
        var utterances: [Utterance]

        /// What `speaker` said, in order.
        func text(of speaker: String) -> String {
            utterances.filter { $0.speaker == speaker }.map(\.text).joined(separator: " ")
        }
    }

    static let call = try! JSONDecoder().decode(
        Truth.self, from: Data(contentsOf: root.appendingPathComponent("Fixtures/audio/call.json")))
}

/// A transcriber for tests: "hears" wherever the uploaded audio is not silent and returns one
/// segment per non-silent run, with the file's own times; records what it was sent.
actor ScriptedTranscriberLog {
    var files: [(name: String, duration: Double, frames: Int, channels: Int)] = []
    var inFlight = 0
    var maxInFlight = 0

    func begin(_ name: String, _ duration: Double, _ frames: Int, _ channels: Int) {
        files.append((name, duration, frames, channels))
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
    }

    func end() { inFlight -= 1 }
}

struct ScriptedTranscriber: Transcriber {
    let log = ScriptedTranscriberLog()
    /// Also "hallucinate" a segment over the first gap between pieces, doubting it as Whisper does.
    var hallucinate = false
    /// Answer as a model that runs the pieces together: one segment over the whole file, with one
    /// timed word per non-silent run (`w0.`, `w1.`, …) in the OpenAI shape (words beside segments).
    var oneSegmentWithWords = false
    /// The no-speech probability of that one segment (a noisy phone line makes Whisper doubt).
    var oneSegmentNoSpeech = 0.0

    var name: String { "scripted:test" }

    func transcribe(_ data: Data, filename: String, duration: Double) async throws -> TranscriptionResult {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "scripted-\(UUID().uuidString)-\(filename)")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try SoundFileReader(path: url.path)
        var samples: [Float] = []
        while let block = try reader.read() { samples += block[0] }
        await log.begin(filename, duration, reader.frames, reader.channels)
        try await Task.sleep(for: .milliseconds(20))
        await log.end()
        let rate = Double(reader.sampleRate)
        var runs: [(Double, Double)] = []
        var start: Int?
        var lastSound = 0
        for (index, sample) in samples.enumerated() where sample != 0 {
            if let open = start, index - lastSound > Int(rate * 0.3) {
                runs.append((Double(open) / rate, Double(lastSound + 1) / rate))
                start = nil
            }
            if start == nil { start = index }
            lastSound = index
        }
        if let open = start { runs.append((Double(open) / rate, Double(lastSound + 1) / rate)) }
        var segments = runs.enumerated().map { index, run in
            TranscribedSegment(
                start: run.0, end: run.1, text: "piece \(index) of \(filename)", averageLogProbability: -0.1,
                noSpeechProbability: 0.02)
        }
        if oneSegmentWithWords, let first = runs.first, let last = runs.last {
            let words = runs.enumerated().map {
                TranscribedWord(word: "w\($0.offset).", start: $0.element.0, end: $0.element.1)
            }
            return TranscriptionResult(
                text: words.map(\.word).joined(separator: " "), language: "en", duration: Double(samples.count) / rate,
                segments: [
                    TranscribedSegment(start: first.0, end: last.1, text: words.map(\.word).joined(separator: " "))
                ],
                words: words, usage: AIUsage(audioSeconds: Double(samples.count) / rate, requests: 1))
        }
        if hallucinate, runs.count > 1 {
            segments.append(
                TranscribedSegment(
                    start: runs[0].1 + 0.05, end: runs[1].0 - 0.05, text: "Thank you.", noSpeechProbability: 0.9))
        }
        return TranscriptionResult(
            text: segments.map(\.text).joined(separator: " "), language: "en", duration: Double(samples.count) / rate,
            segments: segments, usage: AIUsage(audioSeconds: Double(samples.count) / rate, requests: 1))
    }
}
