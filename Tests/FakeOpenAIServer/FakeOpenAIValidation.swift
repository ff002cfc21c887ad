import Foundation

/// The rules of OpenAI's API description that the fake enforces on every request.
enum FakeOpenAIValidation {
    static let audioExtensions: Set<String> = ["flac", "mp3", "mp4", "mpeg", "mpga", "m4a", "ogg", "wav", "webm"]
    static let transcriptionFields: Set<String> = [
        "file", "model", "language", "languages[]", "keywords[]", "prompt", "response_format", "temperature",
        "include[]", "timestamp_granularities[]", "stream", "chunking_strategy", "known_speaker_names[]",
        "known_speaker_references[]",
    ]

    /// `CreateTranscriptionRequest`.
    static func transcription(_ parts: [MultipartPart]) -> [String] {
        var problems: [String] = []
        let field = { (name: String) in parts.first { $0.name == name }?.text }
        for part in parts where !transcriptionFields.contains(part.name) {
            problems.append("unknown field \(part.name)")
        }
        if let file = parts.first(where: { $0.name == "file" }) {
            let ext = file.filename?.split(separator: ".").last.map { $0.lowercased() } ?? ""
            if !audioExtensions.contains(ext) {
                problems.append("file has no supported extension: \(file.filename ?? "none")")
            }
            if file.data.count > 25 * 1_024 * 1_024 { problems.append("file is larger than 25 MB") }
        } else {
            problems.append("no file")
        }
        guard let model = field("model"), !model.isEmpty else { return problems + ["no model"] }
        let format = field("response_format") ?? "json"
        let allowed: Set<String> =
            model.contains("diarize")
            ? ["json", "text", "diarized_json"]
            : model.hasPrefix("gpt-4o") ? ["json"] : ["json", "text", "srt", "verbose_json", "vtt"]
        if !allowed.contains(format) { problems.append("response_format \(format) is not supported by \(model)") }
        let granularities = parts.filter { $0.name == "timestamp_granularities[]" }.map(\.text)
        if !granularities.isEmpty, format != "verbose_json" {
            problems.append("timestamp_granularities needs verbose_json")
        }
        if granularities.contains(where: { !["word", "segment"].contains($0) }) {
            problems.append("bad timestamp granularity")
        }
        if model.contains("diarize"), field("prompt") != nil {
            problems.append("prompt is not supported with diarization")
        }
        if parts.filter({ $0.name == "known_speaker_names[]" }).count > 4 {
            problems.append("more than 4 known speakers")
        }
        if let strategy = field("chunking_strategy"), strategy != "auto" {
            problems.append("chunking_strategy must be auto")
        }
        if let language = field("language"), language.count != 2 { problems.append("language is not ISO-639-1") }
        return problems
    }

    /// `CreateChatCompletionRequest` with a strict `json_schema` response format.
    static func chat(_ body: [String: Any]) -> [String] {
        var problems: [String] = []
        if (body["model"] as? String)?.isEmpty ?? true { problems.append("no model") }
        let messages = body["messages"] as? [[String: Any]] ?? []
        if messages.isEmpty || messages.contains(where: { $0["role"] == nil || $0["content"] == nil }) {
            problems.append("messages need role and content")
        }
        guard let format = body["response_format"] as? [String: Any], format["type"] as? String == "json_schema",
            let schema = format["json_schema"] as? [String: Any]
        else { return problems + ["response_format is not json_schema"] }
        let name = schema["name"] as? String ?? ""
        if name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            problems.append("json_schema.name is invalid")
        }
        if schema["strict"] as? Bool != true { problems.append("json_schema.strict is not true") }
        if let root = schema["schema"] as? [String: Any] {
            problems += strictSchemaProblems(root, path: "schema")
        } else {
            problems.append("json_schema.schema is missing")
        }
        return problems
    }

    /// Strict mode: every object lists all its properties as required and forbids others.
    static func strictSchemaProblems(_ schema: [String: Any], path: String) -> [String] {
        var problems: [String] = []
        if let properties = schema["properties"] as? [String: Any] {
            let required = Set(schema["required"] as? [String] ?? [])
            if required != Set(properties.keys) { problems.append("\(path): required must list every property") }
            if schema["additionalProperties"] as? Bool != false {
                problems.append("\(path): additionalProperties must be false")
            }
            for (key, value) in properties {
                if let child = value as? [String: Any] {
                    problems += strictSchemaProblems(child, path: "\(path).\(key)")
                }
            }
        }
        if let items = schema["items"] as? [String: Any] { problems += strictSchemaProblems(items, path: "\(path)[]") }
        return problems
    }
}
