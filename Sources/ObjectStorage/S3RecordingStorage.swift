import AsyncHTTPClient
package import CallPipeCore
import Foundation
package import Logging
package import NIOCore
import _NIOFileSystem

/// Recordings in S3-compatible object storage (`CALLPIPE_STORAGE_URL=s3://BUCKET/PREFIX`): a
/// complete local file goes up in one PUT or, past the part size, in a multipart upload read one
/// part at a time; stages read a downloaded copy streamed to the cache directory; the player's
/// ranges are streamed from the object. Locations are `s3://BUCKET/KEY`. A location that is a
/// local path (a live recording kept while the storage was unreachable) is read from disk.
package struct S3RecordingStorage: RecordingStorage {
    package let client: S3Client
    private let logger: Logger

    package init(client: S3Client, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private var configuration: S3Configuration { client.configuration }

    package var kind: String { "s3" }

    package var summary: String { configuration.description }

    package func keep(_ path: String, key: String, contentType: String) async throws -> String {
        let objectKey = configuration.objectKey(key)
        let size = try await FileSystem.shared.info(forFileAt: FilePath(path))?.size ?? 0
        try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { file in
            if size <= Int64(configuration.partSize) {
                let body = try await Self.read(file, from: 0, length: Int(size))
                try await client.put(objectKey, body: body, contentType: contentType)
            } else {
                try await multipart(file, size: size, objectKey: objectKey, contentType: contentType)
            }
        }
        return "s3://\(configuration.bucket)/\(objectKey)"
    }

    /// One part in memory at a time; an upload that fails is aborted, leaving no parts behind.
    private func multipart(_ file: ReadFileHandle, size: Int64, objectKey: String, contentType: String) async throws {
        let uploadID = try await client.createMultipartUpload(objectKey, contentType: contentType)
        do {
            var eTags: [String] = []
            var offset: Int64 = 0
            while offset < size {
                let length = Int(min(Int64(configuration.partSize), size - offset))
                let part = try await Self.read(file, from: offset, length: length)
                eTags.append(
                    try await client.uploadPart(objectKey, uploadID: uploadID, number: eTags.count + 1, body: part))
                offset += Int64(length)
            }
            try await client.completeMultipartUpload(objectKey, uploadID: uploadID, eTags: eTags)
        } catch {
            do {
                try await client.abortMultipartUpload(objectKey, uploadID: uploadID)
            } catch {
                logger.warning(
                    "Cannot abort a failed multipart upload", metadata: ["key": "\(objectKey)", "error": "\(error)"])
            }
            throw error
        }
    }

    private static func read(_ file: ReadFileHandle, from offset: Int64, length: Int) async throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(length)
        while buffer.readableBytes < length {
            var chunk = try await file.readChunk(
                fromAbsoluteOffset: offset + Int64(buffer.readableBytes),
                length: .bytes(Int64(length - buffer.readableBytes)))
            guard chunk.readableBytes > 0 else {
                throw CallPipeError(.storage, "the recording file ended before its size while uploading it")
            }
            buffer.writeBuffer(&chunk)
        }
        return buffer
    }

    package func withLocalFile<T: Sendable>(
        _ location: String, _ body: (String) async throws -> T
    ) async throws -> T {
        guard let objectKey = objectKey(of: location) else { return try await body(location) }
        try FileManager.default.createDirectory(atPath: configuration.cacheDirectory, withIntermediateDirectories: true)
        let name = (objectKey as NSString).lastPathComponent
        let path = (configuration.cacheDirectory as NSString).appendingPathComponent("\(UUID().uuidString)-\(name)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stream = try await client.get(objectKey)
        try await FileSystem.shared.withFileHandle(
            forWritingAt: FilePath(path), options: .newFile(replaceExisting: true)
        ) { file in
            var writer = file.bufferedWriter()
            for try await chunk in stream { try await writer.write(contentsOf: chunk) }
            try await writer.flush()
        }
        return try await body(path)
    }

    package func source(of location: String) async throws -> RecordingSource? {
        guard let objectKey = objectKey(of: location) else {
            return FileManager.default.fileExists(atPath: location) ? .file(location) : nil
        }
        guard let size = try await client.size(of: objectKey) else { return nil }
        let client = self.client
        return .remote(size: size) { range in try await client.get(objectKey, range: range) }
    }

    package func delete(_ location: String) async throws {
        guard let objectKey = objectKey(of: location) else {
            return try await LocalRecordingStorage(directory: "").delete(location)
        }
        try await client.delete(objectKey)
    }

    package func check() async throws {
        try await client.checkBucket()
    }

    /// The object key of an `s3://BUCKET/KEY` location of this bucket; `nil` for a local path.
    func objectKey(of location: String) -> String? {
        let prefix = "s3://\(configuration.bucket)/"
        guard location.hasPrefix(prefix) else { return nil }
        return String(location.dropFirst(prefix.count))
    }
}
