import CallPipeCore
import Configuration
import Logging
import ObjectStorage

/// The recording storage `CALLPIPE_STORAGE_URL` names (docs/configuration.md, "Recordings"): unset,
/// `local` or `file:…`, the data directory's `recordings/`; `s3://BUCKET/PREFIX`, S3-compatible
/// object storage, checked once at start (a wrong key or a missing bucket stops the start, with
/// the storage's own reason, rather than failing the first upload).
enum ConfiguredRecordingStorage {
    static func make(
        reader: ConfigReader, dataDirectory: String, recordingsDirectory: String, logger: Logger
    ) async throws -> any RecordingStorage {
        let configuration: S3Configuration?
        do {
            configuration = try S3Configuration(reader: reader, dataDirectory: dataDirectory)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        guard let configuration else { return LocalRecordingStorage(directory: recordingsDirectory) }
        let storage = S3RecordingStorage(client: S3Client(configuration: configuration), logger: logger)
        do {
            try await storage.check()
        } catch {
            throw CommandFailure(
                message: "the recording storage \(configuration) cannot be used: \(error)", exitCode: 1)
        }
        logger.info("Recordings in object storage", metadata: ["storage": "\(configuration)"])
        return storage
    }
}
