import AIClients
import AsyncHTTPClient
import Audio
import Foundation
import Logging
import Testing

@testable import Pipeline

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The offline default for real: the bundled faster-whisper server (tiny.en) transcribing a
/// fixture. Skipped only where setup has not installed the server's virtualenv; CI installs it.
@Suite(
    "Local Whisper server",
    .enabled(if: PipelineFixtures.localWhisper.isInstalled, "tools/local-whisper/.venv is missing: run scripts/setup"),
    .timeLimit(.minutes(3)))
struct LocalWhisperTests {
    static let server = PipelineFixtures.localWhisper
    static let logger = Logger(label: "test")

    @Test func transcribesTheCallAsWellAsTheModelDoesOnTheRawChannels() async throws {
        let path = PipelineFixtures.path("call.mp3")
        let truth = PipelineFixtures.call
        let report = try await AIProvider.withServices(
            AIProviderConfiguration(provider: .local), httpClient: .shared, localWhisper: Self.server,
            logger: Self.logger
        ) { services in
            let builder = CallReportBuilder(
                callTranscriber: CallTranscriber(transcriber: services.transcriber, logger: Self.logger),
                callAnalyzer: services.analyzer)
            let report = try await builder.report(for: path)
            // The same model on each channel's whole, untouched audio: the accuracy to keep.
            var direct: [String: Double] = [:]
            for (channel, speaker) in ["agent", "customer"].enumerated() {
                let text = try await Self.transcribeRawChannel(path, channel: channel, with: services.transcriber)
                direct[speaker] = WordErrorRate.rate(reference: truth.text(of: speaker), hypothesis: text)
            }
            return (report, direct)
        }
        let (callReport, direct) = report
        #expect(callReport.providers.transcription == "local:tiny.en")
        #expect(callReport.insights.analyzer == "heuristic")
        for speaker in ["agent", "customer"] {
            let text = callReport.transcript.segments.filter { $0.speaker == speaker }.map(\.text).joined(
                separator: " ")
            let rate = WordErrorRate.rate(reference: truth.text(of: speaker), hypothesis: text)
            print("WER \(speaker): pipeline \(rate), model on the raw channel \(direct[speaker]!)")
            // Within four words of the model on the raw channel (the agent says 76 words):
            // the same model's output moves by a few words between CPUs and library builds (on
            // 2026-12-06's machine the agent's was 0.184 through the pipeline, 0.145 raw; two
            // points above raw before). The quality target itself is scripts/bench quality's.
            let words = Double(truth.text(of: speaker).split(separator: " ").count)
            #expect(rate <= direct[speaker]! + 4 / words, "\(speaker): \(text)")
            #expect(rate < 0.35)
        }
        // Every utterance's first segment starts where the voice does.
        for utterance in truth.utterances where utterance.speaker == "customer" {
            #expect(callReport.transcript.segments.contains { abs($0.startS - utterance.start_s) < 0.3 })
        }
    }

    /// Posts `audio` (FLAC) to the server's transcription route with `model` and `fields`.
    static func post(_ audio: Data, fields: [(String, String)], to base: String) async throws -> (Int, Data) {
        var form = MultipartForm()
        form.addFile("file", filename: "call.flac", contentType: "audio/flac", data: audio)
        form.addField("model", "whisper-1")
        for (name, value) in fields { form.addField(name, value) }
        var request = URLRequest(url: URL(string: base + "/audio/transcriptions")!, timeoutInterval: 120)
        request.httpMethod = "POST"
        request.setValue(form.contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = form.finished()
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
    }

    static func transcribeRawChannel(_ path: String, channel: Int, with transcriber: any Transcriber) async throws
        -> String
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("raw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let frames = Int(PipelineFixtures.call.duration_s * 16_000) + 16_000
        let whole = AudioChunk(index: 0, startFrame: 0, endFrame: frames, sampleRate: 16_000, cutsSpeech: false)
        let file = try #require(
            try await ChunkExporter().export(path, chunks: [whole], channel: channel, directory: directory.path).first)
        let result = try await transcriber.transcribe(
            try Data(contentsOf: URL(fileURLWithPath: file.path)), filename: "raw.flac",
            duration: PipelineFixtures.call.duration_s)
        return result.text
    }
}

extension LocalWhisperTests {
    struct SpeechTruth: Decodable {
        struct Word: Decodable {
            var w: String
            var start_s: Double
            var end_s: Double
        }

        var spans: [String: [[Double]]]
        var words: [String: [Word]]
    }

