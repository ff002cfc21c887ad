import Audio
import Foundation
import Synchronization
import Testing

@testable import CallPipeCore
@testable import Live
@testable import Pipeline
@testable import SQLiteStore

/// A disk whose free space a test decides.
final class SimulatedDisk: Sendable {
    private let full = Mutex(false)

    var isFull: Bool { full.withLock { $0 } }
    func fill() { full.withLock { $0 = true } }

    /// A reserve of 1 MB on this disk.
    var freeSpace: FreeSpaceGuard {
        FreeSpaceGuard(minimumFreeBytes: 1 << 20) { [self] _ in isFull ? 4_096 : 1 << 40 }
    }
}

@Suite("Disk full and durable files", .timeLimit(.minutes(3)))
struct DiskSpaceTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func theReserveRefusesBelowItAndZeroTurnsItOff() throws {
        let disk = SimulatedDisk()
        #expect(throws: Never.self) { try disk.freeSpace.check("/data") }
        disk.fill()
        let error = try #require(throws: CallPipeError.self) { try disk.freeSpace.check("/data") }
        #expect(error.code == .storageFull && error.message.contains("CALLPIPE_MIN_FREE_MB"))
        #expect(!error.message.contains("/data"), "no server path in a message a client may see")
        #expect(FreeSpaceGuard(minimumFreeBytes: 0) { _ in 0 }.hasRoom(at: "/data"))
    }

    @Test func theFreeSpaceOfAPathNotYetCreatedIsItsParentsDisk() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("recordings/call_1").path
        #expect((FreeSpaceGuard.availableBytes(at: missing) ?? 0) > 0)
    }

    @Test func outOfSpaceErrnosAndFoundationErrorsAreRecognised() {
        #expect(DurableFiles.isOutOfSpace(errno: ENOSPC) && DurableFiles.isOutOfSpace(errno: EDQUOT))
        #expect(!DurableFiles.isOutOfSpace(errno: EACCES))
        #expect(DurableFiles.isOutOfSpace(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))))
        #expect(DurableFiles.isOutOfSpace(CocoaError(.fileWriteOutOfSpace)))
        #expect(DurableFiles.failure("writing", errno: ENOSPC).code == .storageFull)
        #expect(DurableFiles.failure("writing", errno: EIO).code == .storage)
    }

    @Test func directoriesAreCreatedWithTheirParentsAndFilesCommittedUnderTheirFinalName() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let call = directory.appendingPathComponent("recordings/call_1").path
        try DurableFiles.createDirectory(call)
        try DurableFiles.createDirectory(call)  // Already there: nothing to do.
        let partial = (call as NSString).appendingPathComponent("rec_1.upload.partial")
        let final = (call as NSString).appendingPathComponent("rec_1.wav")
        #expect(FileManager.default.createFile(atPath: partial, contents: Data("audio".utf8)))
        try DurableFiles.synchronizeFile(partial)
        try DurableFiles.commit(partial, to: final)
        #expect(!FileManager.default.fileExists(atPath: partial))
        #expect(try String(contentsOfFile: final, encoding: .utf8) == "audio")
    }

    @Test func leftoverPartialFilesAreSweptButNeverOneARecordingRefersTo() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCallStore()
        try await store.insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: Date()))
        let call = directory.appendingPathComponent("c1")
        try FileManager.default.createDirectory(at: call, withIntermediateDirectories: true)
        let names = [
            "rec_a.upload.partial", "rec_a.audio.partial", "rec_old.upload", "rec_old.part", "rec_done.wav",
            "rec_odd.partial", "rec_live.live.wav",
        ]
        for name in names {
            #expect(FileManager.default.createFile(atPath: call.appendingPathComponent(name).path, contents: Data([1])))
        }
        // A row that (oddly) names a `.partial` file keeps it; so does every finished recording.
        for name in ["rec_done.wav", "rec_odd.partial"] {
            _ = try await store.insertRecording(
                StoredRecording(
                    id: String(name.prefix { $0 != "." }), callID: "c1", path: "/elsewhere/c1/\(name)", bytes: 1,
                    contentType: "audio/wav", format: "wav", codec: "pcm_s16le", createdAt: Date()),
                firstStage: .analyze, now: Date())
        }
        #expect(try await LeftoverFileSweep(directory: directory.path).run(store: store) == 4)
        let left = try FileManager.default.contentsOfDirectory(atPath: call.path).sorted()
        #expect(left == ["rec_done.wav", "rec_live.live.wav", "rec_odd.partial"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aLiveCallWhoseDiskFillsUpEndsKeepingWhatWasRecorded() async throws {
        let harness = try await LiveSessionHarness()
        defer { try? FileManager.default.removeItem(at: harness.directory) }
        let disk = SimulatedDisk()
        let session = try harness.makeSession(freeSpace: disk.freeSpace)
        let sound = LiveSessionHarness.tone(2)
        let events = try await harness.run(session) { session in
            let generation = try await session.attach()
            try await LiveSessionHarness.feed([sound, sound], to: session, generation: generation)
            disk.fill()
            // The session looks at the disk every tick; the sender hears of it at its next block.
            var refusal: CallPipeError?
            for _ in 0..<500 where refusal == nil {
                do {
                    try await session.ingest(
                        [[Float](repeating: 0, count: 160), [Float](repeating: 0, count: 160)],
                        generation: generation)
                } catch {
                    refusal = (error as? CallPipeError) ?? CallPipeError(.invalid, "\(error)")
                }
                if refusal == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(refusal?.code == .storageFull)
            #expect(refusal?.message.contains("what was recorded is kept") == true)
        }
        #expect(await session.endReason == .storageFull)
        #expect(events.contains { $0.type == "call_status" && $0.data["status"] as? String == "ended" })
        let recording = try #require(try await harness.store.recordings(callID: harness.callID).first)
        let frames = try SoundFileReader(path: recording.path).frames
        #expect(frames >= 16_000, "the two seconds recorded before the disk filled are kept (\(frames) frames)")
        #expect(try await harness.store.jobs(callID: harness.callID).first?.stage == .analyze)
    }

    @Test func writingAudioToAFullDiskIsReportedAsNoSpace() throws {
        let error = try #require(throws: AudioError.self) {
            let writer = try SoundFileWriter(path: "/dev/full", format: .wav, sampleRate: 8_000, channels: 1)
            for _ in 0..<100 { try writer.write([[Float](repeating: 0.1, count: 8_000)]) }
            try writer.close()
        }
        #expect(error.code == .noSpace, "\(error)")
    }
}
