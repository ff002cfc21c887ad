import Testing

@testable import Redaction

/// `PIIDetector` and `TextRedactor` on transcript lines as ASR writes them: digits and spoken
/// forms, numbers split across lines and turns, and decoys that must stay.
struct PIIDetectorTests {
    /// Redacts one speaker's single line.
    func redacted(_ text: String, kinds: Set<PIIKind> = Set(PIIKind.allCases)) -> String {
        let redactor = TextRedactor(detector: PIIDetector(kinds: kinds))
        return redactor.redact([RedactionLine(speaker: "customer", start: 0, end: 5, text: text)]).lines[0].text
    }

    @Test(arguments: [
        ("My card number is 4242 4242 4242 4242.", "My card number is [CARD_NUMBER]."),
        ("it's four two four two four two four two four two four two four two four two", "it's [CARD_NUMBER]"),
        ("Sure, 4111-1111-1111-1111 is the card.", "Sure, [CARD_NUMBER] is the card."),
        (
            "it's five five double five, five five five five, five five five five, four four four four",
            "it's [CARD_NUMBER]"
        ),
        (
            "the card is forty two forty two forty two forty two forty two forty two forty two forty two",
            "the card is [CARD_NUMBER]"
        ),
        // Amex, 15 digits, with "oh" for zero.
        ("three seven eight two eight two two four six three one oh oh oh five", "[CARD_NUMBER]"),
    ])
    func cardNumbersInDigitsAndWords(_ text: String, _ expected: String) {
        #expect(redacted(text) == expected)
    }

