import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix
import _NIOFileSystem

/// `GET /api/calls/{id}/recording`: the call's audio as stored, for the dashboard's player.
extension CallsController {
    /// The latest recording of the call (or `?recording_id=`), with its audio content type,
    /// `Range` requests (206, 416), a strong ETag (a recording's file never changes; a redacted one is a new file, so the browser
    /// asks again — `no-cache` — and never plays an original the redaction replaced) and 304
    /// on `If-None-Match`. Streamed in chunks: from disk off the cooperative pool, or from object
    /// storage as the bytes arrive.
    @Sendable func recording(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let call = try await readableCall(context)
        let recordings = try await store.recordings(callID: call.id)
        let chosen: StoredRecording?
        if let id = request.uri.queryParameters.get("recording_id") {
            chosen = recordings.first { $0.id == id }
        } else {
            chosen = recordings.max { $0.sequence < $1.sequence }
        }
        guard let recording = chosen else {
            throw APIError.notFound("call \(call.id) has no recording yet")
        }
        let source: RecordingSource?
        do {
            source = try await storage.source(of: recording.path)
        } catch let error as CallPipeError {
            context.logger.error(
                "The recording storage cannot be read",
                metadata: ["recording.id": "\(recording.id)", "error": "\(error)"])
            throw APIError(
                .serviceUnavailable, "storage_unavailable",
                "the recording's storage cannot be read now; try again later")
        }
        let size: Int
        var lastModified = recording.createdAt
        switch source {
        case .file(let path):
            guard let info = try? await FileSystem.shared.info(forFileAt: FilePath(path)) else {
                throw APIError(.gone, "recording_missing", "the audio of recording \(recording.id) is gone")
            }
            size = Int(info.size)
            lastModified = Date(timeIntervalSince1970: Double(info.lastDataModificationTime.seconds))
        case .remote(let remoteSize, _):
            size = remoteSize
        case nil:
            throw APIError(.gone, "recording_missing", "the audio of recording \(recording.id) is gone")
        }
        // The file's name is in the tag: a redacted recording is a new file (docs/redaction.md).
        let eTag = "\"\((recording.path as NSString).lastPathComponent)-\(size)\""
        var headers: HTTPFields = [
            .contentType: Self.audioContentType(recording), .acceptRanges: "bytes", .eTag: eTag,
            .cacheControl: "private, no-cache", .lastModified: Self.httpDate(lastModified),
        ]
        if request.headers[values: .ifNoneMatch].contains(eTag) {
            return Response(status: .notModified, headers: headers)
        }
        // A Range conditional on another version of the file gets the whole (current) file.
        let ifRange = request.headers[.ifRange]
        let rangeHeader = ifRange == nil || ifRange == eTag ? request.headers[.range] : nil
        let range: ClosedRange<Int>?
        switch ByteRange.parse(rangeHeader, size: size) {
        case .whole:
            range = nil
            headers[.contentLength] = String(size)
        case .partial(let partial):
            range = partial.first...partial.last
            headers[.contentLength] = String(partial.length)
            headers[.contentRange] = "bytes \(partial.first)-\(partial.last)/\(size)"
        case .unsatisfiable:
            var response = try APIError(
                .rangeNotSatisfiable, "range_not_satisfiable",
                "the recording has \(size) bytes; ask for a range inside it"
            ).response(from: request, context: context)
            response.headers[.contentRange] = "bytes */\(size)"
            return response
        }
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        switch source {
        case .file(let path):
            let files = FileIO(threadPool: .singleton)
            let body: ResponseBody
            if let range {
                body = try await files.loadFile(path: path, range: range, context: context)
            } else {
                body = try await files.loadFile(path: path, context: context)
            }
            return Response(status: status, headers: headers, body: body)
        case .remote(_, let open):
            // Streamed from the object as it arrives: never whole in memory.
            guard size > 0 else { return Response(status: status, headers: headers) }
            let bytes = try await open(range ?? 0...(size - 1))
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: bytes))
        case nil:
            throw APIError(.gone, "recording_missing", "the audio of recording \(recording.id) is gone")
        }
    }

    /// `Tue, 24 Nov 2026 10:15:30 GMT` (RFC 9110 IMF-fixdate).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// What a browser's `<audio>` plays: from the format FFmpeg found, else the upload's type.
    static func audioContentType(_ recording: StoredRecording) -> String {
        let format = recording.format.lowercased()
        let known: [(String, String)] = [
            ("mp3", "audio/mpeg"), ("wav", "audio/wav"), ("flac", "audio/flac"), ("ogg", "audio/ogg"),
            ("webm", "audio/webm"), ("matroska", "audio/webm"), ("mp4", "audio/mp4"), ("m4a", "audio/mp4"),
            ("aac", "audio/aac"), ("amr", "audio/amr"),
        ]
        if let match = known.first(where: { format.split(separator: ",").contains(Substring($0.0)) }) {
            return match.1
        }
        return recording.contentType.hasPrefix("audio/") ? recording.contentType : "application/octet-stream"
    }
}
