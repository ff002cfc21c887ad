/// The one error type of the Audio module.
///
/// Every failure to read, decode or write audio becomes an `AudioError` at the C boundary, with a
/// code callers can switch on (the CLI maps input errors to exit code 3, the Gateway to 415/422),
/// a message that says what is wrong with which file and what to do, and the underlying cause.
package struct AudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    package enum Code: String, Sendable, Equatable {
        /// The path does not exist.
        case notFound
        /// The path is a directory or another non-regular file.
        case notAFile
        /// The file could not be opened for reading or writing (permissions, I/O error).
        case unreadable
        /// The file has zero bytes, or contains no audio samples.
        case empty
        /// The file is not in any format the decoder recognises.
        case unsupportedFormat
        /// The file's container holds no audio stream (a video-only file, say).
        case noAudioStream
        /// The audio codec has no decoder in this FFmpeg build.
        case unsupportedCodec
        /// The file ends before its header says it should.
        case truncated
        /// The file's data cannot be decoded.
        case corrupt
        /// The recording is longer than the decoder's limit, or its timestamps leap past it.
        case tooLong
        /// Decoding took longer than the decoder's deadline.
        case timedOut
        /// The caller stopped waiting for the decode (its task was cancelled).
        case cancelled
        /// Writing audio failed.
        case writeFailed
        /// Writing audio failed because the disk (or the quota) is full.
        case noSpace
        /// A caller passed an argument the Audio module cannot use.
        case invalidArgument
    }

    /// What kind of failure this is.
    package var code: Code
    /// A sentence for a person: what is wrong, with which file, and what to do about it.
    package var message: String
    /// The file the error concerns, when there is one.
    package var path: String?
    /// The library's own description of the cause (FFmpeg's or libsndfile's error string).
    package var cause: String?

    package init(_ code: Code, _ message: String, path: String? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.cause = cause
    }

    /// True for errors that are the input's fault (CLI exit code 3, HTTP 4xx).
    package var isInputError: Bool {
        switch code {
        case .writeFailed, .noSpace, .invalidArgument, .cancelled: false
        default: true
        }
    }

    /// The same error with the file's path replaced by `name` in the message, for people who
    /// must not see where the server keeps its files (an API response, a call's failure reason).
    package func naming(_ name: String) -> AudioError {
        guard let path, !path.isEmpty else { return self }
        var named = self
        named.message = message.replacing(path, with: name)
        named.path = nil
        return named
    }

    package var description: String {
        var text = message
        if let cause, !message.contains(cause) { text += " (\(cause))" }
        return text
    }
}
