import AIClients
import CallPipeCore
import Foundation
import Testing

@testable import Redaction

/// `TranscriptRedactor` on a transcript as the local model wrote the committed billing call
/// (`Fixtures/audio/pii-call.mp3`): lines, word timestamps, spans for the audio and the audit.
struct TranscriptRedactorTests {
    static let key = Data(repeating: 7, count: 32)

    static func words(_ list: [(String, Double, Double)]) -> [TranscriptWord] {
        list.map { TranscriptWord(word: $0.0, startS: $0.1, endS: $0.2) }
    }

    /// The lines of the fixture's transcript that matter, words as the model gave them.
    static let billingCall = Transcript(segments: [
        TranscriptSegment(speaker: "agent", startS: 9.32, endS: 11.44, text: "Of course, what is the card number?"),
        TranscriptSegment(
            speaker: "customer", startS: 12.06, endS: 17.96,
            text: "It in 4.24242424242424242424242424242424242424242424242425.",
            words: words([
                ("It", 12.06, 12.26), ("in", 12.26, 12.58), ("4", 12.58, 12.8),
                (".24242424242424242424242424242424242424242424242425.", 12.8, 18.46),
            ])),
        TranscriptSegment(
            speaker: "agent", startS: 18.58, endS: 20.74, text: "Thank you and your date on birth,"),
        TranscriptSegment(
            speaker: "customer", startS: 21.78, endS: 24.56, text: "I was born on March 3, 1985.",
            words: words([
                ("I", 21.78, 21.94), ("was", 21.94, 22.26), ("born", 22.26, 22.52), ("on", 22.52, 22.78),
                ("March", 22.78, 23.16), ("3,", 23.16, 23.66), ("1985.", 24.18, 24.56),
            ])),
        TranscriptSegment(
            speaker: "customer", startS: 27.62, endS: 30.58, text: "My email is John Smith at gmail.com.",
            words: words([
                ("My", 27.48, 27.9), ("email", 27.9, 28.18), ("is", 28.18, 28.42), ("John", 28.42, 28.7),
                ("Smith", 28.7, 29.02), ("at", 29.02, 29.28), ("gmail", 29.28, 29.68), (".com.", 29.68, 31.06),
            ])),
        TranscriptSegment(
            speaker: "agent", startS: 31.04, endS: 34.36, text: "Done. Your order number is five, five, five, one, two."
        ),
    ])

