/// What a word says as a number, the way callers read numbers out: digit by digit ("four two"),
/// "oh" for zero, "double five", pairs ("forty two"), written digits with separators ("4242-4242").
enum NumberWord: Equatable {
    /// Digits as said: "4", "4242", "0" for "oh".
    case digits(String)
    /// "twenty" … "ninety": one digit of tens, waiting for a unit ("forty two" → 42).
    case tens(Int)
    /// "double", "triple": the next digit said that many times.
    case repeatNext(Int)
    /// "hundred": the digit before, then two more.
    case hundred
    /// "thousand": "two thousand (and) five" → 2005.
    case thousand

    static let units: [String: Int] = [
        "zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9,
    ]
    static let teens: [String: Int] = [
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    static let tensWords: [String: Int] = [
        "twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7, "eighty": 8, "ninety": 9,
    ]

    /// The number a lowercased word says, if any (`nil` for words that are not numbers).
    static func parse(_ word: String) -> NumberWord? {
        if let unit = units[word] { return .digits(String(unit)) }
        if let teen = teens[word] { return .digits(String(teen)) }
        if let tens = tensWords[word] { return .tens(tens) }
        switch word {
        case "double": return .repeatNext(2)
        case "triple": return .repeatNext(3)
        case "hundred": return .hundred
        case "thousand": return .thousand
        default: break
        }
        // "forty-two"
        if let dash = word.firstIndex(of: "-"), let tens = tensWords[String(word[..<dash])],
            let unit = units[String(word[word.index(after: dash)...])], unit > 0
        {
            return .digits("\(tens)\(unit)")
        }
        // Written digits, maybe grouped: "4242", "4242-4242", "555.123.4567", "+1", "(555)".
        var digits = ""
        for character in word {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !"-./()+".contains(character) {
                return nil
            }
        }
        return digits.isEmpty ? nil : .digits(digits)
    }

    /// Words said inside a number without being part of it.
    static let fillers: Set<String> = ["uh", "um", "er", "erm", "ah", "hmm", "dash", "hyphen", "space"]
}
