import AIClients
import Redaction

/// Live lines are redacted before anything sees them (docs/redaction.md "Live"): rooms, the
/// cluster's event relay, keyword alerts and the analyzer's sentiment requests. The call's stored
/// transcript comes from its recording after the call, redacted there.
extension LiveSession {
    func redactedFinal(_ segment: TranscriptSegment) -> TranscriptSegment {
        guard lineRedactor != nil else { return segment }
        var redacted = segment
        redacted.text = lineRedactor!.final(Self.line(segment)).text
        return redacted
    }

    func redactedInterim(_ segment: TranscriptSegment) -> TranscriptSegment {
        guard let lineRedactor else { return segment }
        var redacted = segment
        redacted.text = lineRedactor.interim(Self.line(segment)).text
        return redacted
    }

    private static func line(_ segment: TranscriptSegment) -> RedactionLine {
        RedactionLine(speaker: segment.speaker, start: segment.startS, end: segment.endS, text: segment.text)
    }
}
