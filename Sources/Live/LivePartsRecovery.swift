import Audio
import CallPipeCore
import Foundation
import Logging

/// Joins the parts a dead node kept of its live recordings (LiveSession+Checkpoints) into whole
/// recordings, on the node that ends its calls (docs/ARCHITECTURE.md §15, "Live calls").
struct LivePartsRecovery {
    /// Where the joined recordings are written before they are kept.
    let directory: String
    let services: LiveServices
    let registry: any LiveCallRegistry
    let logger: Logger

    /// The recordings of `callID` that only parts hold (none was stored whole), but for
    /// `excluded`, joined and kept in the recording storage, oldest first.
    func recordings(callID: String, excluding excluded: String? = nil) async throws -> [StoredRecording] {
        let parts = try await registry.liveCallParts(callID: callID).filter { $0.recordingID != excluded }
        guard !parts.isEmpty else { return [] }
        let stored = Set(try await services.store.recordings(callID: callID).map(\.id))
        let recordings = Dictionary(grouping: parts, by: \.recordingID).values
            .filter { !stored.contains($0[0].recordingID) }
            .sorted { $0[0].createdAt < $1[0].createdAt }
        var joined: [StoredRecording] = []
        for parts in recordings {
            joined.append(try await join(parts.sorted { $0.index < $1.index }))
        }
        return joined
    }

    /// One recording from its parts, in order; a part missing in between is silence of its length.
    private func join(_ parts: [LiveCallPart]) async throws -> StoredRecording {
        let (callID, recordingID) = (parts[0].callID, parts[0].recordingID)
        let callDirectory = (directory as NSString).appendingPathComponent(callID)
        try DurableFiles.createDirectory(callDirectory)
        // Not `.live.wav`: that is the dead node's own file (on a shared data directory the same
        // path) and what a restart recovers; a joined copy has a name and a key of its own.
        let path = (callDirectory as NSString).appendingPathComponent(Self.joinedName(recordingID))
        let writer = try SoundFileWriter(
            path: path, format: .wav, sampleRate: parts[0].sampleRate, channels: parts[0].channels)
        do {
            for part in parts {
                if part.startFrame > writer.framesWritten {
                    let gap = part.startFrame - writer.framesWritten
                    try writer.write(Array(repeating: [Float](repeating: 0, count: gap), count: part.channels))
                }
                try await services.storage.withLocalFile(part.location) { local in
                    let reader = try SoundFileReader(path: local)
                    while let block = try reader.read(), let first = block.first, !first.isEmpty {
                        try writer.write(block)
                    }
                }
            }
            writer.updateHeader()
            writer.synchronize()
            try writer.close()
        } catch {
            try? writer.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        let location: String
        do {
            location = try await services.storage.keep(
                path, key: "\(callID)/\(Self.joinedName(recordingID))", contentType: "audio/wav")
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        logger.warning(
            "Joined the parts of a live recording its node did not store",
            metadata: [
                "call.id": "\(callID)", "recording.id": "\(recordingID)", "parts": "\(parts.count)",
                "recording.seconds": "\(Double(writer.framesWritten) / Double(parts[0].sampleRate))",
            ])
        return StoredRecording(
            id: recordingID, callID: callID, path: location, bytes: bytes, contentType: "audio/wav", format: "wav",
            codec: "pcm_s16le", idempotencyKey: "live:\(recordingID)", createdAt: Date())
    }

    /// The file (and key) name of a recording joined from its parts.
    static func joinedName(_ recordingID: String) -> String { "\(recordingID).joined.wav" }

    /// A joined recording is stored: its parts go, and so does the joined file on this node's
    /// disk unless that is where the recording is kept.
    func discard(_ joined: StoredRecording) async {
        await removeParts(recordingID: joined.id, callID: joined.callID)
        let local = (directory as NSString).appendingPathComponent(
            "\(joined.callID)/\(Self.joinedName(joined.id))")
        if joined.path != local { try? FileManager.default.removeItem(atPath: local) }
    }

    /// Removes the parts of a recording that is stored whole: their objects, then their rows.
    func removeParts(recordingID: String, callID: String) async {
        do {
            for part in try await registry.liveCallParts(callID: callID) where part.recordingID == recordingID {
                try await services.storage.delete(part.location)
            }
            try await registry.removeLiveCallParts(recordingID: recordingID)
        } catch {
            logger.warning(
                "The parts of a stored live recording were not all removed",
                metadata: ["recording.id": "\(recordingID)", "error": "\(error)"])
        }
    }
}
