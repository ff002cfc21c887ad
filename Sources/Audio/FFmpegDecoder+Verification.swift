import CFFmpeg

/// What is checked once the input is exhausted: a file that decoded to nothing, mostly failed to
/// decode, or stopped well short of the duration its header declares is an error, not a result.
extension FFmpegDecoder {
    /// What went wrong while decoding, counted for the verdict.
    struct DecodeFailures {
        var packets: Int
        var failedPackets: Int
        var bytes: Int
        var failedBytes: Int
        var lastFailure: Int32
        var readFailure: Int32?
    }

    func verifyComplete(failures: DecodeFailures) throws {
        let failedPackets = failures.failedPackets
        let readFailure = failures.readFailure
        let lastFailure = failures.lastFailure
        let decoded = Double(deliveredFrames) / Double(info.sampleRate)
        if deliveredFrames == 0 {
            if failedPackets > 0 || readFailure != nil {
                throw AudioError(
                    .corrupt, "\(path): none of the \(info.codec) audio could be decoded; the file is damaged",
                    path: path, cause: FFmpegError.describe(readFailure ?? lastFailure))
            }
            throw AudioError(.empty, "\(path): the audio stream contains no samples", path: path)
        }
        if failedPackets > 3, failures.failedBytes * 10 > failures.bytes {
            throw AudioError(
                .corrupt,
                "\(path): \(failedPackets) of \(failures.packets) \(info.codec) packets "
                    + "(\(failures.failedBytes * 100 / max(1, failures.bytes))% of the audio data) could not be "
                    + "decoded; the file is damaged",
                path: path, cause: FFmpegError.describe(lastFailure))
        }
        if !configuration.allowTruncated, let declared = info.declaredDuration,
            declared - decoded > max(1.0, 0.05 * declared)
        {
            throw AudioError(
                .truncated,
                "\(path): the audio stops at \(Self.seconds(decoded)) but the file declares "
                    + "\(Self.seconds(declared)); the file is truncated (an interrupted upload or copy?)",
                path: path)
        }
    }
}
