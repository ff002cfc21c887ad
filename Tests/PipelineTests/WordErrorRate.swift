import Foundation

/// Word error rate: word-level edit distance over the reference's length, after normalising case,
/// punctuation and digits ("4, 5" and "four five" are the same words).
enum WordErrorRate {
    static let digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    static func words(_ text: String) -> [String] {
        text.lowercased()
            .split { !($0.isLetter || $0.isNumber || $0 == "'") }
            .flatMap { word -> [String] in
                word.allSatisfy(\.isNumber)
                    ? word.compactMap { $0.wholeNumberValue.map { digits[$0] } } : [String(word)]
            }
            .map { $0.replacingOccurrences(of: "'", with: "") }
    }

    static func rate(reference: String, hypothesis: String) -> Double {
        let expected = words(reference)
        let actual = words(hypothesis)
        guard !expected.isEmpty else { return actual.isEmpty ? 0 : 1 }
        var previous = Array(0...actual.count)
        for (i, word) in expected.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: actual.count)
            for (j, other) in actual.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (word == other ? 0 : 1))
            }
            previous = current
        }
        return Double(previous[actual.count]) / Double(expected.count)
    }
}
