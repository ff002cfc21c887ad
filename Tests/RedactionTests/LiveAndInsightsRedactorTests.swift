import AIClients
import CallPipeCore
import Configuration
import Foundation
import Testing

@testable import Redaction

/// Live lines (published one at a time, before the rest of a number is heard), the analyzer's
/// output checked again, and the configuration.
struct LiveAndInsightsRedactorTests {
    func line(_ speaker: String, _ start: Double, _ text: String) -> RedactionLine {
        RedactionLine(speaker: speaker, start: start, end: start + 2, text: text)
    }

    @Test func aCardReadInTwoLiveLinesIsRedactedInEachAsItComes() {
        var live = LiveLineRedactor()
        #expect(live.final(line("agent", 0, "What's the card number?")).text == "What's the card number?")
        // The first half is published before the second is said: redacted by its mention.
        #expect(live.final(line("customer", 3, "four two four two, four two four two")).text == "[CARD_NUMBER]")
        #expect(live.interim(line("customer", 6, "four two four")).text == "[CARD_NUMBER]")
        #expect(live.final(line("customer", 6, "four two four two, four two four two.")).text == "[CARD_NUMBER].")
        #expect(live.final(line("agent", 9, "Thanks, and the expiry?")).text == "Thanks, and the expiry?")
        #expect(live.final(line("customer", 11, "oh four twenty seven")).text == "[CARD_EXPIRY]")
        #expect(live.counts[.cardNumber] == 2)
    }

    @Test func withoutAMentionSixDigitsAreEnoughButADecoyStays() {
        var live = LiveLineRedactor()
        #expect(live.final(line("customer", 0, "it's 4242 4242")).text == "it's [CARD_NUMBER]")
        #expect(live.final(line("customer", 4, "I'm 42")).text == "I'm 42")
        #expect(live.final(line("agent", 6, "Your order number is 555 1234")).text == "Your order number is 555 1234")
        #expect(live.final(line("customer", 9, "I paid 20 dollars")).text == "I paid 20 dollars")
    }

    @Test func theAnalyzersOutputIsCheckedAgain() {
        let insights = CallInsights(
            sentiment: CallSentiment(overall: 0, label: .neutral, quarters: [nil, nil, nil, nil]),
            summary:
                "The customer paid with card 4242 4242 4242 4242 and asked for a receipt at john.smith@example.com.",
            keyPoints: ["Born on March 3, 1985", "Order 55512 shipped"],
            actionItems: [ActionItem(text: "Call back on 415 555 0134", owner: "agent", due: nil)],
            issues: [], outcome: .resolved, topics: ["billing"], hints: [], analyzer: "heuristic")
        let (redacted, counts) = InsightsRedactor().redact(insights)
        #expect(redacted.summary == "The customer paid with card [CARD_NUMBER] and asked for a receipt at [EMAIL].")
        #expect(redacted.keyPoints == ["Born on [DATE_OF_BIRTH]", "Order 55512 shipped"])
        #expect(redacted.actionItems[0].text == "Call back on [PHONE]")
        #expect(counts == [.cardNumber: 1, .email: 1, .dateOfBirth: 1, .phone: 1])
        #expect(redacted.topics == ["billing"])
    }

    func configuration(_ values: [AbsoluteConfigKey: ConfigValue]) throws(CallPipeError) -> RedactionConfiguration {
        try RedactionConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
    }

    @Test func theConfigurationDefaultsToTextAndAudioAndSaysWhatIsWrong() throws {
        let defaults = try configuration([:])
        #expect(defaults.mode == .textAndAudio && defaults.kinds == Set(PIIKind.allCases))
        #expect(defaults.keepOriginalKey == nil && defaults.audioMargin == 0.3)
        let set = try configuration([
            "callpipe.redact": "text", "callpipe.redact.entities": "card_number, ssn",
            "callpipe.redact.by.source": "dialpad=off, elevenlabs=text+audio",
            "callpipe.pii.keep.original": .init(.string(String(repeating: "ab", count: 32)), isSecret: true),
        ])
        #expect(set.mode == .text && set.kinds == [.cardNumber, .ssn])
        #expect(set.mode(forSource: "dialpad") == .off && set.mode(forSource: "elevenlabs") == .textAndAudio)
        #expect(set.mode(forSource: "callpipe") == .text)
        #expect(set.keepOriginalKey?.count == 32)
        for (key, value, message) in [
            ("callpipe.redact", "audio", "CALLPIPE_REDACT"), ("callpipe.redact.entities", "cards", "cards"),
            ("callpipe.redact.by.source", "dialpad", "CALLPIPE_REDACT_BY_SOURCE"),
            ("callpipe.pii.keep.original", "not-a-key-0123456789", "CALLPIPE_PII_KEEP_ORIGINAL"),
        ] {
            #expect {
                try configuration([
                    AbsoluteConfigKey(key.split(separator: ".").map(String.init)): .init(
                        .string(value), isSecret: false)
                ])
            } throws: { error in
                let text = "\(error)"
                return text.contains(message) && !(key.hasSuffix("original") && text.contains(value))
            }
        }
    }

    @Test func aSealedOriginalOpensOnlyWithItsKey() throws {
        let key = Data(repeating: 1, count: 32)
        let audio = Data("RIFF….WAVEfmt ".utf8)
        let sealed = try SealedOriginal.seal(audio, key: key)
        #expect(sealed != audio && sealed.count > audio.count)
        #expect(try SealedOriginal.open(sealed, key: key) == audio)
        #expect(throws: (any Error).self) { try SealedOriginal.open(sealed, key: Data(repeating: 2, count: 32)) }
    }
}
