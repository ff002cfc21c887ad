/// One word of a transcript line with its times in the recording (docs/ARCHITECTURE.md §3
/// `CallReport.transcript`), present when the transcription model gives word timestamps: what
/// click-to-seek and the WebVTT export land on. Field names are a contract.
package struct TranscriptWord: Sendable, Codable, Equatable {
    /// The word as written in the line, with its punctuation.
    package var word: String
    package var startS: Double
    package var endS: Double

    package init(word: String, startS: Double, endS: Double) {
        self.word = word
        self.startS = startS
        self.endS = endS
    }

    enum CodingKeys: String, CodingKey {
        case word
        case startS = "start_s"
        case endS = "end_s"
    }
}
