import AIClients
import Audio
import Foundation

/// From a chunk's model segments to call lines: rebased, filtered, put on the speech.
extension CallTranscriber {
    static func segments(
        of result: TranscriptionResult, file: ChunkExporter.ExportedChunk, track: Track,
        configuration: CallTranscriptionConfiguration
    ) -> [TranscriptSegment] {
        let chunk = file.chunk
        let builder = TranscriptLineBuilder(maxPause: configuration.maxLinePause, spans: track.spans)
        let wordsBySegment = assign(result.words, to: result.segments)
        return zip(result.segments, wordsBySegment).flatMap { segment, words -> [TranscriptSegment] in
            let text = segment.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return [] }
            let start = file.timeline?.recordingTime(ofFileTime: segment.start) ?? chunk.start + segment.start
            let end = min(chunk.end, file.timeline?.recordingTime(ofFileTime: segment.end) ?? chunk.start + segment.end)
            let overlapping = track.spans.filter { $0.end > start && $0.start < end }
            // How much of what the model heard was speech: in a compacted file, the share of the
            // segment on pieces rather than on the gaps between them (its recording range may
            // span the other party's turns); otherwise the share on our speech spans.
            let heard = max(0.01, segment.end - segment.start)
            let speech =
                file.timeline.map { $0.pieceSeconds(fromFileTime: segment.start, to: segment.end) / heard }
                ?? overlapping.reduce(0) { $0 + min($1.end, end) - max($1.start, start) } / max(0.01, end - start)
            let noSpeech = segment.noSpeechProbability ?? 0
            // Words over audio our VAD calls silent, that the model itself doubts: a hallucination.
            if noSpeech >= configuration.hallucinationNoSpeechProbability, speech < 0.3 { return [] }
            if overlapping.isEmpty, noSpeech > 0.2 { return [] }
            let speaker =
                track.speaker == Speaker.unknown.rawValue
                ? (segment.speakerLabel.flatMap { ["agent", "customer"].contains($0) ? $0 : nil } ?? track.speaker)
                : track.speaker
            let mapped = words.map { word in
                let range =
                    file.timeline?.recordingRange(ofFileStart: word.start, end: word.end)
                    ?? (start: chunk.start + word.start, end: chunk.start + word.end)
                return TranscribedWord(word: word.word, start: range.start, end: min(chunk.end, range.end))
            }
            return builder.lines(text: text, start: start, end: max(start, end), words: mapped).map { line in
                TranscriptSegment(
                    speaker: speaker, startS: line.start, endS: line.end, text: line.text,
                    confidence: segment.confidence, words: line.words)
            }
        }
    }

    /// Each word given to the segment its middle falls in, else the nearest one: OpenAI returns
    /// the words of a file in one list beside the segments.
    static func assign(_ words: [TranscribedWord], to segments: [TranscribedSegment]) -> [[TranscribedWord]] {
        var assigned = [[TranscribedWord]](repeating: [], count: segments.count)
        guard !segments.isEmpty else { return assigned }
        for word in words {
            let middle = (word.start + word.end) / 2
            let index =
                segments.firstIndex { middle >= $0.start && middle < $0.end }
                ?? segments.indices.min {
                    distance(middle, segments[$0]) < distance(middle, segments[$1])
                }!
            assigned[index].append(word)
        }
        return assigned
    }

    private static func distance(_ time: Double, _ segment: TranscribedSegment) -> Double {
        max(segment.start - time, time - segment.end, 0)
    }
}
