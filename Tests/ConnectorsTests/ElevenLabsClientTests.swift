import AsyncHTTPClient
import CallPipeCore
import Connectors
import Foundation
import MockVendors
import Testing

/// The ElevenLabs client against the mock ElevenLabs over real HTTP (docs/connectors.md): the
/// conversation list's `next_cursor`/`has_more`, details with transcript, analysis and the
/// customer's number wherever ElevenLabs put it, the audio, and the failures.
@Suite("ElevenLabs connector")
struct ElevenLabsClientTests {
    static let tenDays = DialpadClientTests.tenDays

    static func client(_ base: URL, key: String, agent: String, waits: DialpadClientTests.Waits) -> ElevenLabsClient {
        var configuration = ElevenLabsConfiguration(baseURL: base, apiKey: key, agentID: agent)
        configuration.pageSize = 40
        var client = ElevenLabsClient(configuration: configuration)
        client.http.sleep = { seconds in await waits.add(seconds) }
        return client
    }

    @Test func readsEveryConversationOfAWindowWithItsDetails() async throws {
        let state = MockElevenLabsState(apiKey: "xi_live_key", conversations: 400, window: Self.tenDays)
        try await MockElevenLabs.run(state: state) { _, base in
            let client = Self.client(base, key: "xi_live_key", agent: state.agentID, waits: .init())
            let window =
                Self.tenDays.lowerBound.addingTimeInterval(
                    86_400)..<Self.tenDays.lowerBound.addingTimeInterval(5 * 86_400)
            var summaries: [ElevenLabsConversationSummary] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await client.conversationPage(in: window, cursor: cursor)
                pages += 1
                summaries += page.conversations
                cursor = page.has_more ? page.next_cursor : nil
            } while cursor != nil
            let expected = await state.conversations(
                startAfter: Int64(window.lowerBound.timeIntervalSince1970),
                startBefore: Int64(window.upperBound.timeIntervalSince1970))
            #expect(expected.count > 120)
            #expect(summaries.map(\.conversation_id) == expected.map(\.id))
            #expect(pages == (expected.count + 39) / 40)

            let byID = Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0) })
            var kinds: Set<String> = []
            for summary in summaries.prefix(40) {
                let source = try #require(byID[summary.conversation_id])
                let details = try await client.conversation(summary.conversation_id)
                #expect(details.transcript.count == source.messages)
                #expect(details.transcript.first?.role == "agent")
                #expect(
                    details.analysis?.evaluation_criteria_results?["resolved_request"]?.result
                        == source.criteria["resolved_request"])
                #expect(details.metadata.cost == Double(source.cost))
                // The customer's number from the phone call, else the dynamic variables; none when neither has it.
                let call = details.imported(summary: summary)
                #expect(call.customerPhone == (source.numbers == "none" ? nil : source.customerNumber))
                #expect(call.status == (source.status == "failed" ? .missed : .completed))
                #expect(call.durationS == Double(source.duration) && call.agentName == "Reception Bot")
                #expect(call.direction == source.direction)
                kinds.insert(source.numbers)
                if details.has_audio {
                    let audio = try await client.audio(summary.conversation_id)
                    #expect(audio.prefix(4) == Data("RIFF".utf8))
                }
            }
            #expect(kinds.isSuperset(of: ["twilio", "sip_trunking", "variables", "none"]))
        }
    }

    @Test func failuresAreClearAndKeysNeverEchoed() async throws {
        let state = MockElevenLabsState(apiKey: "xi_live_key", conversations: 60, window: Self.tenDays)
        try await MockElevenLabs.run(state: state) { _, base in
            let waits = DialpadClientTests.Waits()
            let client = Self.client(base, key: "xi_live_key", agent: state.agentID, waits: waits)
            await state.rateLimitNext(2, retryAfter: "4")
            let page = try await client.conversationPage(in: Self.tenDays, cursor: nil)
            #expect(page.conversations.count == 40 && page.has_more)
            let waited = await waits.seconds  // The pacer's shared wait, from when each 429 came.
            #expect(waited.count == 2 && waited.allSatisfy { abs($0 - 4) < 0.1 })

            let unknown = await #expect(throws: ConnectorError.self) { try await client.conversation("conv_missing") }
            #expect(unknown?.code == .rejected && unknown?.httpStatus == 404)
            #expect(unknown?.message.contains("conversation_not_found") == true)

            await state.malformNextPage()
            let broken = await #expect(throws: ConnectorError.self) {
                try await client.conversation(page.conversations[0].conversation_id)
            }
            #expect(broken?.code == .malformedResponse)
            #expect(broken?.message.hasPrefix("ElevenLabs sent a conversation that is not its documented JSON") == true)

            let stranger = Self.client(base, key: "xi_wrong_secret_9876", agent: state.agentID, waits: waits)
            let refused = await #expect(throws: ConnectorError.self) {
                try await stranger.conversationPage(in: Self.tenDays, cursor: nil)
            }
            #expect(refused?.code == .unauthorized && refused?.httpStatus == 401)
            #expect(refused?.message.contains("xi_wrong_secret_9876") == false)
        }
    }
}
