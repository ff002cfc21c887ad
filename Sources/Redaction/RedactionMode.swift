/// What `CALLPIPE_REDACT` redacts (docs/redaction.md "Configuration").
package enum RedactionMode: String, Sendable, Equatable, CaseIterable, Codable {
    /// Nothing: transcripts, summaries and recordings keep what was said.
    case off
    /// Transcripts, summaries, live lines, search, CRM and webhooks; the recording stays as it was.
    case text
    /// As `text`, and the recording's stretches that said it are muted (the default).
    case textAndAudio = "text+audio"

    package var redactsAudio: Bool { self == .textAndAudio }
}
