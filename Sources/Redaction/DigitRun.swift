/// Digits said in a row by one speaker, each with the word that said it, built from number words
/// (`NumberWord`): "four two four two" → 4242, "forty two" → 42, "double five" → 55,
/// "five hundred twelve" → 512, "two thousand five" → 2005.
struct DigitRun {
    var digits: [Character] = []
    /// The word each digit came from.
    var sources: [WordRef] = []
    /// Every word of the run, fillers included, in order.
    var words: [WordRef] = []
    /// A digit group written in one word as 3-2-4 ("123-45-6789").
    var writtenAsSSN = false

    var isEmpty: Bool { digits.isEmpty }
    var text: String { String(digits) }

    /// The run's words from the one that said digit `first` to the one that said digit `last`.
    func words(digits range: ClosedRange<Int>) -> [WordRef] {
        let from = sources[range.lowerBound]
        let to = sources[range.upperBound]
        return words.filter { $0 >= from && $0 <= to }
    }
}

/// Builds a `DigitRun` word by word.
struct DigitRunBuilder {
    private(set) var run = DigitRun()
    private var pendingTens: (digit: Int, source: WordRef)?
    private var repeatCount: Int?
    /// After "hundred"/"thousand": the next group is padded to this many digits.
    private var pad: (width: Int, source: WordRef)?

    var isEmpty: Bool { run.words.isEmpty }
    /// Whether "and" may go on the run ("five hundred and twelve").
    var expectsMore: Bool { pad != nil }

    mutating func add(_ number: NumberWord, word: SpokenWord, at ref: WordRef) {
        run.words.append(ref)
        switch number {
        case .digits(let digits):
            if let tens = pendingTens {
                pendingTens = nil
                if digits.count == 1, digits != "0" {
                    emit("\(tens.digit)\(digits)", sources: [tens.source, ref])
                    return
                }
                emit("\(tens.digit)0", sources: [tens.source])
            }
            if let count = repeatCount {
                repeatCount = nil
                if digits.count == 1 {
                    emit(String(repeating: digits, count: count), sources: [ref])
                    return
                }
            }
            if word.text.split(separator: "-").map(\.count) == [3, 2, 4] { run.writtenAsSSN = true }
            emit(digits, sources: [ref])
        case .tens(let digit):
            flushTens()
            pendingTens = (digit, ref)
        case .repeatNext(let count):
            flushTens()
            repeatCount = count
        case .hundred:
            flushTens()
            pad = (2, ref)
        case .thousand:
            flushTens()
            pad = (3, ref)
        }
    }

    /// A filler said inside the number ("uh", "dash", "and" after "hundred").
    mutating func addFiller(at ref: WordRef) {
        run.words.append(ref)
    }

    /// The run, with what was still pending said out ("forty" → 40, "hundred" → 00).
    mutating func finish() -> DigitRun {
        flushTens()
        if let pad {
            self.pad = nil
            emit("", sources: [pad.source])
        }
        let finished = run
        self = DigitRunBuilder()
        return finished
    }

    private mutating func flushTens() {
        guard let tens = pendingTens else { return }
        pendingTens = nil
        emit("\(tens.digit)0", sources: [tens.source])
    }

    private mutating func emit(_ digits: String, sources: [WordRef]) {
        var digits = digits
        var sources = sources
        if let pad {
            self.pad = nil
            let missing = max(0, pad.width - digits.count)
            digits = String(repeating: "0", count: missing) + digits
            sources = Array(repeating: pad.source, count: missing) + sources
        }
        for (index, digit) in digits.enumerated() {
            run.digits.append(digit)
            run.sources.append(sources[min(index, sources.count - 1)])
        }
    }
}
