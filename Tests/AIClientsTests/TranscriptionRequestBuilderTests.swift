import Foundation
import Testing

@testable import AIClients

/// The multipart body for each model family, as OpenAI's `CreateTranscriptionRequest` describes it.
@Suite("Transcription requests", .timeLimit(.minutes(3)))
struct TranscriptionRequestBuilderTests {
    /// The form's fields as (name, value) pairs, files as (name, "<file filename contentType bytes>").
    static func fields(_ request: OpenAIRequest) throws -> [(String, String)] {
        let boundary = try #require(request.contentType.components(separatedBy: "boundary=").last)
        let text = String(decoding: request.body, as: UTF8.self)
        #expect(text.hasSuffix("--\(boundary)--\r\n"))
        return text.components(separatedBy: "--\(boundary)").dropFirst().dropLast().map { part in
            let pieces = part.components(separatedBy: "\r\n\r\n")
            let header = pieces[0]
            let raw = pieces.dropFirst().joined(separator: "\r\n\r\n")
            let value = String(decoding: raw.utf8.dropLast(2), as: UTF8.self)  // The part's closing CRLF.
            let name = header.components(separatedBy: "name=\"")[1].components(separatedBy: "\"")[0]
            if header.contains("filename=") {
                let filename = header.components(separatedBy: "filename=\"")[1].components(separatedBy: "\"")[0]
                let type = header.components(separatedBy: "Content-Type: ").last ?? ""
                return (name, "<file \(filename) \(type) \(value.utf8.count)>")
            }
            return (name, value)
        }
    }

    @Test func asksWhisperForSegmentTimestampsInVerboseJSON() throws {
        let request = TranscriptionRequestBuilder.request(
            audio: Data(repeating: 7, count: 1_000), filename: "chunk-001.flac",
            options: .init(model: "whisper-1", language: "en", prompt: "Acme, router, port reset"))
        #expect(request.path == "/audio/transcriptions")
        #expect(request.contentType.hasPrefix("multipart/form-data; boundary="))
        let fields = try Self.fields(request)
        #expect(
            fields.map(\.0) == [
                "file", "model", "response_format", "language", "prompt", "timestamp_granularities[]", "temperature",
            ])
        #expect(fields[0].1 == "<file chunk-001.flac audio/flac 1000>")
        #expect(fields[1].1 == "whisper-1" && fields[2].1 == "verbose_json" && fields[3].1 == "en")
        #expect(fields[4].1 == "Acme, router, port reset" && fields[5].1 == "segment")
    }

    @Test func addsWordGranularityWhenAsked() throws {
        let request = TranscriptionRequestBuilder.request(
            audio: Data(), filename: "a.wav", options: .init(model: "whisper-1", wordTimestamps: true))
        let granularities = try Self.fields(request).filter { $0.0 == "timestamp_granularities[]" }.map(\.1)
        #expect(granularities == ["segment", "word"])
    }

    @Test(arguments: ["gpt-4o-transcribe", "gpt-4o-mini-transcribe"])
    func asksGPT4oTranscribeForJSONWithoutTimestampOptions(_ model: String) throws {
        let fields = try Self.fields(
            TranscriptionRequestBuilder.request(
                audio: Data(), filename: "a.wav", options: .init(model: model, prompt: "Acme")))
        #expect(fields.first { $0.0 == "response_format" }?.1 == "json")
        #expect(!fields.contains { $0.0 == "timestamp_granularities[]" })
        #expect(fields.contains { $0 == ("prompt", "Acme") })
    }

    @Test func asksTheDiarizingModelForSpeakersWithAutoChunking() throws {
        let options = TranscriptionOptions(
            model: "gpt-4o-transcribe-diarize", prompt: "ignored", knownSpeakerNames: ["agent", "customer"])
        let fields = try Self.fields(
            TranscriptionRequestBuilder.request(audio: Data(), filename: "call.mp3", options: options))
        #expect(fields.first { $0.0 == "response_format" }?.1 == "diarized_json")
        #expect(fields.first { $0.0 == "chunking_strategy" }?.1 == "auto")
        #expect(fields.filter { $0.0 == "known_speaker_names[]" }.map(\.1) == ["agent", "customer"])
        #expect(!fields.contains { $0.0 == "prompt" })  // Not supported by the diarizing model.
        #expect(fields[0].1.contains("audio/mpeg"))
    }
}
