import CFFmpeg

/// What is checked once the input is exhausted: a file that decoded to nothing, mostly failed to
/// decode, or stopped well short of the duration its header declares is an error, not a result.
extension FFmpegDecoder {
    func verifyComplete(packets: Int, failedPackets: Int, lastFailure: Int32, readFailure: Int32?) throws {
        let decoded = Double(deliveredFrames) / Double(info.sampleRate)
        if deliveredFrames == 0 {
            if failedPackets > 0 || readFailure != nil {
                throw AudioError(
                    .corrupt, "\(path): none of the \(info.codec) audio could be decoded; the file is damaged",
                    path: path, cause: FFmpegError.describe(readFailure ?? lastFailure))
            }
            throw AudioError(.empty, "\(path): the audio stream contains no samples", path: path)
        }
        if failedPackets > 3, failedPackets * 10 > packets {
            throw AudioError(
                .corrupt,
                "\(path): \(failedPackets) of \(packets) \(info.codec) packets could not be decoded; "
                    + "the file is damaged",
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

    private static func seconds(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10) s"
    }
}
