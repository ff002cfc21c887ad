import Audio
import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOCore
import NIOFileSystem
import NIOWebSocket
import Synchronization
import Testing

@testable import Gateway
@testable import SQLiteStore

@Suite("Disk full: 507 for uploads, 1011 for live streams, nothing half-written kept", .timeLimit(.minutes(3)))
struct StorageFullTests {
    /// 1 PiB: more free space than any test machine has.
    static let impossibleReserve: Int64 = 1 << 50

    static func body(_ buffers: [ByteBuffer]) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for buffer in buffers { continuation.yield(buffer) }
            continuation.finish()
        }
    }

    @Test func anUploadBelowTheFreeSpaceReserveAnswers507AndKeepsNothing() async throws {
        let app = try await GatewayTestApp(minimumFreeBytes: Self.impossibleReserve)
        try await app.test { client in
            let id = try await CallsControllerTests.startCall(client, app)
            for type in ["audio/mpeg", "multipart/form-data; boundary=B"] {
                try await client.execute(
                    uri: "/api/calls/\(id)/audio", method: .post, headers: app.headers("ann", [.contentType: type]),
                    body: try GatewayTestApp.fixture("call.mp3")
                ) { response throws in
                    #expect(response.status.code == 507, "\(String(buffer: response.body))")
                    #expect(try GatewayTestApp.errorCode(response) == "insufficient_storage")
                    let message = String(buffer: response.body)
                    #expect(message.contains("free disk space") && message.contains("CALLPIPE_MIN_FREE_MB"))
                    #expect(!message.contains(app.directory.path), "no server path in the answer")
                }
            }
            #expect(try await app.store.recordings(callID: id).isEmpty)
            #expect(try await app.store.jobs(callID: id).isEmpty)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: app.configuration.uploads.directory))
            #expect((files ?? []).isEmpty, "\(files ?? [])")
        }
    }

    @Test func aCompletedUploadLeavesOnlyItsFinalFile() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            let id = try await CallsControllerTests.startCall(client, app)
            try await client.execute(
                uri: "/api/calls/\(id)/audio", method: .post,
                headers: app.headers("ann", [.contentType: "audio/mpeg"]), body: try GatewayTestApp.fixture("call.mp3")
            ) { response in
                #expect(response.status == .accepted)
            }
            let recording = try #require(try await app.store.recordings(callID: id).first)
            let files = try FileManager.default.contentsOfDirectory(
                atPath: (app.configuration.uploads.directory as NSString).appendingPathComponent(id))
            #expect(files == [(recording.path as NSString).lastPathComponent])
            #expect(recording.path.hasSuffix(".mp3"))
        }
    }

    @Test func aWriteThatHitsAFullDiskIsStorageFull() async throws {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        var caught: (any Error)?
        do {
            _ = try await FileSystem.shared.withFileHandle(
                forWritingAt: "/dev/full", options: .modifyFile(createIfNecessary: false)
            ) { handle in
                try await UploadWriter.copy(
                    Self.body([ByteBuffer(repeating: 1, count: 65_536)]), to: handle, limit: 1 << 20,
                    freeSpace: FreeSpaceGuard(minimumFreeBytes: 0), checkingAt: "/dev/full")
            }
        } catch {
            caught = UploadWriter.mapped(error)
        }
        #expect((caught as? CallPipeError)?.code == .storageFull, "\(String(describing: caught))")
    }

    @Test func anUploadThatRunsTheDiskBelowTheReserveWhileWritingStops() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rec_1.upload.partial").path
        // The disk is below the reserve by the first check, once 8 MiB are written: the upload
        // stops there instead of writing all 20 MiB, and leaves no file.
        let checks = Mutex(0)
        let freeSpace = FreeSpaceGuard(minimumFreeBytes: 1 << 20) { _ in
            checks.withLock { $0 += 1 }
            return 0
        }
        let chunks = (0..<20).map { _ in ByteBuffer(repeating: 7, count: 1 << 20) }
        let error = await #expect(throws: CallPipeError.self) {
            try await UploadWriter.write(Self.body(chunks), to: path, limit: 1 << 30, freeSpace: freeSpace)
        }
        #expect(error?.code == .storageFull)
        #expect(checks.withLock { $0 } == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(.timeLimit(.minutes(1)))
    func aLiveStreamWhoseDiskFillsUpClosesWith1011AndKeepsWhatWasRecorded() async throws {
        var configured = try await LiveTestServer()
        // The disk fills up once the live recording holds half a second (8 kHz stereo PCM16).
        configured.freeSpace = FreeSpaceGuard(minimumFreeBytes: 1) { path in
            guard path.hasSuffix(".live.wav") else { return 1 << 40 }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return size >= 16_000 ? 0 : 1 << 40
        }
        let server = configured
        defer { server.cleanUp() }
        try await server.newCall("call_full")
        let media = try await TwilioMessages.callMedia(1..<301)
        try await server.run { client in
            let messages: [WebSocketOutboundWriter.OutboundFrame] =
                [.text(TwilioMessages.connected), .text(TwilioMessages.start())] + media.map { .text($0) }
            // Like Twilio, the client reads while it sends: the server's close arrives mid-stream and
            // is answered at once, not after the client has written all it had (on a loaded machine
            // that took longer than the server waits for the answer, and no close frame was seen).
            let close = try await client.ws(
                "/api/calls/call_full/stream?protocol=twilio&token=\(server.app.keys["ann"]!)"
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for message in messages {
                            do { try await outbound.write(message) } catch { return }  // The server closed.
                        }
                    }
                    for try await _ in inbound {}
                    group.cancelAll()
                }
            }
            #expect(close?.closeCode == .unexpectedServerError)
            #expect(close?.reason?.contains("disk is full") == true, "\(close?.reason ?? "no reason")")
            try await server.waitFor("call_full") { call, recordings in
                call.status == .ended && recordings.count == 1
            }
        }
        let recording = try #require(try await server.app.store.recordings(callID: "call_full").first)
        let frames = try SoundFileReader(path: recording.path).frames
        #expect(frames >= 4_000, "what was recorded before the disk filled is kept (\(frames) frames)")
    }
}
