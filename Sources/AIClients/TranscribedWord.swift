/// A word with its times in the audio sent, as a model returned it (`verbose_json` with
/// `timestamp_granularities[]=word`). Whisper's words may carry a leading space and, from some
/// servers, punctuation; OpenAI's carry neither.
package struct TranscribedWord: Sendable, Equatable {
    package var word: String
    package var start: Double
    package var end: Double

    package init(word: String, start: Double, end: Double) {
        self.word = word
        self.start = start
        self.end = end
    }
}
