package import Foundation

/// Speech to text for one audio file (a chunk of a call, or a live utterance).
package protocol Transcriber: Sendable {
    /// `provider:model`, e.g. `openai:whisper-1` or `local:tiny.en`, for reports.
    var name: String { get }

    /// Transcribes the audio in `data` (a file named `filename`, whose extension tells the
    /// format) lasting `duration` seconds.
    func transcribe(_ data: Data, filename: String, duration: Double) async throws -> TranscriptionResult
}
