package import Foundation

/// Builds `POST /chat/completions` for the call analysis: the transcript as numbered lines and a
/// strict JSON-schema response format. Pure: no I/O.
package enum ChatCompletionRequestBuilder {
    package static func callAnalysis(_ transcript: Transcript, offset: Int = 0, model: String) -> OpenAIRequest {
        let lines = transcript.segments.enumerated().map { index, segment in
            "[\(index + offset)] \(segment.speaker) (\(format(segment.startS))–\(format(segment.endS)) s): \(segment.text)"
        }
        let body: [String: Any] = [
            "model": model,
            "temperature": 0,
            "messages": [
                ["role": "system", "content": CallAnalysisSchema.instructions],
                ["role": "user", "content": lines.joined(separator: "\n")],
            ],
            "response_format": [
                "type": "json_schema",
                "json_schema": ["name": CallAnalysisSchema.name, "strict": true, "schema": CallAnalysisSchema.schema],
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return OpenAIRequest(
            path: "/chat/completions", contentType: "application/json", body: data,
            purpose: "call analysis with \(model)")
    }

    private static func format(_ seconds: Double) -> String {
        String(format: "%.1f", seconds)
    }
}
