import CSndFile

/// Reads WAV and FLAC files with libsndfile, without FFmpeg: fast, at the file's own rate.
///
/// Owns the `SNDFILE` handle; not `Sendable`. Use it inside one task or thread-pool closure.
package final class SoundFileReader {
    package let path: String
    package let sampleRate: Int
    package let channels: Int
    /// Frames in the file, as its header declares.
    package let frames: Int
    private var file: OpaquePointer?
    private var interleaved: [Float] = []

    package init(path: String) throws(AudioError) {
        _ = try AudioFileCheck.regularFileSize(path)
        var info = SF_INFO()
        guard let opened = sf_open(path, Int32(SFM_READ), &info) else {
            let reason = SoundFileError.describe(nil)
            throw AudioError(
                .unsupportedFormat, "\(path): not a WAV or FLAC file libsndfile can read", path: path, cause: reason)
        }
        guard info.channels > 0, info.samplerate > 0 else {
            sf_close(opened)
            throw AudioError(.corrupt, "\(path): the file declares no channels or no sample rate", path: path)
        }
        self.path = path
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        frames = Int(info.frames)
        file = opened
    }

    deinit {
        if let file { sf_close(file) }
    }

    /// Moves the read position to `frame` (clamped to the file).
    package func seek(toFrame frame: Int) throws(AudioError) {
        guard let file else { return }
        guard sf_seek(file, sf_count_t(max(0, min(frame, frames))), 0 /* SEEK_SET */) >= 0 else {
            throw AudioError(.corrupt, "\(path): cannot seek to frame \(frame)", path: path)
        }
    }

    /// Reads up to `maxFrames` frames as planar samples; `nil` at the end of the file.
    package func read(maxFrames: Int = 16_000) throws(AudioError) -> [[Float]]? {
        guard let file, maxFrames > 0 else { return nil }
        if interleaved.count < maxFrames * channels { interleaved = [Float](repeating: 0, count: maxFrames * channels) }
        let got = Int(
            interleaved.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, sf_count_t(maxFrames)) })
        if got <= 0 {
            let code = sf_error(file)
            guard code == 0 else {
                throw AudioError(
                    .corrupt, "\(path): reading audio failed", path: path, cause: String(cString: sf_error_number(code))
                )
            }
            return nil
        }
        let channels = channels
        return interleaved.withUnsafeBufferPointer { source in
            (0..<channels).map { channel in
                [Float](unsafeUninitializedCapacity: got) { target, count in
                    for index in 0..<got { target[index] = source[index * channels + channel] }
                    count = got
                }
            }
        }
    }
}
