import Audio
import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix

/// `POST /api/calls/{id}/audio`: a raw audio body or a multipart form's `file` field, streamed to
/// disk under a `.partial` name and fsynced, sniffed by FFmpeg, renamed (the directory fsynced),
/// kept in the recording storage (object storage, when configured: docs/configuration.md
/// "Recordings"), then queued — in that order, so a 202 means the audio is safe and readable, and
/// the job that will process it is stored (docs/production.md, "Durability"). A full disk answers
/// 507 and keeps nothing; storage that cannot take the file answers 503 and keeps nothing.
extension CallsController {
    static let audioTypes = ["audio/", "video/", "application/octet-stream", "application/ogg"]

    @Sendable func upload(_ request: Request, context: GatewayRequestContext) async throws -> EditedResponse<
        UploadAccepted
    > {
        let call = try await writableCall(context)
        guard call.endedAt == nil else {
            throw APIError(.conflict, "call_ended", "call \(call.id) has ended; start a new call to upload more audio")
        }
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let key, key.unicodeScalars.count > 200 {
            throw APIError.badRequest("invalid_header", "Idempotency-Key is longer than 200 characters")
        }
        if let key,
            let existing = try await store.recordings(callID: call.id).first(where: { $0.idempotencyKey == key })
        {
            return accepted(existing, duplicate: true)
        }
        let rawContentType = request.headers[.contentType] ?? ""
        let contentType = rawContentType.lowercased()
        let isMultipart = contentType.hasPrefix("multipart/form-data")
        guard isMultipart || Self.audioTypes.contains(where: contentType.hasPrefix) else {
            throw APIError(
                .unsupportedMediaType, "unsupported_media_type",
                "send the recording as an audio/* body or as the \"file\" field of multipart/form-data (got \(contentType.isEmpty ? "no content type" : contentType))"
            )
        }
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > uploads.maxBytes {
            throw APIError(
                .contentTooLarge, "too_large", "the upload is larger than the limit of \(uploads.maxBytes) bytes")
        }
        // The reserve is checked before a byte is read: a full disk answers 507 at once.
        let freeSpace = uploads.freeSpace
        try freeSpace.check(uploads.directory)
        let recordingID = "rec_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let directory = (uploads.directory as NSString).appendingPathComponent(call.id)
        try await NIOThreadPool.singleton.runIfActive { try DurableFiles.createDirectory(directory) }
        // Written under `.partial` names until complete and fsynced (a crash leaves only those,
        // swept at the next start), then renamed, and the rename made durable, before the 202.
        let received = (directory as NSString).appendingPathComponent(
            "\(recordingID).upload\(DurableFiles.partialSuffix)")
        var audioPath = received
        var cleanup = [received]
        defer { for path in cleanup { try? FileManager.default.removeItem(atPath: path) } }
        var bytes = try await UploadWriter.write(
            request.body, to: received, limit: uploads.maxBytes, freeSpace: freeSpace)
        var uploadType = contentType
        if isMultipart {
            // The boundary is case-sensitive: take it from the header as sent.
            let boundary = Self.boundary(of: rawContentType)
            guard !boundary.isEmpty else {
                throw APIError.badRequest("invalid_multipart", "the multipart content type has no boundary")
            }
            audioPath = (directory as NSString).appendingPathComponent(
                "\(recordingID).audio\(DurableFiles.partialSuffix)")
            cleanup.append(audioPath)
            let source = received
            let target = audioPath
            let part = try await NIOThreadPool.singleton.runIfActive {
                try MultipartFileExtractor.extract(
                    from: source, boundary: boundary, field: "file", to: target, freeSpace: freeSpace)
            }
            bytes = part.bytes
            uploadType = part.contentType ?? "application/octet-stream"
        }
        guard bytes > 0 else { throw APIError.badRequest("empty_body", "the upload is empty") }
        let info = try await probe.probe(audioPath)
        let final = (directory as NSString).appendingPathComponent(
            "\(recordingID).\(info.format.split(separator: ",").first ?? "audio")")
        let source = audioPath
        try await NIOThreadPool.singleton.runIfActive { try DurableFiles.commit(source, to: final) }
        cleanup.append(final)
        // Object storage holds the audio before the 202 too (the local copy is then removed).
        let location: String
        do {
            location = try await storage.keep(
                final, key: "\(call.id)/\((final as NSString).lastPathComponent)", contentType: uploadType)
        } catch let error as CallPipeError {
            // The storage's own reason goes to the log, not to the uploader.
            context.logger.error(
                "The recording storage did not take an upload",
                metadata: ["call.id": "\(call.id)", "error": "\(error)"])
            throw APIError(
                .serviceUnavailable, "storage_unavailable",
                "the recording could not be stored, nothing was kept; try again later")
        }
        let recording = StoredRecording(
            id: recordingID, callID: call.id, path: location, bytes: bytes, contentType: uploadType,
            format: info.format,
            codec: info.codec, idempotencyKey: key, createdAt: Date())
        let (stored, created) = try await store.insertRecording(recording, firstStage: .analyze, now: Date())
        if location == final {
            // Keep the file if the recording now refers to it.
            if created { cleanup.removeLast() }
        } else if !created {
            try? await storage.delete(location)  // The same key raced in: the first upload's object stays.
        }
        return accepted(stored, duplicate: !created)
    }

    static func boundary(of contentType: String) -> String {
        guard let range = contentType.range(of: "boundary=", options: .caseInsensitive) else { return "" }
        let value = contentType[range.upperBound...].prefix(while: { $0 != ";" })
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    }

    private func accepted(_ recording: StoredRecording, duplicate: Bool) -> EditedResponse<UploadAccepted> {
        EditedResponse(
            status: .accepted,
            response: UploadAccepted(
                recordingID: recording.id, callID: recording.callID, sequence: recording.sequence, status: "queued",
                duplicate: duplicate))
    }
}
