/// The kinds said in words rather than digits: dates, e-mail addresses, street addresses, names,
/// IBANs.
extension PIIDetector {
    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    static let ordinals: Set<String> = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
        "twentieth", "thirtieth",
    ]
    /// Words that say an e-mail address comes.
    static let emailMentions: Set<String> = ["email", "e-mail", "mail", "address", "emails", "e-mails"]

    /// One word that holds a local part, "at" and a domain ending in a top-level domain
    /// ("jsmithatgmail.com").
    static func isRunTogetherEmail(_ word: String) -> Bool {
        let parts = word.split(separator: ".")
        guard parts.count >= 2, let tld = parts.last, topLevelDomains.contains(String(tld)) else { return false }
        // "at" with a local part before it and a domain name after it.
        let first = Array(parts[0])
        guard first.count >= 4, (1..<first.count - 2).contains(where: { first[$0] == "a" && first[$0 + 1] == "t" })
        else { return false }
        return word.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static let topLevelDomains: Set<String> = [
        "com", "net", "org", "edu", "gov", "io", "co", "uk", "us", "ca", "de", "fr", "info", "biz", "me", "ai",
        "app", "dev", "au", "nl", "es", "it",
    ]
    static let streetSuffixes: Set<String> = [
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court",
        "ct", "way", "place", "pl", "terrace", "circle", "highway", "hwy", "parkway", "square", "trail", "crescent",
    ]
    static let unitWords: Set<String> = ["apartment", "apt", "unit", "suite", "flat", "#"]

    static func isOrdinal(_ word: String) -> Bool {
        if ordinals.contains(word) { return true }
        if let dash = word.firstIndex(of: "-"), NumberWord.tensWords[String(word[..<dash])] != nil {
            return ordinals.contains(String(word[word.index(after: dash)...]))
        }
        for suffix in ["st", "nd", "rd", "th"] where word.hasSuffix(suffix) {
            return word.dropLast(2).allSatisfy(\.isNumber) && word.count > 2
        }
        return false
    }

    /// Dates with a month's name after a mention of a birth date or an expiry: "march third
    /// nineteen eighty five", "the fifteenth of march 1985", "april twenty twenty six".
    func dates(in stream: [StreamWord]) -> [PIIFinding] {
        var found: [PIIFinding] = []
        for (position, item) in stream.enumerated() where Self.months.contains(item.word.lower) {
            let kind: PIIKind
            switch PIIContext.latest(in: context(before: position, in: stream)) {
            case .birth: kind = .dateOfBirth
            case .expiry, .card: kind = .cardExpiry
            default: continue
            }
            func isDatePart(_ other: StreamWord) -> Bool {
                other.speaker == item.speaker
                    && (Self.isOrdinal(other.word.lower) || NumberWord.parse(other.word.lower) != nil
                        || ["of", "the", "and"].contains(other.word.lower)
                        || NumberWord.fillers.contains(other.word.lower))
            }
            var first = position
            while first > 0, position - first < 3, isDatePart(stream[first - 1]),
                stream[first - 1].word.lower != "and"
            {
                first -= 1
            }
            while first < position, ["of", "the"].contains(stream[first].word.lower) { first += 1 }
            var last = position
            while last + 1 < stream.count, last - position < 6, isDatePart(stream[last + 1]) { last += 1 }
            while last > position, ["of", "the", "and"].contains(stream[last].word.lower) { last -= 1 }
            found.append(
                PIIFinding(kind: kind, words: stream[first...last].filter { $0.speaker == item.speaker }.map(\.ref)))
        }
        return found
    }

    /// E-mail addresses, written ("j.smith@example.com") or said ("john dot smith at example dot
    /// com", "j s m i t h at gmail dot com").
    func emails(in stream: [StreamWord]) -> [PIIFinding] {
        var found: [PIIFinding] = []
        for (position, item) in stream.enumerated() {
            if let at = item.word.lower.firstIndex(of: "@"), item.word.lower[at...].contains(".") {
                found.append(PIIFinding(kind: .email, words: [item.ref]))
                continue
            }
            // ASR runs a said address together ("JSmithatGmail.com"): after a mention of e-mail.
            if Self.isRunTogetherEmail(item.word.lower),
                context(before: position, in: stream).suffix(8).contains(where: Self.emailMentions.contains)
            {
                found.append(PIIFinding(kind: .email, words: [item.ref]))
                continue
            }
            guard item.word.lower == "at", position > 0, position + 3 < stream.count else { continue }
            let speaker = item.speaker
            func said(_ index: Int) -> String? {
                index >= 0 && index < stream.count && stream[index].speaker == speaker ? stream[index].word.lower : nil
            }
            // The domain: a word, then ("dot" word)+ ending in a top-level domain.
            var end = position + 1
            guard let domain = said(end), domain.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
            else {
                continue
            }
            var endsInDomain = false
            // ASR may split a said domain in two ("tanaka family dot net").
            if said(end + 1) != "dot", said(end + 2) == "dot", let second = said(end + 1),
                second.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !Self.stopWords.contains(second)
            {
                end += 1
            }
            while said(end + 1) == "dot", let part = said(end + 2) {
                end += 2
                endsInDomain = Self.topLevelDomains.contains(part)
            }
            if !endsInDomain, domain.contains("."), let last = domain.split(separator: ".").last {
                endsInDomain = Self.topLevelDomains.contains(String(last))
            }
            guard endsInDomain else { continue }
            // The local part: a word, or spelled letters, joined by "dot"/"underscore"/"dash".
            var start = position - 1
            guard let local = said(start),
                !Self.stopWords.contains(local) || local == "a" && said(start - 1).map({ $0.count == 1 }) == true
            else { continue }
            while let separator = said(start - 1), ["dot", "underscore", "dash", "hyphen"].contains(separator),
                said(start - 2) != nil
            {
                start -= 2
            }
            if local.count == 1 {  // Spelled out: "j s m i t h at …", "c g a r c i a at …"
                while let letter = said(start - 1), letter.count == 1, letter.first!.isLetter {
                    // "a" is a letter of the address only inside the run, not the article before it.
                    if letter == "a", said(start - 2).map({ $0.count != 1 }) ?? true { break }
                    start -= 1
                }
            } else if start == position - 1, let first = said(start - 1), !Self.stopWords.contains(first),
                first.allSatisfy(\.isLetter), let before = said(start - 2),
                Self.stopWords.contains(before) || Self.emailMentions.contains(before)
            {
                // "my email is john smith at gmail.com": a first and last name as the local part.
                start -= 1
            }
            found.append(PIIFinding(kind: .email, words: stream[start...end].map(\.ref)))
        }
        return found
    }

    /// Street addresses: a house number, up to four words and a street suffix ("221 Baker
    /// Street", "one two three main st"), with an apartment or suite after it.
    func addresses(in stream: [StreamWord]) -> [PIIFinding] {
        var found: [PIIFinding] = []
        for (position, item) in stream.enumerated() where Self.streetSuffixes.contains(item.word.lower) {
            let line = item.ref.line
            func inLine(_ index: Int) -> Bool { index >= 0 && index < stream.count && stream[index].ref.line == line }
            // Back over the street's name to its number.
            var index = position - 1
            var nameWords = 0
            while inLine(index), NumberWord.parse(stream[index].word.lower) == nil, nameWords < 4,
                !Self.stopWords.contains(stream[index].word.lower)
            {
                index -= 1
                nameWords += 1
            }
            guard nameWords > 0, inLine(index), NumberWord.parse(stream[index].word.lower) != nil else { continue }
            var start = index
            while inLine(start - 1), NumberWord.parse(stream[start - 1].word.lower) != nil { start -= 1 }
            var end = position
            if inLine(end + 2), Self.unitWords.contains(stream[end + 1].word.lower) { end += 2 }
            found.append(PIIFinding(kind: .address, words: stream[start...end].map(\.ref)))
        }
        return found
    }

    /// A name the speaker gives ("my name is Jane Doe", "this is Jane", "Mrs Doe"): one or two
    /// words after the phrase, capitalised (ASR capitalises names) unless after "my name is".
    func names(in stream: [StreamWord]) -> [PIIFinding] {
        let openers: [([String], Bool)] = [
            (["my", "name", "is"], false), (["name's"], false), (["this", "is"], true), (["i'm"], true),
            (["speaking", "with"], true), (["mr"], true), (["mrs"], true), (["ms"], true), (["miss"], true),
            (["dr"], true),
        ]
        var found: [PIIFinding] = []
        for (position, item) in stream.enumerated() {
            for (phrase, capitalised) in openers where phrase.last == item.word.lower {
                let start = position - phrase.count + 1
                guard start >= 0,
                    stream[start...position].map(\.word.lower).elementsEqual(phrase),
                    stream[start...position].allSatisfy({ $0.speaker == item.speaker })
                else { continue }
                var words: [WordRef] = []
                var next = position + 1
                while next < stream.count, words.count < 2, stream[next].speaker == item.speaker,
                    stream[next].ref.line == item.ref.line
                {
                    let word = stream[next].word
                    guard !Self.stopWords.contains(word.lower), NumberWord.parse(word.lower) == nil,
                        word.text.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" }),
                        !capitalised || word.text.first?.isUppercase == true
                    else { break }
                    words.append(stream[next].ref)
                    next += 1
                }
                if !words.isEmpty { found.append(PIIFinding(kind: .person, words: words)) }
            }
        }
        return found + answeredNames(in: stream)
    }

    /// A name given in answer to the other party's question for it ("Who am I speaking with?" —
    /// "It's Jane Doe."): the first one to three capitalised words of the answer's line.
    func answeredNames(in stream: [StreamWord]) -> [PIIFinding] {
        var found: [PIIFinding] = []
        var asked: (speaker: String, line: Int)?
        var position = 0
        while position < stream.count {
            let line = stream[position].ref.line
            var end = position
            while end + 1 < stream.count, stream[end + 1].ref.line == line { end += 1 }
            let words = stream[position...end]
            let speaker = stream[position].speaker
            if let question = asked, question.speaker != speaker, question.line < line {
                asked = nil
                let name = words.drop { !Self.isNameWord($0.word) }.prefix { Self.isNameWord($0.word) }.prefix(3)
                if !name.isEmpty { found.append(PIIFinding(kind: .person, words: name.map(\.ref))) }
            }
            let lower = words.map(\.word.lower)
            let asksForName =
                lower.contains("name")
                && (words.contains(where: \.asks) || lower.contains { Self.requestWords.contains($0) })
            let asksWho =
                words.contains(where: \.asks)
                && (Self.contains(lower, ["speaking", "with"]) || Self.contains(lower, ["speaking", "to"])
                    || Self.contains(lower, ["who", "is", "this"]) || Self.contains(lower, ["who", "do", "i"])
                    || Self.contains(lower, ["who's", "calling"]) || Self.contains(lower, ["who", "am", "i"]))
            if asksForName || asksWho {
                asked = (speaker, line)
            }
            position = end + 1
        }
        return found
    }

    /// A capitalised word that can be a name (not "It's", "I", "Yes", a number…).
    static func isNameWord(_ word: SpokenWord) -> Bool {
        guard let first = word.text.first, first.isUppercase, word.text.count > 1,
            word.text.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" })
        else { return false }
        return !stopWords.contains(word.lower) && !answerWords.contains(word.lower)
            && NumberWord.parse(word.lower) == nil
    }

    /// Words that open an answer, capitalised at the start of a line but no name.
    static let answerWords: Set<String> = [
        "hi", "hello", "hey", "sure", "yeah", "yep", "um", "uh", "oh", "speaking", "thanks", "thank", "please", "hmm",
        "good", "morning", "afternoon", "evening", "certainly", "of", "course", "name", "my", "i'm", "im", "this",
        "that's", "it", "its", "mr", "mrs", "ms", "dr", "miss", "the", "what's", "what", "can", "could", "would",
        "i've", "i'll", "i'd", "do", "does", "did", "is", "are", "how", "where", "when", "why", "which", "who", "okay",
        "ok", "let", "just", "well", "so", "no", "yes", "right", "sorry", "excuse", "actually", "ha", "haha", "ah",
        "wow", "oops", "hm",
    ]

    /// Words that make a mention of a name a request for it ("I'll need your full name").
    static let requestWords: Set<String> = ["need", "please", "can", "could", "may", "confirm", "spell", "give"]

    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard words.count >= phrase.count else { return false }
        return (0...(words.count - phrase.count)).contains { words[$0..<$0 + phrase.count].elementsEqual(phrase) }
    }

    /// IBANs written in groups ("GB82 WEST 1234 5698 7654 32") or as one word, by their checksum.
    func ibans(in stream: [StreamWord]) -> [PIIFinding] {
        var found: [PIIFinding] = []
        var position = 0
        while position < stream.count {
            let first = stream[position].word.text
            guard first.count >= 4, first.prefix(2).allSatisfy({ $0.isASCII && $0.isLetter }),
                first.dropFirst(2).prefix(2).allSatisfy(\.isNumber)
            else {
                position += 1
                continue
            }
            var text = String(first)
            var end = position
            var matched: Int?
            while true {
                if Checksums.isIBAN(text) { matched = end }
                guard end + 1 < stream.count, stream[end + 1].ref.line == stream[position].ref.line, text.count < 34,
                    stream[end + 1].word.text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
                else { break }
                end += 1
                text += stream[end].word.text
            }
            if let matched {
                found.append(PIIFinding(kind: .bankAccount, words: stream[position...matched].map(\.ref)))
                position = matched + 1
            } else {
                position += 1
            }
        }
        return found
    }

    static let stopWords: Set<String> = [
        "is", "it", "it's", "the", "a", "an", "and", "or", "my", "your", "me", "i", "you", "we", "to", "of", "in",
        "on", "at", "for", "that", "this", "be", "was", "with", "calling", "about", "just", "here", "there",
        "sorry", "yes", "no", "okay", "ok", "so", "well", "actually", "going", "from", "not", "sure", "still",
    ]
}