    @Test func aCardSplitAcrossBreathsAndTheAgentsTurn() {
        let lines = [
            RedactionLine(speaker: "agent", start: 0, end: 2, text: "Can I have the long number on the card?"),
            RedactionLine(
                speaker: "customer", start: 2.5, end: 5, text: "Yes, it's four two four two, four two four two"),
            RedactionLine(speaker: "agent", start: 5.2, end: 5.6, text: "Mm-hm."),
            RedactionLine(speaker: "customer", start: 6, end: 9, text: "four two four two, four two four two."),
            RedactionLine(speaker: "agent", start: 9.5, end: 11, text: "And the expiry date?"),
            RedactionLine(speaker: "customer", start: 11.5, end: 13, text: "Oh four, twenty seven."),
            RedactionLine(speaker: "agent", start: 13.5, end: 15, text: "And the three digit code on the back?"),
            RedactionLine(speaker: "customer", start: 15.5, end: 17, text: "one two three"),
        ]
        let (redacted, findings) = TextRedactor().redact(lines)
        #expect(
            redacted.map(\.text) == [
                "Can I have the long number on the card?", "Yes, it's [CARD_NUMBER]", "Mm-hm.", "[CARD_NUMBER].",
                "And the expiry date?", "[CARD_EXPIRY].", "And the three digit code on the back?",
                "[CARD_SECURITY_CODE]",
            ])
        #expect(TextRedactor.counts(findings) == [.cardNumber: 1, .cardExpiry: 1, .cardSecurityCode: 1])
        #expect(redacted.map(\.start) == lines.map(\.start) && redacted.map(\.end) == lines.map(\.end))
    }

    @Test(arguments: [
        ("My social is 123-45-6789.", "My social is [SSN]."),
        ("social security number one two three four five six seven eight nine", "social security number [SSN]"),
        ("Call me back at 415-555-0132.", "Call me back at [PHONE]."),
        ("my cell is four one five, five five five, oh one three two", "my cell is [PHONE]"),
        ("reach me on +44 20 7946 0958", "reach me on [PHONE]"),
        ("It's john dot smith at example dot com.", "It's [EMAIL]."),
        ("email jane.doe@example.org please", "email [EMAIL] please"),
        ("it's j s m i t h at gmail dot com", "it's [EMAIL]"),
        ("My date of birth is March third, nineteen eighty five.", "My date of birth is [DATE_OF_BIRTH]."),
        ("I was born on the fifteenth of July 1990", "I was born on the [DATE_OF_BIRTH]"),
        ("date of birth oh three one five eighty five", "date of birth [DATE_OF_BIRTH]"),
        ("I live at 221 Baker Street, apartment 4.", "I live at [ADDRESS]."),
        ("it's one two three Main St", "it's [ADDRESS]"),
        ("My name is Jane Doe.", "My name is [PERSON]."),
        (
            "my bank account number is 12345678 and routing 021000021",
            "my bank account number is [BANK_ACCOUNT] and routing [BANK_ACCOUNT]"
        ),
        ("my IBAN is GB82 WEST 1234 5698 7654 32", "my IBAN is [BANK_ACCOUNT]"),
    ])
    func otherKindsInDigitsAndWords(_ text: String, _ expected: String) {
        #expect(redacted(text) == expected)
    }

    /// Numbers that are not personal data stay as said.
    @Test(arguments: [
        "Your order number is 4242 4242 4242 4241.",
        "The ticket is 555 123 4567.",
        "It costs forty two dollars and ninety nine cents.",
        "I'll call at three thirty tomorrow.",
        "The appointment is on March third at ten.",
        "We have 12 agents and 3 queues.",
        "That's tracking number 1Z 999 AA1 01 2345 6784.",
        "This is about my bill.",
        "I'm calling about the router.",
        "It was 1234567890123 times better, honestly.",
        "Oh, okay, thanks.",
    ])
    func decoysStay(_ text: String) {
        #expect(redacted(text) == text)
    }

    @Test func onlyTheKindsAskedFor() {
        #expect(
            redacted("card 4242 4242 4242 4242, email a.b@example.com", kinds: [.email])
                == "card 4242 4242 4242 4242, email [EMAIL]")
    }

    @Test func theOtherPartysReadBackAndBackchannelLeaveTheNumberOpen() {
        let lines = [
            RedactionLine(speaker: "customer", start: 0, end: 3, text: "my phone is four one five"),
            RedactionLine(speaker: "agent", start: 3.1, end: 4, text: "uh-huh, four one five"),
            RedactionLine(speaker: "customer", start: 4.2, end: 7, text: "five five five, oh one three two"),
            RedactionLine(speaker: "agent", start: 7.5, end: 9, text: "What's the order number?"),
            RedactionLine(speaker: "customer", start: 9.5, end: 11, text: "it's 4242 4242 4242 4242"),
        ]
        let (redacted, findings) = TextRedactor().redact(lines)
        #expect(
            redacted.map(\.text) == [
                "my phone is [PHONE]", "uh-huh, four one five", "[PHONE]", "What's the order number?",
                "it's [CARD_NUMBER]",  // A card's shape and checksum: redacted whatever it was called.
            ])
        #expect(TextRedactor.counts(findings) == [.phone: 1, .cardNumber: 1])
    }

    /// A conversation's lines, redacted: (speaker, text) in order, a second apart.
    func redacted(_ turns: [(String, String)]) -> [String] {
        let lines = turns.enumerated().map { index, turn in
            RedactionLine(speaker: turn.0, start: Double(index) * 2, end: Double(index) * 2 + 1.5, text: turn.1)
        }
        return TextRedactor().redact(lines).lines.map(\.text)
    }

    @Test func namesGivenInAnswerToAQuestionForThem() {
        #expect(
            redacted([("agent", "Who am I speaking with?"), ("customer", "It's Liam Okafor.")])
                == ["Who am I speaking with?", "It's [PERSON]."])
        #expect(
            redacted([("agent", "I'll need your full name and address."), ("customer", "Daniel Whitaker, yes.")])
                == ["I'll need your full name and address.", "[PERSON], yes."])
        // Not a question for a name: the next line's capitalised words stay.
        #expect(
            redacted([("customer", "My name is Ann Lee."), ("agent", "Can I have the order number?")])
                == ["My name is [PERSON].", "Can I have the order number?"])
        #expect(
            redacted([("agent", "And your maiden name? Just kidding."), ("customer", "Ha. Okay.")])
                == ["And your maiden name? Just kidding.", "Ha. Okay."])
    }

    @Test func numbersInsideAnAddressAnIBANOrADateAreThat() {
        // A house number after the security code was asked for is no security code.
        #expect(
            redacted([
                ("agent", "The security code, please."), ("customer", "191."), ("agent", "Where should we ship it?"),
                ("customer", "It's 8757 Maple Road."),
            ]).last == "It's [ADDRESS].")
        // An IBAN whose digit groups pass Luhn is an IBAN, not a card.
        #expect(
            redacted([("agent", "What's the IBAN?"), ("customer", "It's GB41 BARC 2591 4137 0394 86.")]).last
                == "It's [BANK_ACCOUNT].")
        #expect(
            redacted([("agent", "Your date of birth?"), ("customer", "Seven fourteen eighty eight.")]).last
                == "[DATE_OF_BIRTH].")
    }

    @Test func aNumberReadInChunksKeepsTheQuestionInReach() {
        let lines = redacted([
            ("agent", "What's your social security number?"), ("customer", "one two three"), ("agent", "Yes?"),
            ("customer", "four five"), ("agent", "Mm-hm."),
            (
                "customer",
                "six seven eight nine... wait, no, that's the example. It's really two three one, six five, oh oh four two."
            ),
        ])
        #expect(lines.last?.hasSuffix("It's really [SSN].") == true, "\(lines)")
    }

    @Test func aNumberSaidAgainAfterAReadBackIsStillThatNumber() {
        #expect(
            redacted([
                ("agent", "Let me get a phone number in case we're disconnected."),
                ("customer", "Nine one seven, two two eight, four four oh three."), ("agent", "Nine one seven..."),
                ("customer", "Two two eight, four four oh three."),
            ]) == [
                "Let me get a phone number in case we're disconnected.", "[PHONE].", "Nine one seven...", "[PHONE].",
            ])
    }

    @Test func eMailsSpelledOrSplitAsASRWritesThem() {
        #expect(redacted("It's c g a r c i a at example dot com.") == "It's [EMAIL].")
        #expect(redacted("my email is hiroshi at tanaka family dot net") == "my email is [EMAIL]")
        #expect(redacted("My email is JSmithatGmail.com.") == "My email is [EMAIL].")
        #expect(redacted("We met at Gmail.com headquarters.") == "We met at Gmail.com headquarters.")
    }

    @Test func checksums() {
        #expect(Checksums.luhn(Array("79927398713")))
        #expect(!Checksums.luhn(Array("79927398710")))
        #expect(Checksums.isCardNumber(Array("4111111111111111")))
        #expect(!Checksums.isCardNumber(Array("1111111111111117")))  // Luhn, but no issuer starts with 1.
        #expect(Checksums.isIBAN("GB82WEST12345698765432") && Checksums.isIBAN("DE89370400440532013000"))
        #expect(!Checksums.isIBAN("GB82WEST12345698765433"))
        #expect(Checksums.isSSN(Array("123456789")) && !Checksums.isSSN(Array("666456789")))
        #expect(!Checksums.isSSN(Array("123006789")) && !Checksums.isSSN(Array("923456789")))
        #expect(Checksums.isNANPPhone(Array("4155550132")) && !Checksums.isNANPPhone(Array("1155550132")))
    }
}
