import Audio
import CallPipeCore
import Foundation
import Logging

/// Parts of the live recording kept in shared storage while the call goes on, so that a node
/// that dies mid-call loses at most `checkpointInterval` seconds of it: another node joins the
/// parts and processes them as the call's recording (docs/ARCHITECTURE.md §15, "Live calls").
extension LiveSession {
    /// In a cluster whose recordings are in shared storage (on a node's own disk a part would die
    /// with the node).
    var keepsCheckpoints: Bool {
        configuration.checkpointInterval > 0 && services.cluster != nil && services.storage.kind != "local"
    }

    /// Keeps the audio since the last part as a new part once `checkpointInterval` seconds of it
    /// are in. A part that cannot be kept is retried at the next tick, with the audio since.
    func checkpointIfDue() async {
        guard keepsCheckpoints, !checkpointing, let cluster = services.cluster else { return }
        let interval = Int(configuration.checkpointInterval * Double(format.sampleRate))
        guard recording.frames - checkpointedFrames >= interval else { return }
        checkpointing = true
        defer { checkpointing = false }
        // A storage that was away for long is caught up a few intervals per part, never all at once.
        let range = checkpointedFrames..<min(recording.frames, checkpointedFrames + 4 * interval)
        let name = "\(recordingID).part-\(String(format: "%05d", checkpointParts)).wav"
        let path = ((recording.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try SoundFileWriter(
                path: path, format: .wav, sampleRate: format.sampleRate, channels: format.channels)
            try writer.write(try recording.planar(range))
            try writer.close()
            let location = try await services.storage.keep(path, key: "\(callID)/\(name)", contentType: "audio/wav")
            try await cluster.registry.addLiveCallPart(
                LiveCallPart(
                    callID: callID, recordingID: recordingID, index: checkpointParts, location: location,
                    startFrame: range.lowerBound, frames: range.count, sampleRate: format.sampleRate,
                    channels: format.channels, createdAt: Date()))
            checkpointedFrames = range.upperBound
            checkpointParts += 1
        } catch {
            logger.warning(
                "A part of the live recording was not kept in shared storage; the next checkpoint tries again",
                metadata: ["error": "\(error)"])
        }
    }

    /// The recording is stored whole: its parts go.
    func removeCheckpoints() async {
        guard checkpointParts > 0, let cluster = services.cluster else { return }
        await LivePartsRecovery.remove(
            recordingID: recordingID, callID: callID, services: services, registry: cluster.registry, logger: logger)
    }
}
