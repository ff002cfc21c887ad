package import Foundation

/// Builds `POST /audio/transcriptions` exactly as OpenAI's API description specifies it
/// (`CreateTranscriptionRequest`), for each model family. Pure: no I/O.
package enum TranscriptionRequestBuilder {
    package static func request(
        audio: Data, filename: String, options: TranscriptionOptions, boundary: String? = nil
    ) -> OpenAIRequest {
        var form = boundary.map { MultipartForm(boundary: $0) } ?? MultipartForm()
        form.addFile("file", filename: filename, contentType: contentType(of: filename), data: audio)
        form.addField("model", options.model)
        form.addField("response_format", options.responseFormat)
        if let language = options.language { form.addField("language", language) }
        if options.isDiarizing {
            // Required for inputs over 30 s; harmless below.
            form.addField("chunking_strategy", "auto")
            for name in options.knownSpeakerNames.prefix(4) { form.addField("known_speaker_names[]", name) }
        } else if let prompt = options.prompt, !prompt.isEmpty {
            form.addField("prompt", prompt)
        }
        if options.responseFormat == "verbose_json" {
            form.addField("timestamp_granularities[]", "segment")
            if options.wordTimestamps { form.addField("timestamp_granularities[]", "word") }
        }
        form.addField("temperature", "0")
        return OpenAIRequest(
            path: "/audio/transcriptions", contentType: form.contentType, body: form.finished(),
            purpose: "transcription of \(filename)")
    }

    /// The upload's content type from its extension (the API identifies formats by both).
    package static func contentType(of filename: String) -> String {
        switch filename.split(separator: ".").last?.lowercased() {
        case "flac": "audio/flac"
        case "wav": "audio/wav"
        case "mp3", "mpga", "mpeg": "audio/mpeg"
        case "m4a", "mp4": "audio/mp4"
        case "ogg": "audio/ogg"
        case "webm": "audio/webm"
        default: "application/octet-stream"
        }
    }
}
