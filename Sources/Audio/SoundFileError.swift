import CSndFile
import Foundation

/// libsndfile's errors, wrapped once at the C boundary.
enum SoundFileError {
    /// libsndfile's description of the last error on `file` (or of the last failed open).
    static func describe(_ file: OpaquePointer?) -> String {
        String(cString: sf_strerror(file))
    }

    /// Whether a failed write ran out of disk space or quota: libsndfile keeps the system error
    /// only as text, so the `errno` right after the call is checked, and the text as a fallback.
    static func isOutOfSpace(errno code: Int32, cause: String) -> Bool {
        if code == ENOSPC || code == EDQUOT { return true }
        return [ENOSPC, EDQUOT].contains { cause.contains(String(cString: strerror($0))) }
    }
}
