/// What to ask the transcription model for.
package struct TranscriptionOptions: Sendable, Equatable {
    /// `whisper-1`, `gpt-4o-transcribe`, `gpt-4o-mini-transcribe`, `gpt-4o-transcribe-diarize`,
    /// or whatever a compatible server calls its model.
    package var model: String
    /// ISO-639-1 code of the audio's language, when known.
    package var language: String?
    /// Domain vocabulary (product names, jargon) to steer spelling. Not sent to diarizing models.
    package var prompt: String?
    /// Ask for word timestamps as well (verbose_json models only).
    package var wordTimestamps: Bool
    /// Speaker names for diarizing models (at most 4).
    package var knownSpeakerNames: [String]

    package init(
        model: String, language: String? = nil, prompt: String? = nil, wordTimestamps: Bool = false,
        knownSpeakerNames: [String] = []
    ) {
        self.model = model
        self.language = language
        self.prompt = prompt
        self.wordTimestamps = wordTimestamps
        self.knownSpeakerNames = knownSpeakerNames
    }

    /// The response format each model family supports: segments with timestamps from Whisper
    /// (`verbose_json`), speaker segments from the diarizing model (`diarized_json`), text only
    /// from the other GPT-4o transcribe models (`json`).
    package var responseFormat: String {
        if isDiarizing { return "diarized_json" }
        if model.hasPrefix("gpt-4o") || model.hasPrefix("gpt-transcribe") { return "json" }
        return "verbose_json"
    }

    package var isDiarizing: Bool { model.contains("diarize") }
}
