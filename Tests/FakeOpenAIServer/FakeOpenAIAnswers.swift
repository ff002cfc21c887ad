import Foundation

/// Answers in the shapes OpenAI's API description documents.
enum FakeOpenAIAnswers {
    static func transcription(
        text: String, duration: Double, model: String, format: String, words: Bool = false
    ) -> String {
        let escaped = escape(text)
        switch format {
        case "verbose_json":
            // Word timestamps as OpenAI gives them: no spaces, no punctuation, spread over the audio.
            let tokens = text.split(separator: " ").map { $0.filter { $0.isLetter || $0.isNumber } }
            let step = duration / Double(max(1, tokens.count))
            let timed = tokens.enumerated().map { index, word in
                #"{"word":"\#(escape(word))","start":\#(Double(index) * step),"end":\#(Double(index + 1) * step)}"#
            }
            return """
                {"task":"transcribe","language":"english","duration":\(duration),"text":"\(escaped)",\
                "segments":[{"id":0,"seek":0,"start":0.0,"end":\(duration),"text":" \(escaped)","tokens":[50364],\
                "temperature":0.0,"avg_logprob":-0.25,"compression_ratio":1.2,"no_speech_prob":0.01}],\
                \(words ? "\"words\":[\(timed.joined(separator: ","))]," : "")\
                "usage":{"type":"duration","seconds":\(Int(duration.rounded(.up)))}}
                """
        case "diarized_json":
            return """
                {"task":"transcribe","duration":\(duration),"text":"\(escaped)","segments":[{"type":"transcript.text.segment",\
                "id":"seg_001","start":0.0,"end":\(duration),"text":"\(escaped)","speaker":"A"}],\
                "usage":{"type":"duration","seconds":\(Int(duration.rounded(.up)))}}
                """
        default:
            return
                #"{"text":"\#(escaped)","usage":{"type":"tokens","input_tokens":20,"output_tokens":10,"total_tokens":30}}"#
        }
    }

    /// A chat completion answering the call-analysis schema, one turn per numbered line.
    static func chat(behaviour: FakeOpenAIState.Behaviour, request: [String: Any]) -> String {
        let messages = request["messages"] as? [[String: Any]] ?? []
        let transcript = messages.last?["content"] as? String ?? ""
        let lines = transcript.split(separator: "\n")
        let turns = lines.compactMap { line -> String? in
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]"),
                let index = Int(line[line.index(after: line.startIndex)..<close])
            else { return nil }
            let speaker = line.contains("] agent") ? "agent" : "customer"
            let sentiment =
                line.lowercased().contains("thank") ? 0.6 : line.lowercased().contains("problem") ? -0.5 : 0.0
            let label = sentiment > 0.2 ? "positive" : sentiment < -0.2 ? "negative" : "neutral"
            return
                #"{"index":\#(index),"speaker":"\#(speaker)","sentiment":\#(sentiment),"sentiment_label":"\#(label)"}"#
        }
        let analysis = """
            {"turns":[\(turns.joined(separator: ","))],"overall_sentiment":0.3,"sentiment_label":"positive",\
            "quarter_sentiment":[0.1,null,0.2,0.5],"summary":"The customer reported \(lines.count) lines of trouble; the agent resolved it.",\
            "key_points":["Internet drops every evening"],"action_items":[{"text":"Send a new router","owner":"agent","due":null}],\
            "issues":["Connection drops"],"outcome":"resolved","topics":["connectivity"],"hints":["Confirm the delivery address"]}
            """
        var content = "\"\(escape(analysis))\""
        var refusal = "null"
        var finish = "stop"
        switch behaviour {
        case .refusal:
            content = "null"
            refusal = "\"I can't help with that.\""
        case .lengthLimit:
            content = "\"\(escape(String(analysis.prefix(80))))\""
            finish = "length"
        case .nullContent: content = "null"
        case .invalidContent: content = "\"Here is your analysis: it went well.\""
        default: break
        }
        return """
            {"id":"chatcmpl-test","object":"chat.completion","created":1764000000,"model":"\(request["model"] as? String ?? "")",\
            "choices":[{"index":0,"message":{"role":"assistant","content":\(content),"refusal":\(refusal),"annotations":[]},\
            "logprobs":null,"finish_reason":"\(finish)"}],\
            "usage":{"prompt_tokens":\(transcript.count / 4),"completion_tokens":120,"total_tokens":\(transcript.count / 4 + 120)}}
            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