    /// The committed real-speech call (Fixtures/speech): each party's words within a point (or one
    /// word) of the same model on that party's raw channel, and every line on its speaker's speech — none
    /// stretched over the other party's turn or a silence, words timed inside the line.
    @Test func realSpeechLinesSitOnTheirSpeechAndMatchTheBareModel() async throws {
        let root = PipelineFixtures.root.appendingPathComponent("Fixtures/speech")
        let path = root.appendingPathComponent("speech-call.flac").path
        let truth = try JSONDecoder().decode(
            SpeechTruth.self, from: Data(contentsOf: root.appendingPathComponent("speech-call.json")))
        let (report, direct) = try await AIProvider.withServices(
            AIProviderConfiguration(provider: .local), httpClient: .shared, localWhisper: Self.server,
            logger: Self.logger
        ) { services in
            let builder = CallReportBuilder(
                callTranscriber: CallTranscriber(transcriber: services.transcriber, logger: Self.logger),
                callAnalyzer: services.analyzer)
            var direct: [String: Double] = [:]
            for (channel, speaker) in ["agent", "customer"].enumerated() {
                let text = try await Self.transcribeRawChannel(path, channel: channel, with: services.transcriber)
                direct[speaker] = WordErrorRate.rate(
                    reference: truth.words[speaker]!.map(\.w).joined(separator: " "), hypothesis: text)
            }
            return (try await builder.report(for: path), direct)
        }
        for speaker in ["agent", "customer"] {
            let lines = report.transcript.segments.filter { $0.speaker == speaker }
            let rate = WordErrorRate.rate(
                reference: truth.words[speaker]!.map(\.w).joined(separator: " "),
                hypothesis: lines.map(\.text).joined(separator: " "))
            print("WER \(speaker): pipeline \(rate), model on the raw channel \(direct[speaker]!)")
            // A point, or one word on this short call (41 and 24 words): a 30 s window placed
            // elsewhere moves the tiny model's text by whole words either way (docs/quality.md).
            let oneWord = 1 / Double(truth.words[speaker]!.count)
            #expect(rate <= direct[speaker]! + max(0.01, oneWord) + 1e-9, "\(speaker): \(lines.map(\.text))")
            let speech = truth.spans[speaker]!.map { ($0[0] - 0.3, $0[1] + 0.3) }
            for line in lines {
                let covered = speech.reduce(0) { $0 + max(0, min($1.1, line.endS) - max($1.0, line.startS)) }
                #expect(covered >= 0.8 * (line.endS - line.startS), "\(speaker) line off its speech: \(line)")
                let words = try #require(line.words, "no word timestamps on \(line)")
                #expect(words.allSatisfy { $0.startS >= line.startS - 0.5 && $0.endS <= line.endS + 0.5 })
            }
        }
    }

    /// `temperature` as the OpenAI API defines it: 0 (the default) lets the server retry a window
    /// hotter, seeded, so the same audio gives the same text, also when sampled and whatever the
    /// server decoded before; a value off 0…1, or no number, is a 400 that names the field.
    @Test func temperatureIsCheckedAndTheFallbackRepeats() async throws {
        let audio = try Data(
            contentsOf: PipelineFixtures.root.appendingPathComponent("Fixtures/speech/speech-call.flac"))
        try await LocalWhisperServer.withServer(Self.server, logger: Self.logger) { base in
            func post(_ temperature: String) async throws -> (status: Int, body: String) {
                let (status, body) = try await Self.post(audio, fields: [("temperature", temperature)], to: base)
                return (status, String(decoding: body, as: UTF8.self))
            }
            for bad in ["2", "-0.5", "nan", "warm"] {
                let (status, body) = try await post(bad)
                #expect(status == 400 && body.contains("temperature must be a number from 0 to 1"), "\(bad): \(body)")
            }
            let first = try await post("0")
            let second = try await post("0")
            #expect(first.status == 200 && first.body.contains("text"))
            #expect(first.body == second.body)
            // Sampling from the first window, twice: the same text (the decoder's generator is
            // seeded once per thread, so the server reloads the model after a request that
            // sampled; without that the second request draws on and its text differs).
            let hot = try await post("1")
            let hotAgain = try await post("1")
            #expect(hot.status == 200 && hot.body.contains("text"))
            #expect(hot.body == hotAgain.body)
        }
    }

    /// A window led into a loop by the text before it (here a prompt of "five, five, …" on the
    /// committed real-speech call, which sends the conditioned decode round in "5, 5, 5…") is
    /// decoded again at once without that text, at the same temperature: the server says so in
    /// its log, no segment loops, and the text is what the model hears with no prompt at all
    /// (the call is one 30 s window). Before, the loop went through every hotter temperature
    /// and then the whole request was decoded again (docs/quality.md).
    @Test func aWindowLedIntoALoopByThePromptIsDecodedAgainWithoutIt() async throws {
        let audio = try Data(
            contentsOf: PipelineFixtures.root.appendingPathComponent("Fixtures/speech/speech-call.flac"))
        struct Answer: Decodable {
            struct Segment: Decodable { var compression_ratio: Double }
            var text: String
            var segments: [Segment]
        }
        try await LocalWhisperServer.withServer(Self.server, logger: Self.logger) { base, log in
            func post(prompt: String?) async throws -> Answer {
                var fields = [("response_format", "verbose_json")]
                if let prompt { fields.append(("prompt", prompt)) }
                let (status, body) = try await Self.post(audio, fields: fields, to: base)
                #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
                return try JSONDecoder().decode(Answer.self, from: body)
            }
            let plain = try await post(prompt: nil)
            #expect(!(try String(contentsOf: log, encoding: .utf8)).contains("looped"))
            let led = try await post(prompt: Array(repeating: "five,", count: 24).joined(separator: " "))
            let after = try String(contentsOf: log, encoding: .utf8)
            #expect(after.contains("1 window(s) looped; decoded again without the text before"), "\(after)")
            #expect(led.segments.allSatisfy { $0.compression_ratio <= 2.4 }, "\(led.text)")
            #expect(led.text == plain.text)
            #expect(plain.text.lowercased().contains("respectable"))
        }
    }
}
