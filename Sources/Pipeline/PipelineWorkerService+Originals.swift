import CallPipeCore
import Logging

/// Originals of redacted recordings (docs/redaction.md "Audio"): deleted once the recording's row
/// points to the redacted file — right after the stage's result is stored, and at start for those
/// a crash in between left. Until then the redaction's row names them, so none is forgotten.
extension PipelineWorkerService {
    /// Deletes the original `output` replaced, if it replaced one.
    func removeOriginal(replacedBy output: StageOutput) async {
        guard case .transcript(let recordingID, _, let redaction?) = output, let replacement = redaction.replacement
        else { return }
        await removeOriginal(recordingID: recordingID, location: replacement.originalLocation)
    }

    /// Deletes every original still waiting to be.
    func removeLeftOriginals() async {
        do {
            for (recordingID, location) in try await store.redactedOriginals() {
                await removeOriginal(recordingID: recordingID, location: location)
            }
        } catch {
            logger.warning("Cannot list the redacted recordings' originals", metadata: ["error": "\(error)"])
        }
    }

    private func removeOriginal(recordingID: String, location: String) async {
        do {
            try await runner.storage.delete(location)
            try await store.forgetRedactedOriginal(recordingID: recordingID)
        } catch {
            // It stays listed: the next start deletes it.
            logger.error(
                "The original of a redacted recording could not be deleted yet",
                metadata: [
                    "recording.id": "\(recordingID)", "error": "\(ServerPaths.redact(String(describing: error)))",
                ])
        }
    }
}
