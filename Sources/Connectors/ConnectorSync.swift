package import Audio
package import CallPipeCore
package import Foundation
package import Logging
import NIOPosix
import Synchronization

/// Runs a sync run to its end (docs/connectors.md): page after page from the run's cursor, each
/// page stored with the run's progress in one transaction, then the audio of the page's new calls
/// into the pipeline. A run whose node stopped is resumed from its cursor by any node, and
/// imports nothing twice (calls are unique by vendor + vendor id).
package struct ConnectorSync: Sendable {
    package typealias Store = ConnectorRepository

    package var store: any Store
    /// Where imported recordings are kept, as uploads are.
    package var storage: any RecordingStorage
    /// The node's recordings directory: audio is written here before it is kept.
    package var recordingsDirectory: String
    package var probe: AudioFileDecoder
    /// This node's name, on the runs it holds.
    package var holder: String
    /// How long a run's claim holds without a page stored: past it, another node resumes the run.
    package var lease: TimeInterval = 120
    /// Recordings fetched and stored at once (each is a request to the vendor, a file written and
    /// fsynced, FFmpeg's check and a transaction).
    package var audioConcurrency = 4
    /// New calls are stored as demo calls (`seed-demo`).
    package var importsDemoCalls = false
    package var logger: Logger

    package init(
        store: any Store, storage: any RecordingStorage, recordingsDirectory: String,
        probe: AudioFileDecoder = AudioFileDecoder(), holder: String, logger: Logger
    ) {
        self.store = store
        self.storage = storage
        self.recordingsDirectory = recordingsDirectory
        self.probe = probe
        self.holder = holder
        self.logger = logger
    }

    /// Runs `run` (already stored as running) with `source` until it succeeds, fails or pauses;
    /// returns the finished run. Only a cancelled task leaves the run running (for a resume).
    package func run(_ run: SyncRun, source: any ConnectorSource) async throws -> SyncRun {
        var runLogger = logger
        runLogger[metadataKey: "sync.run"] = "\(run.id)"
        runLogger[metadataKey: "connector"] = "\(run.kind.rawValue)"
        let logger = runLogger
        let counter = RequestCounter(start: source.requestsUsed)
        do {
            // Pages and recordings at once: the recordings of stored pages are fetched while the
            // next pages are read, each worker on its own, so a worker waiting out a 429 holds up
            // no one else.
            let pending = PendingAudio(store: store, vendor: source.kind.rawValue)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await readPages(run, source: source, counter: counter, pending: pending, logger: logger)
                    await pending.finishPages()
                }
                for _ in 0..<max(1, audioConcurrency) {
                    group.addTask {
                        while let ref = try await pending.next() {
                            try await importAudio(ref, source: source, logger: logger)
                        }
                    }
                }
                while try await group.next() != nil {}
            }
            let done = try await finish(run, .succeeded, error: nil, uncounted: counter.take(source.requestsUsed))
            logger.info(
                "Sync finished",
                metadata: ["new": "\(done.callsNew)", "updated": "\(done.callsUpdated)", "pages": "\(done.pages)"])
            return done
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as ConnectorError where error.code == .unauthorized && !Task.isCancelled {
            // The key: the connector waits for new settings instead of trying it again and again.
            let reason = "the vendor refused the API key: \(error.message)"
            if var settings = try await store.connectorSettings(run.kind) {
                settings.pausedReason = reason
                settings.updatedAt = Date()
                try await store.saveConnectorSettings(settings)
            }
            logger.warning("Sync paused: the vendor refused the key", metadata: ["error": "\(error.message)"])
            return try await finish(run, .paused, error: reason, uncounted: counter.take(source.requestsUsed))
        } catch {
            // A request cut off by a stop is the stop, not the vendor: the run stays for a resume.
            if Task.isCancelled { throw CancellationError() }
            let message = (error as? ConnectorError)?.message ?? (error as? CallPipeError)?.message ?? "\(error)"
            logger.error("Sync failed", metadata: ["error": "\(message)"])
            return try await finish(run, .failed, error: message, uncounted: counter.take(source.requestsUsed))
        }
    }

    /// Ends the run with the requests not yet counted by a page (`uncounted`).
    private func finish(_ run: SyncRun, _ status: SyncRun.Status, error: String?, uncounted: Int) async throws
        -> SyncRun
    {
        try await store.finishSyncRun(id: run.id, status: status, error: error, requests: uncounted, now: Date())
    }

    /// Reads and stores the run's pages from its cursor to the last.
    private func readPages(
        _ run: SyncRun, source: any ConnectorSource, counter: RequestCounter, pending: PendingAudio, logger: Logger
    ) async throws {
        var cursor = run.cursor
        var finished = run.pages > 0 && cursor == nil
        while !finished {
            let page = try await source.page(in: run.window, cursor: cursor)
            let result = try await store.commitSyncPage(
                SyncPage(
                    runID: run.id, nextCursor: page.nextCursor, calls: page.calls, failed: page.failed,
                    requests: counter.take(source.requestsUsed), leaseUntil: Date().addingTimeInterval(lease),
                    isDemo: importsDemoCalls),
                now: Date())
            await pending.pageStored()
            logger.debug(
                "Sync page stored",
                metadata: ["new": "\(result.new)", "updated": "\(result.updated)", "failed": "\(page.failed)"])
            cursor = page.nextCursor
            finished = cursor == nil
        }
    }

    /// Fetches the audio of an imported call waiting for it: written and fsynced, checked by
    /// FFmpeg, kept in the recordings' storage and stored with its first job — the pipeline then
    /// does for it what it does for an upload. Audio the vendor does not have (4xx) or that is not
    /// audio is given up on with the reason; other errors end the run and the audio is fetched by
    /// the next one.
    private func importAudio(_ ref: ImportedCallRef, source: any ConnectorSource, logger: Logger) async throws {
        let failure: String?
        do {
            failure = try await keep(try await source.audio(of: ref.call), of: ref)
        } catch let error as ConnectorError where error.code == .rejected || error.code == .malformedResponse {
            failure = error.message
        }
        guard let failure else { return }
        logger.warning(
            "Imported call's audio given up", metadata: ["vendor.id": "\(ref.call.vendorID)", "reason": "\(failure)"])
        try await store.markImportedAudio(
            vendor: ref.call.vendor, vendorID: ref.call.vendorID, failure: failure, now: Date())
    }

    /// Stores `audio` as the call's recording; returns why not when it is not audio.
    private func keep(_ audio: Data, of ref: ImportedCallRef) async throws -> String? {
        guard !audio.isEmpty else { return "the vendor's audio is empty" }
        let directory = (recordingsDirectory as NSString).appendingPathComponent(ref.callID)
        let recordingID = ref.call.recordingID
        let partial = (directory as NSString).appendingPathComponent(
            "\(recordingID).import\(DurableFiles.partialSuffix)")
        defer { try? FileManager.default.removeItem(atPath: partial) }
        try await NIOThreadPool.singleton.runIfActive {
            try DurableFiles.createDirectory(directory)
            guard FileManager.default.createFile(atPath: partial, contents: audio) else {
                throw CallPipeError(.storage, "cannot write \(partial)")
            }
            try DurableFiles.synchronizeFile(partial)
        }
        let info: AudioSourceInfo
        do {
            info = try await probe.probe(partial)
        } catch {
            return "the vendor's audio is not audio FFmpeg can read: \(error)"
        }
        let format = info.format.split(separator: ",").first.map(String.init) ?? "audio"
        let final = (directory as NSString).appendingPathComponent("\(recordingID).\(format)")
        try await NIOThreadPool.singleton.runIfActive { try DurableFiles.commit(partial, to: final) }
        let contentType = format == "wav" ? "audio/wav" : format == "mp3" ? "audio/mpeg" : "application/octet-stream"
        let location = try await storage.keep(
            final, key: "\(ref.callID)/\((final as NSString).lastPathComponent)", contentType: contentType)
        let recording = StoredRecording(
            id: recordingID, callID: ref.callID, path: location, bytes: Int64(audio.count), contentType: contentType,
            format: info.format, codec: info.codec, idempotencyKey: "\(ref.call.vendor):\(ref.call.vendorID)",
            createdAt: Date())
        try await store.attachImportedAudio(
            recording, vendor: ref.call.vendor, vendorID: ref.call.vendorID, now: Date())
        if location != final { try? FileManager.default.removeItem(atPath: final) }
        return nil
    }
}

