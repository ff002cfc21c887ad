import CSndFile

/// libsndfile's errors, wrapped once at the C boundary.
enum SoundFileError {
    /// libsndfile's description of the last error on `file` (or of the last failed open).
    static func describe(_ file: OpaquePointer?) -> String {
        String(cString: sf_strerror(file))
    }
}
