import AIClients
import Foundation

/// `GET /api/calls/{id}/transcript?format=`: plain text, SubRip and WebVTT renderings.
enum TranscriptFormat: String, CaseIterable {
    case json, txt, srt, vtt

    var contentType: String {
        switch self {
        case .json: "application/json"
        case .txt: "text/plain; charset=utf-8"
        case .srt: "application/x-subrip; charset=utf-8"
        case .vtt: "text/vtt; charset=utf-8"
        }
    }

    func render(_ transcript: Transcript) -> String {
        let segments = transcript.segments
        switch self {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: (try? encoder.encode(transcript)) ?? Data(), as: UTF8.self)
        case .txt:
            return segments.map { "[\(Self.time($0.startS, separator: "."))] \($0.speaker): \($0.text)" }.joined(
                separator: "\n") + "\n"
        case .srt:
            return segments.enumerated().map { index, segment in
                "\(index + 1)\n\(Self.time(segment.startS, separator: ",")) --> \(Self.time(segment.endS, separator: ","))\n"
                    + "\(segment.speaker): \(segment.text)\n"
            }.joined(separator: "\n")
        case .vtt:
            return "WEBVTT\n\n"
                + segments.map { segment in
                    "\(Self.time(segment.startS, separator: ".")) --> \(Self.time(segment.endS, separator: "."))\n"
                        + "<v \(segment.speaker)>\(Self.vttText(segment))\n"
                }.joined(separator: "\n")
        }
    }

    /// A cue's text; with word timestamps, each word after the first carries its start time
    /// (WebVTT cue timestamps), so players can follow the words.
    static func vttText(_ segment: TranscriptSegment) -> String {
        guard let words = segment.words, !words.isEmpty else { return segment.text }
        return words.enumerated().map { index, word in
            // Inside the cue, as WebVTT requires.
            index == 0
                ? word.word
                : "<\(time(min(max(word.startS, segment.startS), segment.endS), separator: "."))>\(word.word)"
        }.joined(separator: " ")
    }

    /// The longest time shown: segment times come from a transcription service's answer, so one
    /// that is NaN, negative or absurd is clamped (to 0 or this) rather than converted as is.
    static let maxSeconds = 1e9

    /// `HH:MM:SS.mmm` (SubRip uses a comma before the milliseconds).
    static func time(_ seconds: Double, separator: String) -> String {
        let clamped = seconds.isNaN ? 0 : min(max(0, seconds), maxSeconds)
        let milliseconds = Int((clamped * 1_000).rounded())
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let secs = milliseconds / 1_000 % 60
        return String(format: "%02d:%02d:%02d%@%03d", hours, minutes, secs, separator, milliseconds % 1_000)
    }
}
