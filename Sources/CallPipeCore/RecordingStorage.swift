package import NIOCore

/// Where recordings live once they are complete: the local recordings directory (the default) or
/// S3-compatible object storage (`CALLPIPE_STORAGE_URL`, docs/configuration.md "Recordings").
/// A recording's `path` in the store is the location this returns; uploads and live recordings
/// are first written to the node's disk, then kept here before the call or upload is stored.
package protocol RecordingStorage: Sendable {
    /// `local` or `s3`, as `/metrics` labels it.
    var kind: String { get }

    /// What `/health` shows: the kind and where, never a credential.
    var summary: String { get }

    /// Keeps the complete, fsynced local file `path` as `key` (`<call id>/<file name>`) and returns
    /// the location to store. The local file is left alone: when the location differs from `path`,
    /// the caller removes it once the store refers to the location (so a crash in between leaves
    /// the file for recovery, never a recording that is nowhere).
    func keep(_ path: String, key: String, contentType: String) async throws -> String

    /// Runs `body` with a local file that holds the recording at `location` (downloaded for the
    /// duration of `body` when the recording is remote).
    func withLocalFile<T: Sendable>(
        _ location: String, _ body: (String) async throws -> T
    ) async throws -> T

    /// How to serve the recording at `location`; `nil` when it is gone.
    func source(of location: String) async throws -> RecordingSource?

    /// Removes the recording at `location` (gone already is fine).
    func delete(_ location: String) async throws

    /// Throws when the storage cannot be reached or used (`/health`, and once at start).
    func check() async throws
}

/// Where a stored recording's bytes come from when it is served.
package enum RecordingSource: Sendable {
    /// A file on this node's disk.
    case file(String)
    /// An object of `size` bytes; `open` streams the bytes of a range of it.
    case remote(
        size: Int,
        open: @Sendable (ClosedRange<Int>) async throws -> any AsyncSequence<ByteBuffer, any Error> & Sendable)
}
