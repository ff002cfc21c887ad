import CallPipeCore
import Foundation
import Logging

/// How a live session stores what it recorded when it ends: the whole call (ended, queued for
/// the post-call pipeline) or, when handed over to another node, this node's part of it.
extension LiveSession {
    /// Closes the recording and hands the call to the post-call pipeline.
    func finish() async {
        let reason = endReason ?? .ended
        do {
            await publish("real_time_insights", snapshot())  // The call's final numbers.
            try recording.close()
            let stored = recording.frames > 0 ? await kept(storedRecording()) : nil
            if reason == .handedOff {
                // This node's part of a call that goes on elsewhere: one recording, the call stays live.
                if let stored {
                    _ = try await services.store.insertRecording(stored, firstStage: .analyze, now: Date())
                }
            } else {
                let others = await joinedRecordingsOfOtherNodes()
                for other in others {
                    _ = try await services.store.insertRecording(other, firstStage: .analyze, now: Date())
                }
                try await services.store.finishLiveCall(callID: callID, recording: stored, now: Date())
                for other in others { await partsRecovery?.discard(other) }
            }
            if let stored, stored.path != recording.path {
                try? FileManager.default.removeItem(atPath: recording.path)
                // Only once the whole recording is in the shared storage: kept on this node's disk
                // instead (the bucket refused it), the parts are its only copy off this node.
                await removeCheckpoints()
            }
            if reason != .handedOff {
                await publish("call_status", CallEventPayloads.CallStatus(status: "ended", failureReason: nil))
            }
            logger.info(
                "Live call stored", metadata: ["reason": "\(reason.rawValue)", "recording.seconds": "\(callTime)"])
        } catch {
            logger.error(
                "Live call could not be stored; the recording stays on disk for recovery at the next start",
                metadata: ["error": "\(error)", "path": "\(recording.path)"])
        }
    }

    /// The recording kept in the recording storage; if the storage cannot take it now, it stays
    /// on this node's disk (and is read from there), rather than the call being lost.
    private func kept(_ stored: StoredRecording) async -> StoredRecording {
        var stored = stored
        do {
            stored.path = try await services.storage.keep(
                stored.path, key: "\(callID)/\((stored.path as NSString).lastPathComponent)", contentType: "audio/wav")
        } catch {
            logger.warning(
                "The live recording stays on this node's disk: the recording storage did not take it",
                metadata: ["error": "\(error)"])
        }
        return stored
    }

    private func storedRecording() -> StoredRecording {
        let attributes = try? FileManager.default.attributesOfItem(atPath: recording.path)
        return StoredRecording(
            id: recordingID, callID: callID, path: recording.path,
            bytes: (attributes?[.size] as? NSNumber)?.int64Value ?? 0, contentType: "audio/wav",
            format: "wav", codec: "pcm_s16le", idempotencyKey: "live:\(recordingID)", createdAt: Date())
    }
}
