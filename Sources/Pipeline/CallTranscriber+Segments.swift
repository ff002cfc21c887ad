import AIClients
import Audio
import Foundation

/// From a chunk's model segments to call segments: rebased, tightened to speech, filtered.
extension CallTranscriber {
    static func segments(
        of result: TranscriptionResult, file: ChunkExporter.ExportedChunk, track: Track,
        configuration: CallTranscriptionConfiguration
    ) -> [TranscriptSegment] {
        let chunk = file.chunk
        return result.segments.compactMap { segment in
            let text = segment.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return nil }
            let start = file.timeline?.recordingTime(ofFileTime: segment.start) ?? chunk.start + segment.start
            let end = min(chunk.end, file.timeline?.recordingTime(ofFileTime: segment.end) ?? chunk.start + segment.end)
            let overlapping = track.spans.filter { $0.end > start && $0.start < end }
            let speech = overlapping.reduce(0) { $0 + min($1.end, end) - max($1.start, start) }
            let noSpeech = segment.noSpeechProbability ?? 0
            // Words over audio our VAD calls silent, that the model itself doubts: a hallucination.
            if noSpeech >= configuration.hallucinationNoSpeechProbability, speech < 0.3 * max(0.01, end - start) {
                return nil
            }
            if overlapping.isEmpty, noSpeech > 0.2 { return nil }
            // Whisper's segment edges are coarse; our speech spans are exact to 20 ms.
            let tightStart = overlapping.first.map { max(start, $0.start) } ?? start
            let tightEnd = overlapping.last.map { min(end, $0.end) } ?? end
            let speaker =
                track.speaker == Speaker.unknown.rawValue
                ? (segment.speakerLabel.flatMap { ["agent", "customer"].contains($0) ? $0 : nil } ?? track.speaker)
                : track.speaker
            return TranscriptSegment(
                speaker: speaker, startS: round(tightStart), endS: round(max(tightStart, tightEnd)), text: text,
                confidence: segment.confidence)
        }
    }

    private static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