    @Test func theBillingCallAsTheModelWroteIt() throws {
        let result = TranscriptRedactor(auditKey: Self.key).redact(Self.billingCall)
        let texts = result.transcript.segments.map(\.text)
        #expect(texts[1] == "It in [CARD_NUMBER].")
        #expect(texts[3] == "I was born on [DATE_OF_BIRTH].")
        #expect(texts[4] == "My email is [EMAIL].")
        #expect(texts[5] == Self.billingCall.segments[5].text, "the order number is a decoy and stays")
        #expect(result.counts == ["card_number": 1, "date_of_birth": 1, "email": 1])
        // A token keeps the times of the words it replaced: click-to-seek still lands.
        let cardWords = try #require(result.transcript.segments[1].words)
        #expect(cardWords.map(\.word) == ["It", "in", "[CARD_NUMBER]"])
        #expect(cardWords[2].startS == 12.58 && cardWords[2].endS == 18.46)
        let emailWords = try #require(result.transcript.segments[4].words)
        #expect(emailWords.map(\.word) == ["My", "email", "is", "[EMAIL]"])
        #expect(emailWords[3].startS == 28.42 && emailWords[3].endS == 31.06)
        // Spans for the audio, from the words' own times.
        #expect(
            result.spans.map { [$0.kind, $0.speaker] } == [
                ["card_number", "customer"], ["date_of_birth", "customer"], ["email", "customer"],
            ])
        #expect(result.spans.allSatisfy { $0.wordTimed })
        #expect(result.spans[0].startS == 12.58 && result.spans[0].endS == 18.46)
        #expect(result.spans[1].startS == 22.78 && result.spans[1].endS == 24.56)
        // No value anywhere in what is stored.
        let stored = String(decoding: try JSONEncoder().encode(result.record(mode: .textAndAudio)), as: UTF8.self)
        let transcript = String(decoding: try JSONEncoder().encode(result.transcript), as: UTF8.self)
        for value in ["4242", "1985", "smith", "Smith", "gmail", "March"] {
            #expect(!stored.contains(value) && !transcript.contains(value), "\(value)")
        }
    }

    @Test func theAuditHasEveryNumberWithAKeyedHashNotTheValue() {
        let result = TranscriptRedactor(auditKey: Self.key).redact(Self.billingCall)
        let outcomes = result.decisions.map { "\($0.outcome)/\($0.reason)" }
        #expect(outcomes.contains("card_number/card"))
        #expect(outcomes.contains("kept/decoy"), "the order number: kept, and why")
        #expect(outcomes.contains("email/pattern"))
        #expect(result.decisions.allSatisfy { $0.valueHash.count == 16 && $0.valueHash.allSatisfy(\.isHexDigit) })
        // Stable under one key (repeats show across calls), different under another.
        let again = TranscriptRedactor(auditKey: Self.key).redact(Self.billingCall)
        let other = TranscriptRedactor(auditKey: Data(repeating: 8, count: 32)).redact(Self.billingCall)
        #expect(again.decisions.map(\.valueHash) == result.decisions.map(\.valueHash))
        #expect(other.decisions.map(\.valueHash) != result.decisions.map(\.valueHash))
    }

    @Test func aLineWithoutWordTimesStandsInWithItsWholeSpan() {
        let transcript = Transcript(segments: [
            TranscriptSegment(speaker: "customer", startS: 3, endS: 9, text: "my card is 4242 4242 4242 4242 thanks")
        ])
        let result = TranscriptRedactor(auditKey: Self.key).redact(transcript)
        #expect(result.transcript.segments[0].text == "my card is [CARD_NUMBER] thanks")
        #expect(result.spans.map { [$0.startS, $0.endS] } == [[3, 9]])
        #expect(result.spans[0].wordTimed == false)
    }

    @Test func wordsThatDoNotMatchTheTextAreDroppedNotGuessed() {
        let transcript = Transcript(segments: [
            TranscriptSegment(
                speaker: "customer", startS: 0, endS: 4, text: "card 4242 4242 4242 4242",
                words: Self.words([("card", 0, 0.5), ("4242424242424242", 0.5, 4)]))
        ])
        let result = TranscriptRedactor(auditKey: Self.key).redact(transcript)
        #expect(result.transcript.segments[0].text == "card [CARD_NUMBER]")
        #expect(result.transcript.segments[0].words == nil)
        #expect(result.spans.map(\.wordTimed) == [false])
    }

    @Test func mutedRangesWidenByTheMarginAndMerge() {
        var result = TranscriptRedaction(transcript: Transcript())
        result.spans = [
            .init(kind: "card_number", speaker: "customer", startS: 0.1, endS: 2, wordTimed: true),
            .init(kind: "card_expiry", speaker: "customer", startS: 2.4, endS: 3, wordTimed: true),
            .init(kind: "email", speaker: "customer", startS: 10, endS: 12, wordTimed: true),
        ]
        #expect(result.mutedRanges(margin: 0.3) == [0...3.3, 9.7...12.3])
    }

    @Test func aTranscriptWithNothingToFindIsUntouched() {
        let transcript = Transcript(segments: [
            TranscriptSegment(speaker: "agent", startS: 0, endS: 2, text: "How can I help you today?")
        ])
        let result = TranscriptRedactor(auditKey: Self.key).redact(transcript)
        #expect(result.transcript == transcript)
        #expect(result.spans.isEmpty && result.counts.isEmpty && result.decisions.isEmpty)
    }
}
