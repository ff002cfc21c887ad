import CFFmpeg

/// FFmpeg's result codes, wrapped once at the C boundary.
enum FFmpegError {
    /// FFmpeg's own description of an error code (`av_strerror`).
    static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
