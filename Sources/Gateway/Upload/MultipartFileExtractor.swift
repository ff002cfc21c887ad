import CallPipeCore
import Foundation
import Hummingbird

/// Copies the `file` part of a `multipart/form-data` body that was streamed to disk into its own
/// file, reading and writing in 1 MiB blocks so memory stays flat whatever the upload's size.
/// Blocking file I/O: run it on the thread pool. A full disk (ENOSPC, EDQUOT, or less free space
/// than the reserve, checked every `UploadWriter.spaceCheckInterval` bytes) is `storageFull`.
enum MultipartFileExtractor {
    struct Part {
        var filename: String?
        var contentType: String?
        var bytes: Int64
    }

    static func extract(
        from source: String, boundary: String, field: String, to destination: String, freeSpace: FreeSpaceGuard
    ) throws -> Part {
        do {
            return try extractPart(
                from: source, boundary: boundary, field: field, to: destination, freeSpace: freeSpace)
        } catch let error as APIError {
            throw error
        } catch {
            throw DurableFiles.isOutOfSpace(error) ? FreeSpaceGuard.outOfSpace : error
        }
    }

    private static func extractPart(
        from source: String, boundary: String, field: String, to destination: String, freeSpace: FreeSpaceGuard
    ) throws -> Part {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw APIError.badRequest("invalid_multipart", "the upload could not be read back")
        }
        defer { try? input.close() }
        var reader = BlockReader(handle: input)
        let delimiter = Data("--\(boundary)".utf8)
        let partDelimiter = Data("\r\n--\(boundary)".utf8)
        guard try reader.skip(past: delimiter) else { throw invalid("no part boundary found") }
        while true {
            guard let headerData = try reader.read(upTo: Data("\r\n\r\n".utf8), limit: 16_384) else {
                throw invalid("a part has no complete header")
            }
            let header = String(decoding: headerData, as: UTF8.self)
            if header.hasPrefix("--") { break }  // The closing delimiter: no more parts.
            guard value("name", in: header) == field else {
                guard try reader.skip(past: partDelimiter) else { throw invalid("a part is not terminated") }
                continue
            }
            guard FileManager.default.createFile(atPath: destination, contents: nil),
                let output = FileHandle(forWritingAtPath: destination)
            else {
                try freeSpace.check(destination)
                throw CallPipeError(.storage, "cannot create the file for the recording")
            }
            defer { try? output.close() }
            let bytes = try reader.copy(until: partDelimiter, to: output) { written throws(CallPipeError) in
                try freeSpace.check(destination)
            }
            guard bytes >= 0 else { throw invalid("the file part is not terminated (was the upload cut off?)") }
            try output.synchronize()
            let type = header.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("content-type:") }
                .map { String($0.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces) }
            return Part(filename: value("filename", in: header), contentType: type, bytes: bytes)
        }
        throw APIError.badRequest("missing_file", "the multipart form has no \"\(field)\" field")
    }

    private static func invalid(_ reason: String) -> APIError {
        APIError.badRequest("invalid_multipart", "the multipart body is malformed: \(reason)")
    }

    private static func value(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "; \(key)=\"") ?? header.range(of: ";\(key)=\"") else { return nil }
        return String(header[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// Sequential reads of a file with look-ahead for delimiters that may straddle blocks.
private struct BlockReader {
    let handle: FileHandle
    var buffer = Data()
    var finished = false

    init(handle: FileHandle) {
        self.handle = handle
    }

    mutating func fill() throws -> Bool {
        guard !finished else { return false }
        let block = try handle.read(upToCount: 1 << 20) ?? Data()
        if block.isEmpty { finished = true }
        buffer.append(block)
        return !block.isEmpty
    }

    /// Discards everything up to and including `delimiter`; `false` if it never comes.
    mutating func skip(past delimiter: Data) throws -> Bool {
        while true {
            if let range = buffer.range(of: delimiter) {
                buffer.removeSubrange(buffer.startIndex..<range.upperBound)
                return true
            }
            buffer = buffer.suffix(delimiter.count - 1)
            guard try fill() else { return false }
        }
    }

    /// The bytes before `delimiter` (consumed with it); `nil` if not found within `limit`.
    mutating func read(upTo delimiter: Data, limit: Int) throws -> Data? {
        while true {
            if buffer.starts(with: Data("--".utf8)) { return Data("--".utf8) }
            if let range = buffer.range(of: delimiter) {
                let head = buffer[buffer.startIndex..<range.lowerBound]
                buffer.removeSubrange(buffer.startIndex..<range.upperBound)
                return Data(head.drop { $0 == 13 || $0 == 10 })
            }
            guard buffer.count < limit, try fill() else { return nil }
        }
    }

    /// Writes everything before `delimiter` to `output`, calling `progress` each time another
    /// `UploadWriter.spaceCheckInterval` bytes are written; returns the byte count, or −1 if the
    /// delimiter never comes.
    mutating func copy(
        until delimiter: Data, to output: FileHandle, progress: (Int64) throws(CallPipeError) -> Void
    ) throws -> Int64 {
        var written: Int64 = 0
        var nextProgress = UploadWriter.spaceCheckInterval
        while true {
            if written >= nextProgress {
                try progress(written)
                nextProgress = written + UploadWriter.spaceCheckInterval
            }
            if let range = buffer.range(of: delimiter) {
                let head = buffer[buffer.startIndex..<range.lowerBound]
                try output.write(contentsOf: head)
                written += Int64(head.count)
                buffer.removeSubrange(buffer.startIndex..<range.upperBound)
                return written
            }
            let safe = max(0, buffer.count - (delimiter.count - 1))
            if safe > 0 {
                try output.write(contentsOf: buffer.prefix(safe))
                written += Int64(safe)
                buffer.removeFirst(safe)
            }
            guard try fill() else { return -1 }
        }
    }
}
