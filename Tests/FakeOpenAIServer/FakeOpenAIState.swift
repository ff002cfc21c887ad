package import Foundation

/// What the fake server does next, and what it has seen.
package actor FakeOpenAIState {
    /// How the fake answers one request.
    package enum Behaviour: Sendable, Equatable {
        /// A valid answer.
        case answer
        /// This status with this body and headers.
        case status(Int, body: String, headers: [String: String] = [:])
        /// A valid answer after a pause before the headers.
        case delay(Double)
        /// Headers at once, then the body stalls this long.
        case stalledBody(Double)
        /// A 200 with JSON cut off mid-way.
        case truncatedJSON
        /// A 200 whose body is far larger than any answer should be.
        case hugeBody
        /// Chat only: a refusal.
        case refusal
        /// Chat only: `finish_reason: "length"`.
        case lengthLimit
        /// Chat only: `content: null`.
        case nullContent
        /// Chat only: content that is not the schema's JSON.
        case invalidContent
    }

    /// One request the fake received.
    package struct Recorded: Sendable {
        package var path: String
        package var authorization: String?
        package var parts: [MultipartPart]
        /// The JSON body of chat requests.
        package var body: Data

        package var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }

        package func field(_ name: String) -> String? { parts.first { $0.name == name }?.text }
        package func fields(_ name: String) -> [String] { parts.filter { $0.name == name }.map(\.text) }
    }

    package private(set) var requests: [Recorded] = []
    /// Requests that broke the API's rules; a test expects this to stay empty.
    package private(set) var violations: [String] = []
    package private(set) var maxInFlight = 0
    /// Seconds every request waits before answering (the benchmark's server latency).
    package var latency: Double = 0
    private var inFlight = 0
    private var transcriptionScript: [Behaviour] = []
    private var chatScript: [Behaviour] = []
    private var transcriptions: [String: String] = [:]

    package init() {}

    /// Queues behaviours for the next transcription requests (then `.answer` again).
    package func scriptTranscriptions(_ behaviours: [Behaviour]) { transcriptionScript += behaviours }

    /// Queues behaviours for the next chat requests.
    package func scriptChat(_ behaviours: [Behaviour]) { chatScript += behaviours }

    /// The text to answer for an uploaded file whose name contains `filenamePart`.
    package func transcribe(_ filenamePart: String, as text: String) { transcriptions[filenamePart] = text }

    package func setLatency(_ seconds: Double) { latency = seconds }

    func begin(_ request: Recorded, violations found: [String]) -> Behaviour {
        requests.append(request)
        violations += found
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        if request.path.hasSuffix("transcriptions") {
            return transcriptionScript.isEmpty ? .answer : transcriptionScript.removeFirst()
        }
        return chatScript.isEmpty ? .answer : chatScript.removeFirst()
    }

    func end() { inFlight -= 1 }

    func text(for filename: String) -> String? {
        transcriptions.first { filename.contains($0.key) }?.value
    }
}
