/// Finds personal data in a conversation's lines, as ASR writes what callers say (docs/redaction.md):
/// numbers read digit by digit or in pairs, "oh" for zero, "double five", split across breaths and
/// lines, with the other party's "mm-hm" between; e-mail addresses said as "john dot smith at
/// example dot com". The words are read in time order across both speakers; each number is one
/// speaker's run of number words, and what it is comes from its digits (Luhn, NANP, SSN rules,
/// IBAN checksum) and from the latest mention before it ("card", "date of birth", "order").
package struct PIIDetector: Sendable {
    /// The kinds looked for.
    package var kinds: Set<PIIKind>
    /// Seconds a speaker may stop inside one number (between lines) before it counts as two.
    package var runGap: Double = 12
    /// Words before a number that are read for what it is.
    package var contextWords = 15
    /// Live lines (docs/redaction.md "Live"): a number still being read when the conversation so
    /// far ends (it may go on in the next line) is redacted by its mention alone, or when it has
    /// six digits or more, before the rest of it is heard.
    package var redactsOpenNumbers = false

    package init(kinds: Set<PIIKind> = Set(PIIKind.allCases)) {
        self.kinds = kinds
    }

    /// The other party's words that leave a number being read open.
    static let backchannel: Set<String> = [
        "mm-hm", "mhm", "mm", "uh-huh", "uh", "um", "hmm", "okay", "ok", "yes", "yeah", "yep", "right", "sure", "go",
        "on", "ahead", "got", "it", "alright", "great", "thanks", "thank", "you", "and",
    ]

    struct StreamWord {
        var ref: WordRef
        var word: SpokenWord
        var speaker: String
        var start: Double
        var end: Double
        /// A question mark follows the word ("with?").
        var asks = false
    }

    package func findings(in lines: [RedactionLine]) -> [PIIFinding] {
        review(lines).findings
    }

    /// The findings, and every number read with what was decided about it.
    package func review(_ lines: [RedactionLine]) -> PIIReview {
        let order = lines.indices.sorted { (lines[$0].start, $0) < (lines[$1].start, $1) }
        var stream: [StreamWord] = []
        for line in order {
            let text = lines[line].text
            for (index, word) in SpokenWord.words(of: text).enumerated() {
                stream.append(
                    StreamWord(
                        ref: WordRef(line: line, word: index), word: word, speaker: lines[line].speaker,
                        start: lines[line].start, end: lines[line].end,
                        asks: text[word.range.upperBound...].prefix { !$0.isWhitespace }.contains("?")))
            }
        }
        // An IBAN's digit groups, a house number and a date's day and year are runs of digits
        // too, which they are not: a number inside one of those is that (a house number after
        // "security code" is no security code; an IBAN's digits that pass Luhn are no card).
        let wholes = ibans(in: stream) + dates(in: stream) + addresses(in: stream)
        let taken = Set(wholes.filter { kinds.contains($0.kind) }.flatMap(\.words))
        let numbers = numbers(in: stream).map { number in
            var number = number
            number.findings.removeAll { !$0.words.isEmpty && Set($0.words).isSubset(of: taken) }
            return number
        }
        var found = wholes + numbers.flatMap(\.findings)
        found += emails(in: stream)
        found += names(in: stream)
        return PIIReview(
            findings: found.filter { kinds.contains($0.kind) && !$0.words.isEmpty },
            numbers: numbers.map { number in
                var decision = number.decision
                decision.kinds = number.findings.map(\.kind).filter(kinds.contains)
                return decision
            })
    }

    /// The lowercased words before stream position `position`.
    /// Numbers read out before (three number words or more in a row) do not count: digits read in
    /// chunks ("one two three… four five…") leave the question that asked for them in reach, while
    /// "the three digit code" keeps its "three".
    func context(before position: Int, in stream: [StreamWord]) -> [String] {
        var words: [String] = []
        var index = position - 1
        while index >= 0, words.count < contextWords {
            var first = index
            while first > 0, NumberWord.parse(stream[first].word.lower) != nil,
                NumberWord.parse(stream[first - 1].word.lower) != nil
            {
                first -= 1
            }
            let run = NumberWord.parse(stream[index].word.lower) == nil ? 0 : index - first + 1
            if run >= 3 {
                index = first - 1
                continue
            }
            words.append(stream[index].word.lower)
            index -= 1
        }
        return words.reversed()
    }

    // MARK: Numbers

    private func numbers(in stream: [StreamWord]) -> [(findings: [PIIFinding], decision: NumberDecision)] {
        var open: [String: (builder: DigitRunBuilder, start: Int, lastEnd: Double, international: Bool)] = [:]
        var found: [(findings: [PIIFinding], decision: NumberDecision)] = []
        func close(_ speaker: String, stillOpen: Bool = false) {
            guard var entry = open.removeValue(forKey: speaker) else { return }
            let run = entry.builder.finish()
            guard !run.isEmpty else { return }
            let context = context(before: entry.start, in: stream)
            var findings = classify(run, context: context, international: entry.international)
            if findings.isEmpty, stillOpen, redactsOpenNumbers, let kind = Self.openKind(run, context: context) {
                findings = [PIIFinding(kind: kind, words: run.words)]
            }
            found.append(
                (
                    findings,
                    NumberDecision(
                        digits: run.text, words: run.words, mention: PIIContext.latest(in: context).map(\.name),
                        kinds: [])
                ))
        }
        for (position, item) in stream.enumerated() {
            if let entry = open[item.speaker], item.start - entry.lastEnd > runGap { close(item.speaker) }
            if let number = NumberWord.parse(item.word.lower) {
                var entry =
                    open[item.speaker]
                    ?? (DigitRunBuilder(), position, item.end, item.word.text.hasPrefix("+"))
                entry.builder.add(number, word: item.word, at: item.ref)
                entry.lastEnd = item.end
                open[item.speaker] = entry
            } else if var entry = open[item.speaker],
                NumberWord.fillers.contains(item.word.lower) || (item.word.lower == "and" && entry.builder.expectsMore)
            {
                entry.builder.addFiller(at: item.ref)
                open[item.speaker] = entry
            } else {
                close(item.speaker)
                // The other party's words close their numbers too ("and the expiry?"), but not a
                // backchannel while they read ("mm-hm", "go on", "okay").
                if !Self.backchannel.contains(item.word.lower) {
                    for speaker in Array(open.keys) where speaker != item.speaker { close(speaker) }
                }
            }
        }
        for speaker in Array(open.keys) { close(speaker, stillOpen: true) }
        return found
    }

    /// Whether the digits start with a North American number (10 digits, or 11 with the 1).
    static func startsWithPhone(_ digits: [Character]) -> Bool {
        Checksums.isNANPPhone(Array(digits.prefix(10))) || Checksums.isNANPPhone(Array(digits.prefix(11)))
    }

    /// What a number still being read is taken for on a live line: what its mention says, or —
    /// with no mention — a card from six digits on (the first groups of one); never a decoy.
    static func openKind(_ run: DigitRun, context: [String]) -> PIIKind? {
        let count = run.digits.count
        switch PIIContext.latest(in: context) {
        case .card: return count >= 4 ? .cardNumber : nil
        case .securityCode: return .cardSecurityCode
        case .expiry: return count >= 2 ? .cardExpiry : nil
        case .ssn: return count >= 3 ? .ssn : nil
        case .bank: return count >= 4 ? .bankAccount : nil
        case .phone: return count >= 3 ? .phone : nil
        case .birth: return count >= 2 ? .dateOfBirth : nil
        case .decoy: return nil
        case nil: return count >= 6 ? .cardNumber : nil
        }
    }

    /// What a run of digits is, from its digits and the latest mention before it.
    func classify(_ run: DigitRun, context: [String], international: Bool) -> [PIIFinding] {
        let digits = run.digits
        let count = digits.count
        let mention = PIIContext.latest(in: context)
        func whole(_ kind: PIIKind) -> [PIIFinding] {
            [PIIFinding(kind: kind, words: run.words(digits: 0...count - 1))]
        }
        if run.writtenAsSSN, Checksums.isSSN(digits) { return whole(.ssn) }
        // A number with a card's shape and checksum is redacted whatever the words before say
        // (PCI DSS: no card number may be kept; an order number that passes Luhn goes too).
        if Checksums.isCardNumber(digits) { return whole(.cardNumber) }
        let mayBeCard = mention == nil || mention == .card || mention == .securityCode || mention == .expiry
        if mayBeCard, count >= 13 {
            // A card inside a longer run ("oh, 4242 …", or the expiry read straight after it); the
            // common lengths only, each window being a one-in-ten chance to pass Luhn.
            for length in [16, 15] where length < count && count >= 17 {
                for start in 0...(count - length) where Checksums.isCardNumber(digits[start..<start + length]) {
                    var found = [PIIFinding(kind: .cardNumber, words: run.words(digits: start...start + length - 1))]
                    let rest = count - start - length
                    // The expiry read straight after it: its own words (not the tail of one
                    // long word ASR ran the digits into).
                    if mention == .card, (3...6).contains(rest),
                        !Set(run.words(digits: start + length...count - 1)).isSubset(of: found[0].words)
                    {
                        found.append(
                            PIIFinding(kind: .cardExpiry, words: run.words(digits: start + length...count - 1)))
                    }
                    return found
                }
            }
            // In card context a number of a card's length is one, though a digit was misheard.
            if mention == .card, count <= 19 { return whole(.cardNumber) }
        }
        switch mention {
        case .securityCode where (3...4).contains(count): return whole(.cardSecurityCode)
        case .expiry where (3...6).contains(count): return whole(.cardExpiry)
        case .ssn where count == 9: return whole(.ssn)
        // Said again after the other party read part of it back ("nine one seven … [nine one
        // seven] … two two eight …"): one run, longer than the kind allows, that starts with one.
        case .ssn where count > 9 && Checksums.isSSN(Array(digits[0..<9])): return whole(.ssn)
        case .phone where count > 15 && Self.startsWithPhone(digits): return whole(.phone)
        case .bank where (6...17).contains(count): return whole(.bankAccount)
        case .phone where (7...15).contains(count): return whole(.phone)
        // 6 or 8 digits ("03 15 1985"), or a month, day and two-digit year said as numbers
        // ("seven fourteen eighty eight").
        case .birth where (5...8).contains(count): return whole(.dateOfBirth)
        case .decoy: return []
        default: break
        }
        if Checksums.isNANPPhone(digits) || (international && (8...15).contains(count)) { return whole(.phone) }
        return []
    }
}
