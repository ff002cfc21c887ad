import Foundation

/// Builds `POST /chat/completions` for the call analysis: the transcript as numbered lines and a
/// strict JSON-schema response format. Pure: no I/O.
package enum ChatCompletionRequestBuilder {
    package static func callAnalysis(_ transcript: Transcript, offset: Int = 0, model: String) -> OpenAIRequest {
        let lines = transcript.segments.enumerated().map { index, segment in
            "[\(index + offset)] \(segment.speaker) (\(format(segment.startS))–\(format(segment.endS)) s): \(segment.text)"
        }
        let messages: [String: Any] = [
            "model": model,
            "messages": [
                ["role": "system", "content": CallAnalysisSchema.instructions],
                ["role": "user", "content": lines.joined(separator: "\n")],
            ],
        ]
        // Keys in sorted order, as `.sortedKeys` writes them: messages, model, response_format,
        // temperature. The schema is the same every time: serialised once (a live call sends
        // one of these per sentiment batch, and writing the schema was most of the cost).
        var data = (try? JSONSerialization.data(withJSONObject: messages, options: [.sortedKeys])) ?? Data("{}".utf8)
        data.removeLast()  // "}"
        data.append(contentsOf: Array(#","response_format":"#.utf8))
        data.append(responseFormat)
        data.append(contentsOf: Array(#","temperature":0}"#.utf8))
        return OpenAIRequest(
            path: "/chat/completions", contentType: "application/json", body: data,
            purpose: "call analysis with \(model)")
    }

    private static let responseFormat: Data = {
        let format: [String: Any] = [
            "type": "json_schema",
            "json_schema": ["name": CallAnalysisSchema.name, "strict": true, "schema": CallAnalysisSchema.schema],
        ]
        return (try? JSONSerialization.data(withJSONObject: format, options: [.sortedKeys])) ?? Data("{}".utf8)
    }()

    private static func format(_ seconds: Double) -> String {
        String(format: "%.1f", seconds)
    }
}
