import CallPipeCore
import Crypto
import EngineTestSupport
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Testing

/// Recordings kept in and read from a real S3-compatible server (moto, with signatures checked).
@Suite("Recordings in S3-compatible object storage", .timeLimit(.minutes(3)))
struct S3RecordingStorageTests {
    static func storage(_ configuration: S3Configuration) -> S3RecordingStorage {
        var logger = Logger(label: "s3-test")
        logger.logLevel = .critical
        return S3RecordingStorage(client: S3Client(configuration: configuration), logger: logger)
    }

    /// A local file of `size` pseudo-random bytes, as an upload or a live recording leaves one.
    static func file(size: Int) throws -> (path: String, data: Data) {
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        defer { try? random.close() }
        let data = random.readData(ofLength: size)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("s3-\(UUID().uuidString).wav").path
        try data.write(to: URL(fileURLWithPath: path))
        return (path, data)
    }

    static func collect(_ source: RecordingSource?, range: ClosedRange<Int>) async throws -> Data {
        guard case .remote(_, let open) = source else {
            Issue.record("not a remote recording: \(String(describing: source))")
            return Data()
        }
        var data = Data()
        for try await chunk in try await open(range) { data.append(contentsOf: chunk.readableBytesView) }
        return data
    }

    @Test func aSmallRecordingGoesUpInOneRequestAndIsServedByRange() async throws {
        let storage = Self.storage(try await S3TestServer.shared.newBucket())
        try await storage.check()
        let (path, data) = try Self.file(size: 300_000)
        let location = try await storage.keep(path, key: "call_1/rec_1.wav", contentType: "audio/wav")
        #expect(location.hasPrefix("s3://callpipe-") && location.hasSuffix("/recordings/call_1/rec_1.wav"))
        #expect(FileManager.default.fileExists(atPath: path), "the local copy is the caller's to remove")
        try FileManager.default.removeItem(atPath: path)
        let source = try await storage.source(of: location)
        guard case .remote(let size, _) = source else { throw EngineTestError(message: "no remote source") }
        #expect(size == data.count)
        #expect(try await Self.collect(source, range: 1_000...1_999) == data[1_000...1_999])
        #expect(try await Self.collect(source, range: 0...(data.count - 1)) == data)
        // A stage reads a downloaded copy, removed afterwards.
        let copy = try await storage.withLocalFile(location) { local in
            (local, try Data(contentsOf: URL(fileURLWithPath: local)))
        }
        #expect(copy.1 == data && !FileManager.default.fileExists(atPath: copy.0))
    }

    @Test func aLargeRecordingGoesUpInPartsAndComesBackWhole() async throws {
        let configuration = try await S3TestServer.shared.newBucket(partSize: S3Configuration.minimumPartSize)
        let storage = Self.storage(configuration)
        let size = 2 * S3Configuration.minimumPartSize + 123_457  // three parts, the last one short
        let (path, data) = try Self.file(size: size)
        let location = try await storage.keep(path, key: "call_2/rec_big.wav", contentType: "audio/wav")
        try FileManager.default.removeItem(atPath: path)
        let digest = try await storage.withLocalFile(location) { local in
            SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: local)))
        }
        #expect(digest == SHA256.hash(data: data))
        guard case .remote(let stored, _) = try await storage.source(of: location) else {
            throw EngineTestError(message: "no remote source")
        }
        #expect(stored == size)
    }

    @Test func aMissingObjectIsGoneAndALocalPathIsReadFromDisk() async throws {
        let configuration = try await S3TestServer.shared.newBucket()
        let storage = Self.storage(configuration)
        #expect(try await storage.source(of: "s3://\(configuration.bucket)/recordings/none.wav") == nil)
        let (path, data) = try Self.file(size: 1_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .file(let local) = try await storage.source(of: path) else {
            throw EngineTestError(message: "a local path is not served from disk")
        }
        #expect(local == path)
        #expect(try await storage.withLocalFile(path) { try Data(contentsOf: URL(fileURLWithPath: $0)) } == data)
    }

    @Test func aWrongSecretIsRefusedByTheServerAndNeverNamed() async throws {
        var configuration = try await S3TestServer.shared.newBucket()
        configuration.secretAccessKey = "wrong-secret-\(UUID().uuidString)"
        let storage = Self.storage(configuration)
        let (path, _) = try Self.file(size: 1_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try await storage.keep(path, key: "call_3/rec.wav", contentType: "audio/wav")
            Issue.record("a request signed with a wrong secret was accepted")
        } catch let error as CallPipeError {
            #expect(error.code == .storage && error.message.contains("403"), "\(error.message)")
            #expect(error.message.contains("SignatureDoesNotMatch"), "\(error.message)")
            #expect(!error.message.contains(configuration.secretAccessKey))
        }
        #expect(FileManager.default.fileExists(atPath: path), "the local file stays when the upload fails")
    }

    @Test func aMissingBucketAndAnUnreachableServerAreSaidPlainly() async throws {
        var configuration = try await S3TestServer.shared.newBucket()
        configuration.bucket = "no-such-bucket-here"
        await #expect { try await Self.storage(configuration).check() } throws: { error in
            (error as? CallPipeError)?.message.contains("NoSuchBucket") == true
                || (error as? CallPipeError)?.message.contains("404") == true
        }
        let port = try TestPorts.free()
        var unreachable = try await S3TestServer.shared.newBucket()
        unreachable.endpoint = URL(string: "http://127.0.0.1:\(port)")!
        unreachable.timeout = 2
        await #expect { try await Self.storage(unreachable).check() } throws: { error in
            (error as? CallPipeError)?.message.contains("cannot be reached") == true
        }
    }
}
