package import Foundation
package import Logging

/// Transcribes through `POST {base}/audio/transcriptions` of the OpenAI API or any compatible
/// server (the bundled local Whisper server included).
package struct OpenAITranscriber: Transcriber {
    package let transport: OpenAITransport
    package let options: TranscriptionOptions
    package let providerName: String
    package let logger: Logger

    package init(
        transport: OpenAITransport, options: TranscriptionOptions, providerName: String = "openai", logger: Logger
    ) {
        self.transport = transport
        self.options = options
        self.providerName = providerName
        self.logger = logger
    }

    package var name: String { "\(providerName):\(options.model)" }

    package func transcribe(_ data: Data, filename: String, duration: Double) async throws -> TranscriptionResult {
        let request = TranscriptionRequestBuilder.request(audio: data, filename: filename, options: options)
        let response = try await transport.send(request, logger: logger)
        return try TranscriptionResponseDecoder.decode(
            response, options: options, audioDuration: duration, purpose: request.purpose)
    }
}
