import AIClients
import Foundation
import Testing

@testable import CallPipeCore
@testable import DemoData
@testable import Pipeline

@Suite("Conversation metrics: talk speed and questions", .timeLimit(.minutes(3)))
struct ConversationMetricsTests {
    static func line(_ speaker: String, _ text: String) -> TranscriptSegment {
        TranscriptSegment(speaker: speaker, startS: 0, endS: 1, text: text)
    }

    @Test(arguments: [
        ("Can you hear me? Is this working? Great.", 2),
        ("Can you hear me?Is this working", 0),
        ("What?! No way.", 1),
        ("Really?? I did not know", 1),
        ("Where is it ? Here.", 1),
        ("Could you spell that…? Thanks.", 1),
        ("Is it you？ Yes.", 1),
    ])
    func countsEachQuestionSentence(text: String, questions: Int) {
        #expect(TranscriptText.questions(in: text) == questions, "\(text)")
    }

    @Test func aQuestionMarkInsideASentenceEndsNone() {
        #expect(TranscriptText.questions(in: #"He asked "why?" and then he left."#) == 0)
        #expect(TranscriptText.questions(in: "Open example.com/?id=3 in the browser.") == 0)
        #expect(TranscriptText.questions(in: "It costs 3.5 dollars, right?") == 1)
        #expect(TranscriptText.sentences(in: #"She said "is it on?" Then it was."#).map(\.isQuestion) == [true, false])
    }

    @Test func titlesAbbreviationsAndInitialsEndNoSentence() {
        let sentences = TranscriptText.sentences(in: "Is that Mr. Smith? Dr. Jones said J. Doe called. Did he?")
        #expect(sentences.map(\.text) == ["Is that Mr. Smith?", "Dr. Jones said J. Doe called.", "Did he?"])
        #expect(sentences.map(\.isQuestion) == [true, false, true])
        #expect(TranscriptText.questions(in: "Did Mrs. Lee, e.g. the owner, call?") == 1)
    }

    @Test func wordsAreTokensWithALetterOrDigit() {
        #expect(TranscriptText.words(in: "I — uh, well... it's 3.5 GB") == 6)
        #expect(TranscriptText.words(in: "  ") == 0)
    }

    @Test func talkSpeedIsWordsPerMinuteOfEachPartysOwnTalkTime() throws {
        let metrics = ConversationMetrics(
            segments: [
                Self.line("agent", "Thanks for calling, how can I help you today?"),  // 9 words, 1 question
                Self.line("customer", "My internet is down. Can you check it? Is there an outage?"),  // 12, 2
                Self.line("agent", "Let me check. One moment please."),  // 6
            ], talkSeconds: ["agent": 7.5, "customer": 4])
        let agent = try #require(metrics.speakers["agent"])
        let customer = try #require(metrics.speakers["customer"])
        #expect(agent == .init(words: 15, talkS: 7.5, talkSpeedWPM: 120, questions: 1))
        #expect(customer == .init(words: 12, talkS: 4, talkSpeedWPM: 180, questions: 2))
        #expect(metrics.questions == 3)
        #expect(metrics.customerQuestionShare == 0.67)
    }

    @Test func noTranscriptGivesNullsNotZeros() throws {
        let metrics = ConversationMetrics(segments: [], talkSeconds: ["agent": 30, "customer": 20])
        #expect(metrics.speakers["agent"] == .init(words: nil, talkS: 30, talkSpeedWPM: nil, questions: nil))
        #expect(metrics.questions == nil && metrics.customerQuestionShare == nil)
        let json = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(metrics)) as? [String: Any])
        #expect(Set(json.keys) == ["speakers", "questions", "customer_question_share"])
        #expect(json["customer_question_share"] is NSNull && json["questions"] is NSNull)
        let agent = try #require((json["speakers"] as? [String: Any])?["agent"] as? [String: Any])
        #expect(Set(agent.keys) == ["words", "talk_s", "talk_speed_wpm", "questions"])
        #expect(agent["talk_speed_wpm"] is NSNull && agent["words"] is NSNull && agent["talk_s"] as? Double == 30)
    }

    @Test func withoutQuestionsTheShareIsNull() {
        let metrics = ConversationMetrics(
            segments: [Self.line("agent", "Hello."), Self.line("customer", "Hi.")],
            talkSeconds: ["agent": 1, "customer": 1])
        #expect(metrics.questions == 0 && metrics.customerQuestionShare == nil)
        #expect(metrics.speakers["customer"]?.questions == 0)
    }

    @Test func aMonoCallHasOneUnknownPartyWhateverTheLinesSay() throws {
        let metrics = ConversationMetrics(
            segments: [
                Self.line("unknown", "Hello, can you hear me?"),
                Self.line("agent", "Yes. How can I help?"),
                Self.line("customer", "Why was I charged twice? And when is the refund?"),
            ], talkSeconds: ["unknown": 15])
        #expect(Array(metrics.speakers.keys) == ["unknown"])
        let unknown = try #require(metrics.speakers["unknown"])
        #expect(unknown.words == 20 && unknown.questions == 4 && unknown.talkSpeedWPM == 80)
        // The share counts the questions the analyzer attributed: 2 customer, 1 agent.
        #expect(metrics.customerQuestionShare == 0.67)
        let unattributed = ConversationMetrics(
            segments: [Self.line("unknown", "Is it on?")], talkSeconds: ["unknown": 2])
        #expect(unattributed.questions == 1 && unattributed.customerQuestionShare == nil)
    }

    @Test func noTalkTimeIsNoSpeedNotADivisionByZero() {
        let metrics = ConversationMetrics(
            segments: [Self.line("agent", "Hello there."), Self.line("customer", "Hi.")],
            talkSeconds: ["agent": 0, "customer": 2])
        #expect(metrics.speakers["agent"] == .init(words: 2, talkS: 0, talkSpeedWPM: nil, questions: 0))
        #expect(metrics.speakers["customer"]?.talkSpeedWPM == 30)
        // A speaker the analysis does not know (no talk time at all) keeps its words, without a speed.
        let unmatched = ConversationMetrics(segments: [Self.line("agent", "Hello.")], talkSeconds: [:])
        #expect(unmatched.speakers["agent"] == .init(words: 1, talkS: nil, talkSpeedWPM: nil, questions: 0))
    }

    @Test func theReportCarriesItAndPrintsIt() {
        let report = CallReport(
            analysis: CRMTestSupport.call(
                "r", at: 0, duration: 20, agentTalk: 6, customerTalk: 4, silence: 2, interruptions: 0,
                outcome: .resolved, sentiment: 0, topics: []
            ).analysis,
            transcript: Transcript(segments: [
                Self.line("agent", "How can I help?"), Self.line("customer", "Is my order late? It is."),
            ]),
            insights: CRMTestSupport.insights(), providers: .init(transcription: "t", analysis: "a"),
            usage: .init(transcription: .init(), analysis: .init()))
        #expect(report.conversation.speakers["agent"]?.talkSpeedWPM == 40)
        #expect(report.conversation.customerQuestionShare == 0.5)
        let text = report.readableText
        #expect(text.contains("agent     40.0 wpm (4 words in 0:06.0), 1 question"))
        #expect(text.contains("customer  90.0 wpm (6 words in 0:04.0), 1 question"))
        #expect(text.contains("customer's share of questions  50%"))
    }
}
