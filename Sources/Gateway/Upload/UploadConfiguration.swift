import CallPipeCore

/// Where uploads go and how large they may be.
package struct UploadConfiguration: Sendable, Equatable {
    /// Recordings are kept under `<directory>/<call id>/`.
    package var directory: String
    /// Larger uploads are refused with 413 (default 512 MiB).
    package var maxBytes: Int64
    /// Uploads are refused with 507 when the disk has less free space than this
    /// (`CALLPIPE_MIN_FREE_MB`), before and while they are written.
    package var minimumFreeBytes: Int64

    package init(
        directory: String, maxBytes: Int64 = 512 * 1_024 * 1_024,
        minimumFreeBytes: Int64 = StorageConfiguration.defaultMinimumFreeBytes
    ) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.minimumFreeBytes = minimumFreeBytes
    }

    var freeSpace: FreeSpaceGuard { FreeSpaceGuard(minimumFreeBytes: minimumFreeBytes) }
}
