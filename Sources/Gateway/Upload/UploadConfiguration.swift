/// Where uploads go and how large they may be.
package struct UploadConfiguration: Sendable, Equatable {
    /// Recordings are kept under `<directory>/<call id>/`.
    package var directory: String
    /// Larger uploads are refused with 413 (default 512 MiB).
    package var maxBytes: Int64

    package init(directory: String, maxBytes: Int64 = 512 * 1_024 * 1_024) {
        self.directory = directory
        self.maxBytes = maxBytes
    }
}