/// The requests of a run not yet counted in the store: each page takes what was made since the
/// last page (recordings included), the run's end the rest.
final class RequestCounter: Sendable {
    private let counted: Mutex<Int>

    init(start: Int) { counted = Mutex(start) }

    /// Requests made since the last take, given the source's total now.
    func take(_ used: Int) -> Int {
        counted.withLock { counted in
            defer { counted = max(counted, used) }
            return max(0, used - counted)
        }
    }
}

/// The imported calls of one vendor waiting for their audio, handed to the run's audio workers
/// one at a time (each once while it is being fetched), read from the store as pages add them;
/// once the pages are done, a worker that finds none left stops.
actor PendingAudio {
    let store: any ConnectorRepository
    let vendor: String
    private var buffer: [ImportedCallRef] = []
    private var handedOut: Set<String> = []
    private var pagesDone = false
    /// Pages stored so far (one more once they are done), and the count at which the store last
    /// had nothing new: until another page is stored, the workers wait without asking it again.
    private var pages = 0
    private var emptyAt: Int?

    init(store: any ConnectorRepository, vendor: String) {
        self.store = store
        self.vendor = vendor
    }

    func next() async throws -> ImportedCallRef? {
        while true {
            try Task.checkCancellation()
            while !buffer.isEmpty {
                let ref = buffer.removeFirst()
                // A call handed out already (being fetched, or fetched in this run) is not again.
                if handedOut.insert(ref.call.vendorID).inserted { return ref }
            }
            if emptyAt != pages {
                let seen = pages
                let waiting = try await store.importedCallsAwaitingAudio(vendor: vendor, limit: 64)
                let fresh = waiting.filter { !handedOut.contains($0.call.vendorID) }
                if !fresh.isEmpty {
                    buffer += fresh
                    continue
                }
                emptyAt = seen
            }
            // Nothing new: after the last page, nothing will come; before it, the next page may add some.
            if pagesDone && emptyAt == pages { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func pageStored() { pages += 1 }

    func finishPages() {
        pagesDone = true
        pages += 1
    }
}
