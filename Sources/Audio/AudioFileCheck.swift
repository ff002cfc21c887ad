#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain file-system checks made before any decoder sees a path, so that a missing path, a
/// directory or an empty file get their own clear error instead of a decoder's guess.
enum AudioFileCheck {
    /// The size of the regular file at `path`.
    static func regularFileSize(_ path: String) throws(AudioError) -> Int64 {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            if errno == ENOENT || errno == ENOTDIR {
                throw AudioError(.notFound, "\(path): no such file", path: path)
            }
            throw AudioError(.unreadable, "\(path): cannot read the file: \(reason)", path: path, cause: reason)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            let kind = (status.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            throw AudioError(.notAFile, "\(path): is \(kind), not an audio file", path: path)
        }
        guard access(path, R_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            throw AudioError(.unreadable, "\(path): cannot read the file: \(reason)", path: path, cause: reason)
        }
        guard status.st_size > 0 else {
            throw AudioError(.empty, "\(path): the file is empty (0 bytes)", path: path)
        }
        return Int64(status.st_size)
    }
}
