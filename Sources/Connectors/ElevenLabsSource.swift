import AIClients
package import CallPipeCore
package import Foundation

/// ElevenLabs Conversational AI as a connector: an agent's conversations from the list pages,
/// each read in full (transcript, analysis, metadata) one at a time, as ElevenLabs limits
/// concurrent requests (docs/connectors.md).
package struct ElevenLabsSource: ConnectorSource {
    package let client: ElevenLabsClient
    /// Conversations read at once (ElevenLabs limits concurrent requests per plan; a 429 for
    /// too many is waited out like any other).
    package var detailConcurrency = 4

    package init(client: ElevenLabsClient) {
        self.client = client
    }

    package var kind: ConnectorKind { .elevenlabs }
    package var requestsUsed: Int { client.http.budget.used }

    package func page(in window: Range<Date>, cursor: String?) async throws(ConnectorError) -> SourcePage {
        let page = try await client.conversationPage(in: window, cursor: cursor)
        // The details, `detailConcurrency` at a time, kept in the list's order.
        var read = [ImportedCall?](repeating: nil, count: page.conversations.count)
        do {
            try await readDetails(page.conversations, into: &read)
        } catch let error as ConnectorError {
            throw error
        } catch {
            throw ConnectorError(.unavailable, "the requests to ElevenLabs were cancelled (the server is stopping)")
        }
        let calls = read.compactMap { $0 }
        return SourcePage(
            calls: calls, failed: page.conversations.count - calls.count,
            nextCursor: page.has_more ? page.next_cursor : nil)
    }

    private func readDetails(_ conversations: [ElevenLabsConversationSummary], into read: inout [ImportedCall?])
        async throws
    {
        try await withThrowingTaskGroup(of: (Int, ImportedCall?).self) { group in
            var next = conversations.enumerated().makeIterator()
            func add(_ entry: (offset: Int, element: ElevenLabsConversationSummary)) {
                group.addTask { (entry.offset, try await details(entry.element)) }
            }
            for _ in 0..<max(1, detailConcurrency) {
                guard let entry = next.next() else { break }
                add(entry)
            }
            while let (index, call) = try await group.next() {
                read[index] = call
                if let entry = next.next() { add(entry) }
            }
        }
    }

    /// One conversation in full; `nil` when this one cannot be read (gone, or not the documented
    /// JSON): the others are stored and it counts as failed.
    private func details(_ summary: ElevenLabsConversationSummary) async throws(ConnectorError) -> ImportedCall? {
        let conversation: ElevenLabsConversation
        do {
            conversation = try await client.conversation(summary.conversation_id)
        } catch  where error.code == .rejected || error.code == .malformedResponse {
            return nil
        }
        var call = conversation.imported(summary: summary)
        call.transcript = Self.transcript(of: conversation)
        call.session = conversation.session(summary: summary)
        call.hasAudio = conversation.has_audio
        return call
    }

    package func audio(of call: ImportedCall) async throws(ConnectorError) -> Data {
        try await client.audio(call.vendorID)
    }

    /// The vendor's transcript as CallPipe's: the bot is the agent, the user the customer; each
    /// turn lasts until the next one starts (the last until the call ends).
    static func transcript(of conversation: ElevenLabsConversation) -> Transcript? {
        let turns = conversation.transcript.filter { !($0.message ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        guard !turns.isEmpty else { return nil }
        let end = conversation.metadata.call_duration_secs
        let segments = turns.enumerated().map { index, turn in
            let start = max(0, turn.time_in_call_secs)
            let next = index + 1 < turns.count ? turns[index + 1].time_in_call_secs : max(end, start)
            return TranscriptSegment(
                speaker: turn.role == "agent" ? "agent" : "customer", startS: start, endS: max(start, next),
                text: turn.message ?? "")
        }
        return Transcript(segments: segments)
    }
}
