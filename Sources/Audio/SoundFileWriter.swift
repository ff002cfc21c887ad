import CSndFile
import Foundation

/// Writes planar float audio to a WAV or FLAC file with libsndfile.
///
/// Owns the `SNDFILE` handle (closed in `close()` or `deinit`); not `Sendable`: one task or one
/// thread-pool closure writes a file. Samples beyond ±1 are clipped, not wrapped.
package final class SoundFileWriter {
    package let path: String
    package let format: SoundFileFormat
    package let sampleRate: Int
    package let channels: Int
    /// Frames written so far.
    package private(set) var framesWritten = 0
    private var file: OpaquePointer?
    private var interleaved: [Float] = []

    /// Creates (or replaces) the file at `path`. With `durableHeader`, a WAV header is rewritten
    /// after every write, so a crash leaves a complete, readable file of what was written.
    package init(
        path: String, format: SoundFileFormat, sampleRate: Int, channels: Int, durableHeader: Bool = false
    ) throws(AudioError) {
        guard sampleRate > 0, (1...8).contains(channels) else {
            throw AudioError(.invalidArgument, "\(path): cannot write \(channels) channels at \(sampleRate) Hz")
        }
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format.sndfileFormat
        guard let opened = sf_open(path, Int32(SFM_WRITE), &info) else {
            let cause = SoundFileError.describe(nil)
            throw AudioError(
                SoundFileError.isOutOfSpace(errno: errno, cause: cause) ? .noSpace : .writeFailed,
                "\(path): cannot create the \(format.rawValue) file", path: path, cause: cause)
        }
        sf_command(opened, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        if durableHeader { sf_command(opened, Int32(SFC_SET_UPDATE_HEADER_AUTO), nil, Int32(SF_TRUE)) }
        self.path = path
        self.format = format
        self.sampleRate = sampleRate
        self.channels = channels
        file = opened
    }

    deinit {
        if let file { sf_close(file) }
    }

    /// Appends planar samples (one array per channel, equal lengths).
    package func write(_ planar: [[Float]]) throws(AudioError) {
        try write(planar, range: 0..<(planar.first?.count ?? 0))
    }

    /// Appends the frames in `range` of planar samples.
    package func write(_ planar: [[Float]], range: Range<Int>) throws(AudioError) {
        guard let file else { throw AudioError(.writeFailed, "\(path): the file is already closed", path: path) }
        guard planar.count == channels else {
            throw AudioError(.invalidArgument, "\(path): expected \(channels) channels, got \(planar.count)")
        }
        let frames = range.count
        guard frames > 0 else { return }
        // Interleaved through pointers: no exclusivity or uniqueness check per sample.
        let channels = channels
        if interleaved.count < frames * channels { interleaved = [Float](repeating: 0, count: frames * channels) }
        interleaved.withUnsafeMutableBufferPointer { target in
            for channel in 0..<channels {
                planar[channel].withUnsafeBufferPointer { source in
                    var offset = channel
                    for index in range {
                        target[offset] = source[index]
                        offset += channels
                    }
                }
            }
        }
        let written = interleaved.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(frames)) }
        guard written == frames else {
            let code = errno
            let cause = SoundFileError.describe(file)
            throw AudioError(
                SoundFileError.isOutOfSpace(errno: code, cause: cause) ? .noSpace : .writeFailed,
                "\(path): writing audio failed", path: path, cause: cause)
        }
        framesWritten += frames
    }

    /// Rewrites the header for the frames written so far, so a reader (or a crash) sees them all.
    package func updateHeader() {
        guard let file else { return }
        sf_command(file, Int32(SFC_UPDATE_HEADER_NOW), nil, 0)
    }

    /// Flushes the file's data to the disk (`fsync`).
    package func synchronize() {
        guard let file else { return }
        sf_write_sync(file)
    }

    /// Flushes headers and closes the file; further writes fail.
    package func close() throws(AudioError) {
        guard let file else { return }
        self.file = nil
        let result = sf_close(file)
        guard result == 0 else {
            throw AudioError(
                .writeFailed, "\(path): closing the file failed", path: path,
                cause: String(cString: sf_error_number(result)))
        }
    }
}
