import AIClients
import Audio
import CallPipeCore
import Foundation
import Logging
import Redaction

/// The redaction stage inside transcribe and summarize (docs/redaction.md): nothing leaves these
/// stages — for the store, search, rooms, CRM or webhooks — before it is redacted.
extension StageRunner {
    /// The transcript redacted as the call's source is configured, with the record to store; for
    /// `text+audio`, the recording is written again with the findings' stretches muted.
    func redact(_ transcript: Transcript, call: StoredCall, recording: StoredRecording) async throws -> (
        Transcript, RecordingRedaction?
    ) {
        let mode = redaction.mode(forSource: call.source)
        guard mode != .off else { return (transcript, nil) }
        let found = TranscriptRedactor(kinds: redaction.kinds, auditKey: redaction.auditKey).redact(transcript)
        var record = found.record(mode: mode)
        if mode.redactsAudio, !found.spans.isEmpty {
            (record.audio, record.replacement) = try await redactAudio(
                recording, muting: found.mutedRanges(margin: redaction.audioMargin))
        }
        if !found.spans.isEmpty {
            logger.info(
                "Redacted",
                metadata: [
                    "call.id": "\(call.id)", "recording.id": "\(recording.id)",
                    "counts": "\(found.counts.sorted { $0.key < $1.key })", "audio": "\(record.audio != nil)",
                ])
        }
        return (found.transcript, record)
    }

    /// The analyzer's output checked again: it saw redacted lines, but may restate what it inferred.
    func redact(_ insights: CallInsights, call: StoredCall) -> CallInsights {
        guard redaction.mode(forSource: call.source) != .off else { return insights }
        let (redacted, counts) = InsightsRedactor(kinds: redaction.kinds).redact(insights)
        if !counts.isEmpty {
            logger.info(
                "Redacted the analyzer's output",
                metadata: ["call.id": "\(call.id)", "counts": "\(counts.map { "\($0.key.rawValue)=\($0.value)" })"])
        }
        return redacted
    }

    /// Writes the recording again with `ranges` muted and keeps it beside the original, which the
    /// worker deletes once the row points to the redacted file (or seals first, with
    /// `CALLPIPE_PII_KEEP_ORIGINAL`). A new name each time, so a recording redacted again is never
    /// written over while it is read.
    private func redactAudio(_ recording: StoredRecording, muting ranges: [ClosedRange<Double>]) async throws -> (
        RecordingRedaction.Audio, RecordingRedaction.Replacement
    ) {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let name = "\(recording.id)-redacted-\(suffix).flac"
        let sealedName = "\(recording.id)-original-\(suffix).sealed"
        let directory =
            storage.kind == "local"
            ? (recording.path as NSString).deletingLastPathComponent
            : (NSTemporaryDirectory() as NSString).appendingPathComponent("callpipe-redaction-\(suffix)")
        try DurableFiles.createDirectory(directory)
        let local = (directory as NSString).appendingPathComponent(name)
        let localSealed = (directory as NSString).appendingPathComponent(sealedName)
        let key = redaction.keepOriginalKey
        let output = try await storage.withLocalFile(recording.path) { path in
            let output = try await AudioRedactor(decoder: recordingAnalyzer.decoder).write(
                path, muting: ranges, to: local)
            if let key { try Self.seal(path, to: localSealed, key: key) }
            return output
        }
        try DurableFiles.synchronizeDirectory(directory)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: local)[.size] as? NSNumber)?.int64Value ?? 0
        let location = try await storage.keep(local, key: "\(recording.callID)/\(name)", contentType: "audio/flac")
        var sealedLocation: String?
        if key != nil {
            sealedLocation = try await storage.keep(
                localSealed, key: "\(recording.callID)/\(sealedName)", contentType: "application/octet-stream")
            if sealedLocation != localSealed { try? FileManager.default.removeItem(atPath: localSealed) }
        }
        if location != local { try? FileManager.default.removeItem(atPath: local) }
        if storage.kind != "local" { try? FileManager.default.removeItem(atPath: directory) }
        return (
            RecordingRedaction.Audio(
                mutedSpans: ranges.count, mutedS: (output.mutedSeconds * 100).rounded() / 100, fill: "silence",
                original: key == nil ? "deleted" : "sealed"),
            RecordingRedaction.Replacement(
                location: location, bytes: bytes, contentType: "audio/flac", format: "flac", codec: "flac",
                originalLocation: recording.path, sealedOriginal: sealedLocation)
        )
    }

    /// The original sealed with AES-256-GCM under the key of `CALLPIPE_PII_KEEP_ORIGINAL`, bound to
    /// what it is (`SealedOriginal.context`), flushed to the disk.
    static func seal(_ path: String, to output: String, key: Data) throws {
        try SealedOriginal.seal(try Data(contentsOf: URL(fileURLWithPath: path)), key: key)
            .write(to: URL(fileURLWithPath: output))
        try DurableFiles.synchronizeFile(output)
    }
}
