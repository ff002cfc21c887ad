import Audio
import DemoData
package import Foundation
import MockCRM

/// The mock ElevenLabs' data and behaviour: one Conversational AI agent's conversations made up
/// from a seed (transcripts, analysis with evaluation criteria, cost, ratings, Twilio or SIP
/// numbers — some only in the dynamic variables, some missing), listed newest first with
/// ElevenLabs' `next_cursor`/`has_more`, and the same failures as the mock Dialpad.
package actor MockElevenLabsState {
    package struct Conversation: Sendable {
        package var id: String
        package var start: Int64
        package var duration: Int
        package var messages: Int
        package var status: String
        package var successful: String
        package var direction: String
        package var cost: Int
        package var rating: Int?
        package var criteria: [String: String]
        /// `twilio`, `sip_trunking`, `variables` (numbers only in the dynamic variables) or `none`.
        package var numbers: String
        package var customerNumber: String
        package var termination: String
    }

    package nonisolated let apiKey: String
    package nonisolated let agentID: String
    package nonisolated let agentName = "Reception Bot"
    package nonisolated let botNumber = "+14155550100"
    /// Newest first.
    package private(set) var conversations: [Conversation] = []
    private var faults = MockFaults()
    package var requests: Int { faults.requests }
    package var rateLimited: Int { faults.rateLimited }

    package init(
        apiKey: String, agentID: String = "agent_3701k3ttaq12ewp8b7qv5rfyszkz", conversations count: Int,
        window: Range<Date>, seed: UInt64 = 2
    ) {
        self.apiKey = apiKey
        self.agentID = agentID
        var random = SplitMix64(seed: seed)
        let start = Int64(window.lowerBound.timeIntervalSince1970)
        let span = max(1, Int64(window.upperBound.timeIntervalSince1970) - start)
        let terminations = [
            "end_call tool was called.", "Client disconnected: 1000", "transfer_to_number tool was called.",
            "Call ended by remote party",
        ]
        var made: [Conversation] = []
        for index in 0..<count {
            let roll = random.next() % 100
            let failed = roll < 6
            let numbers = ["twilio", "sip_trunking", "twilio", "variables", "twilio", "sip_trunking", "none"][
                Int(random.next() % 7)]
            made.append(
                Conversation(
                    id: "conv_" + String(format: "%026x", 0x1000_0000 + index * 7_919),
                    start: start + Int64(random.next() % UInt64(span)),
                    duration: 8 + Int(random.next() % 420), messages: 2 + Int(random.next() % 30),
                    status: failed ? "failed" : "done",
                    successful: failed
                        ? "failure" : ["success", "success", "success", "failure", "unknown"][Int(random.next() % 5)],
                    direction: random.next() % 10 < 7 ? "inbound" : "outbound", cost: 200 + Int(random.next() % 3_000),
                    rating: random.next() % 3 == 0 ? 1 + Int(random.next() % 5) : nil,
                    criteria: [
                        "resolved_request": ["success", "failure", "unknown"][Int(random.next() % 3)],
                        "polite_and_clear": random.next() % 10 < 8 ? "success" : "failure",
                    ], numbers: numbers,
                    customerNumber: "+1415555\(String(format: "%04d", Int(random.next() % 10_000)))",
                    termination: failed ? "Error: LLM provider unavailable" : terminations[Int(random.next() % 4)]))
        }
        conversations = made.sorted { ($0.start, $0.id) > ($1.start, $1.id) }
    }

    /// The next `count` requests get 429 with `Retry-After: retryAfter`.
    package func rateLimitNext(_ count: Int, retryAfter: String = "1") {
        faults.rateLimitLeft = count
        faults.retryAfter = retryAfter
    }

    /// The next answer with JSON (a page or a conversation) is cut off mid-JSON.
    package func malformNextPage() { faults.malformLeft = 1 }

    /// At most `limit` requests a second from now on (0: no limit); the rest get 429.
    package func limitRate(toRequestsPerSecond limit: Int) { faults.requestsPerSecond = limit }

    /// The conversations the list shows for a window (no paging): for counting.
    package func conversations(startAfter: Int64, startBefore: Int64) -> [Conversation] {
        conversations.filter { $0.start >= startAfter && $0.start < startBefore }
    }

    enum Route: Sendable {
        case list([String: String])
        case details(String)
        case audio(String)
    }

    func serve(_ route: Route, key: String?) async -> MockAnswer {
        if let tooMany = faults.admit(
            tooManyRequests: [
                "detail": ["status": "too_many_concurrent_requests", "message": "Too many concurrent requests"]
            ])
        {
            return tooMany
        }
        guard key == apiKey else {
            return .json(401, ["detail": ["status": "invalid_api_key", "message": "Invalid API key"]])
        }
        switch route {
        case .list(let query): return list(query)
        case .details(let id):
            guard let conversation = conversations.first(where: { $0.id == id }) else { return notFound(id) }
            return faults.maybeBreak(.json(200, details(conversation)))
        case .audio(let id):
            guard let conversation = conversations.first(where: { $0.id == id }), conversation.status == "done" else {
                return notFound(id)
            }
            // A second of 8 kHz silence as WAV stands for ElevenLabs' MP3.
            let audio = WAVEncoding.pcm16([Float](repeating: 0, count: 8_000), sampleRate: 8_000)
            return MockAnswer(status: 200, body: audio, headers: ["Content-Type": "audio/wav"])
        }
    }

    private func notFound(_ id: String) -> MockAnswer {
        .json(404, ["detail": ["status": "conversation_not_found", "message": "Conversation \(id) not found"]])
    }

    private func list(_ query: [String: String]) -> MockAnswer {
        let size = query["page_size"].flatMap { Int($0) } ?? 30
        guard (1...100).contains(size) else {
            return .json(
                422,
                ["detail": [["loc": ["query", "page_size"], "msg": "ensure this value is less than or equal to 100"]]])
        }
        let listed =
            query["agent_id"] == agentID
            ? conversations(
                startAfter: query["call_start_after_unix"].flatMap { Int64($0) } ?? 0,
                startBefore: query["call_start_before_unix"].flatMap { Int64($0) } ?? Int64.max) : []
        let offset = query["cursor"].flatMap(MockPaging.offset(ofCursor:)) ?? 0
        let page = listed[min(offset, listed.count)..<min(listed.count, offset + size)]
        let more = offset + size < listed.count
        let summaries = page.map { conversation -> [String: Any] in
            [
                "agent_id": agentID, "agent_name": agentName, "conversation_id": conversation.id,
                "start_time_unix_secs": conversation.start, "call_duration_secs": conversation.duration,
                "message_count": conversation.messages, "status": conversation.status,
                "call_successful": conversation.successful, "direction": conversation.direction,
            ]
        }
        return faults.maybeBreak(
            .json(
                200,
                [
                    "conversations": summaries, "has_more": more,
                    "next_cursor": more ? MockPaging.cursor(ofOffset: offset + size) as Any : NSNull(),
                ]))
    }

    private func details(_ conversation: Conversation) -> [String: Any] {
        let turns = (0..<conversation.messages).map { index -> [String: Any] in
            [
                "role": index % 2 == 0 ? "agent" : "user",
                "message": index % 2 == 0
                    ? "How can I help you today? (\(index))" : "I need help with my order (\(index)).",
                "time_in_call_secs": conversation.duration * index / max(1, conversation.messages),
            ]
        }
        let inbound = conversation.direction == "inbound"
        var metadata: [String: Any] = [
            "start_time_unix_secs": conversation.start, "call_duration_secs": conversation.duration,
            "cost": conversation.cost, "termination_reason": conversation.termination,
            "feedback": [
                "overall_score": NSNull(), "likes": 0, "dislikes": 0,
                "rating": conversation.rating.map { $0 as Any } ?? NSNull(),
            ],
            "error": conversation.status == "failed"
                ? ["code": 1011, "reason": "LLM provider unavailable"] as Any : NSNull(),
        ]
        if ["twilio", "sip_trunking"].contains(conversation.numbers) {
            var call: [String: Any] = [
                "type": conversation.numbers, "direction": conversation.direction, "phone_number_id": "phnum_01mock",
                "agent_number": botNumber, "external_number": conversation.customerNumber,
                "call_sid": "CA" + conversation.id.suffix(32),
            ]
            if conversation.numbers == "twilio" { call["stream_sid"] = "MZ" + conversation.id.suffix(32) }
            metadata["phone_call"] = call
        }
        var variables: [String: Any] = ["system__conversation_id": conversation.id, "system__agent_id": agentID]
        if conversation.numbers != "none" {
            variables["system__caller_id"] = inbound ? conversation.customerNumber : botNumber
            variables["system__called_number"] = inbound ? botNumber : conversation.customerNumber
        }
        return [
            "agent_id": agentID, "conversation_id": conversation.id, "status": conversation.status,
            "transcript": turns, "metadata": metadata,
            "analysis": [
                "call_successful": conversation.successful, "transcript_summary": "The caller asked about an order.",
                "evaluation_criteria_results": conversation.criteria.reduce(into: [String: Any]()) { all, entry in
                    all[entry.key] = [
                        "criteria_id": entry.key, "result": entry.value, "rationale": "judged by the mock",
                    ]
                },
            ],
            "conversation_initiation_client_data": ["dynamic_variables": variables],
            "has_audio": conversation.status == "done", "has_user_audio": conversation.status == "done",
            "has_response_audio": conversation.status == "done",
        ]
    }
}
