import Foundation

/// Decodes the call analysis from a `/chat/completions` answer. A refusal, an answer cut off at
/// the output limit, empty content or JSON that does not match the schema each become their own
/// error: never a silently empty summary.
enum ChatCompletionResponseDecoder {
    static func callAnalysis(_ response: OpenAIResponse, purpose: String) throws(AIClientError)
        -> (CallAnalysisSchema.Answer, AIUsage)
    {
        let completion: Completion
        do {
            completion = try JSONDecoder().decode(Completion.self, from: response.body)
        } catch {
            throw AIClientError(.invalidResponse, "\(purpose): the answer is not a chat completion")
        }
        guard let choice = completion.choices.first else {
            throw AIClientError(.invalidResponse, "\(purpose): the answer has no choices")
        }
        if let refusal = choice.message.refusal, !refusal.isEmpty {
            throw AIClientError(.refusal, "\(purpose): the model refused: \(refusal)")
        }
        if choice.finish_reason == "length" {
            throw AIClientError(
                .truncatedOutput,
                "\(purpose): the model's answer was cut off at its output limit (finish_reason length)")
        }
        if choice.finish_reason == "content_filter" {
            throw AIClientError(.refusal, "\(purpose): the answer was withheld by the content filter")
        }
        guard let content = choice.message.content, !content.isEmpty else {
            throw AIClientError(.invalidResponse, "\(purpose): the model returned no content")
        }
        let answer: CallAnalysisSchema.Answer
        do {
            answer = try JSONDecoder().decode(CallAnalysisSchema.Answer.self, from: Data(content.utf8))
        } catch {
            throw AIClientError(
                .invalidResponse, "\(purpose): the model's JSON does not match the call analysis schema")
        }
        let usage = AIUsage(
            inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0,
            requests: 1)
        return (answer, usage)
    }

    private struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var refusal: String?
            }

            var message: Message
            var finish_reason: String?
        }

        struct Usage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }

        var choices: [Choice]
        var usage: Usage?
    }
}
