import AIClients
import Audio
import Testing

@testable import Pipeline

@Suite("Transcript lines on their speech", .timeLimit(.minutes(3)))
struct TranscriptLineBuilderTests {
    static func span(_ start: Double, _ end: Double) -> SpeechSpan {
        SpeechSpan(channel: 0, start: start, end: end, meanSquare: 0.01, speechFrames: Int((end - start) / 0.02))
    }

    let builder = TranscriptLineBuilder(
        maxPause: 1.0, spans: [span(10.0, 12.0), span(12.4, 13.0), span(29.2, 29.8), span(41.0, 41.4)])

    @Test func splitsAtLongPausesBetweenWordsKeepingTheTextsPunctuation() {
        let words = [
            TranscribedWord(word: " He", start: 10.0, end: 10.3),
            TranscribedWord(word: " was", start: 10.35, end: 11.9),
            TranscribedWord(word: " not", start: 12.45, end: 12.9),
            TranscribedWord(word: " ill", start: 29.25, end: 29.5),
            TranscribedWord(word: "-disposed", start: 29.5, end: 29.8),
            TranscribedWord(word: " really", start: 41.0, end: 41.4),
        ]
        let lines = builder.lines(
            text: "He was not, ill-disposed. Really?", start: 10.0, end: 41.4, words: words)
        #expect(lines.map(\.text) == ["He was not,", "ill-disposed.", "Really?"])
        #expect(lines.map(\.start) == [10.0, 29.25, 41.0])
        #expect(lines.map(\.end) == [12.9, 29.8, 41.4])
        #expect(lines[1].words?.map(\.word) == ["ill", "-disposed"])
        #expect(lines[0].words?.map(\.word) == ["He", "was", "not,"])
    }

    @Test func withoutWordsSharesTheTextAmongStretchesOfSpeech() {
        // The case: "he was." mapped from 29.2 to 41.4 s across the other party's turn.
        let lines = builder.lines(text: "he was.", start: 29.2, end: 41.4, words: [])
        #expect(lines.map(\.text) == ["he", "was."])
        #expect(lines.map(\.start) == [29.2, 41.0])
        #expect(lines.map(\.end) == [29.8, 41.4])
        #expect(lines.allSatisfy { $0.words == nil })
    }

    @Test func aLineWithShortPausesStaysOneAndIsTightenedToSpeech() {
        let lines = builder.lines(text: "Hello there.", start: 9.5, end: 13.4, words: [])
        #expect(lines == [.init(start: 10.0, end: 13.0, text: "Hello there.", words: nil)])
    }

    @Test func moreStretchesThanWordsKeepOneLine() {
        let lines = builder.lines(text: "Okay.", start: 10, end: 41.4, words: [])
        #expect(lines.count == 1 && lines[0].start == 10 && lines[0].end == 41.4)
    }

    @Test func textAlignsWithWordsThatSpellNumbersDifferently() {
        let pieces = TranscriptLineBuilder.split(
            text: "It costs $5, right? Yes.", words: ["It", "costs", "five", "dollars", "right", "Yes"], at: [4])
        #expect(pieces == ["It costs $5, right?", "Yes."])
        #expect(
            TranscriptLineBuilder.split(text: "one two three", words: ["one", "two", "three"], at: [1, 2])
                == ["one", "two", "three"])
        // More pieces than written tokens: the words' own text.
        #expect(TranscriptLineBuilder.split(text: "whatever", words: ["what", "ever"], at: [1]) == ["what", "ever"])
    }

    @Test func wordsAreGivenToTheSegmentTheyFallIn() {
        let segments = [
            TranscribedSegment(start: 0, end: 2, text: "a b"), TranscribedSegment(start: 2, end: 4, text: "c"),
        ]
        let words = [
            TranscribedWord(word: "a", start: 0.1, end: 0.5), TranscribedWord(word: "b", start: 1.8, end: 2.1),
            TranscribedWord(word: "c", start: 2.5, end: 3), TranscribedWord(word: "d", start: 4.5, end: 5),
        ]
        let assigned = CallTranscriber.assign(words, to: segments)
        #expect(assigned.map { $0.map(\.word) } == [["a", "b"], ["c", "d"]])
    }

    @Test func aWordStretchedOverACompactionGapStaysInOnePiece() {
        var timeline = CompactTimeline(sampleRate: 100)
        timeline.pieces = [
            .init(fileFrame: 0, recordingFrame: 1_000, frames: 100),
            .init(fileFrame: 160, recordingFrame: 5_000, frames: 100),
        ]
        // 0.9–1.7 s in the file: mostly in the first piece (0–1 s), past its end into the gap.
        let range = timeline.recordingRange(ofFileStart: 0.9, end: 1.7)
        #expect(range.start == 10.9 && range.end == 11.0)
        let second = timeline.recordingRange(ofFileStart: 1.5, end: 1.9)
        #expect(second.start == 50.0 && second.end == 50.3)
        // Wholly in the gap: the nearer piece's edge.
        let gap = timeline.recordingRange(ofFileStart: 1.52, end: 1.55)
        #expect(gap.start == 50.0 && gap.end == 50.0)
    }
}
