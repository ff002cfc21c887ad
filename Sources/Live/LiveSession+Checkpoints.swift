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

    /// Until the call ends, once a second: a part when one is due. Its own loop, not the tick's:
    /// a slow bucket must not hold up insights, the idle timeout or the free-space guard. A part
    /// that cannot be kept is tried again after 2, 4, … 64 s, with the audio since.
    func checkpointLoop() async {
        guard keepsCheckpoints else { return }
        var failures = 0
        var skip = 0
        while endReason == nil {
            try? await Task.sleep(for: .seconds(1))
            guard endReason == nil else { return }
            if skip > 0 {
                skip -= 1
                continue
            }
            if await checkpointIfDue() {
                failures = 0
            } else {
                failures += 1
                skip = (1 << min(failures, 6)) - 1
            }
        }
    }

    /// Keeps the audio since the last part as a new part once `checkpointInterval` seconds of it
    /// are in, or once audio has stopped coming for a second (a dropped stream, a stalled
    /// client: the node may die while it waits). Returns `false` when a due part was not kept.
    func checkpointIfDue() async -> Bool {
        guard keepsCheckpoints, !checkpointing, let cluster = services.cluster else { return true }
        let interval = Int(configuration.checkpointInterval * Double(format.sampleRate))
        let pending = recording.frames - checkpointedFrames
        let quiet = Self.seconds(.now - lastAudio) >= 1
        guard pending >= interval || (pending > 0 && quiet) else { return true }
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
            return true
        } catch {
            logger.warning(
                "A part of the live recording was not kept in shared storage; tried again later",
                metadata: ["error": "\(error)"])
            return false
        }
    }

    /// The joiner of parts, writing beside this session's recording; `nil` on a single node.
    var partsRecovery: LivePartsRecovery? {
        guard let cluster = services.cluster else { return nil }
        let callDirectory = (recording.path as NSString).deletingLastPathComponent
        return LivePartsRecovery(
            directory: (callDirectory as NSString).deletingLastPathComponent, services: services,
            registry: cluster.registry, logger: logger)
    }

    /// The recording is stored whole in the shared storage: its parts go.
    func removeCheckpoints() async {
        guard keepsCheckpoints else { return }
        await partsRecovery?.removeParts(recordingID: recordingID, callID: callID)
    }

    /// When the call ends here: the recordings of other nodes' parts of it that only parts hold (a
    /// node that died and whose stream came back here before its claim went stale), joined, oldest
    /// first. A node still alive stores its part within a heartbeat; if it comes after this, the
    /// recording id makes its copy a duplicate that is not stored twice.
    func joinedRecordingsOfOtherNodes() async -> [StoredRecording] {
        guard keepsCheckpoints, let recovery = partsRecovery else { return [] }
        do {
            return try await recovery.recordings(callID: callID, excluding: recordingID)
        } catch {
            logger.error(
                "Cannot join another node's parts of this call; they stay in shared storage",
                metadata: ["error": "\(error)"])
            return []
        }
    }
}
