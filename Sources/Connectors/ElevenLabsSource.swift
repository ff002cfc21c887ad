import AIClients
package import CallPipeCore
package import Foundation

/// ElevenLabs Conversational AI as a connector: an agent's conversations from the list pages,
/// each read in full (transcript, analysis, metadata) one at a time, as ElevenLabs limits
/// concurrent requests (docs/connectors.md).
package struct ElevenLabsSource: ConnectorSource {
    package let client: ElevenLabsClient

    package init(client: ElevenLabsClient) {
        self.client = client
    }

    package var kind: ConnectorKind { .elevenlabs }
    package var requestsUsed: Int { client.http.budget.used }

    package func page(in window: Range<Date>, cursor: String?) async throws(ConnectorError) -> SourcePage {
        let page = try await client.conversationPage(in: window, cursor: cursor)
        var calls: [ImportedCall] = []
        var failed = 0
        for summary in page.conversations {
            let conversation: ElevenLabsConversation
            do {
                conversation = try await client.conversation(summary.conversation_id)
            } catch where error.code == .rejected || error.code == .malformedResponse {
                failed += 1  // This conversation only (gone, or not readable): the others are stored.
                continue
            }
            var call = conversation.imported(summary: summary)
            call.transcript = Self.transcript(of: conversation)
            call.session = conversation.session(summary: summary)
            call.hasAudio = conversation.has_audio
            calls.append(call)
        }
        return SourcePage(calls: calls, failed: failed, nextCursor: page.has_more ? page.next_cursor : nil)
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
