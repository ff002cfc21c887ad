import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opening a file the safe way: only the containers CallPipe accepts, only the `file` protocol,
/// and the interrupt callback installed before FFmpeg reads a byte.
extension FFmpegDecoder {
    /// FFmpeg's names of the demuxers CallPipe accepts: audio containers and the video containers
    /// phones and browsers record into. Playlists (`hls`), file lists (`concat`) and every other
    /// format that can make FFmpeg open further files or URLs are not among them.
    static let formatWhitelist =
        "wav,w64,mp3,flac,ogg,matroska,webm,mov,mp4,m4a,3gp,aac,amr,amrnb,amrwb,au,aiff,caf,asf,wv"

    /// Opens `path` with the whitelists and `interrupt` installed.
    static func openInput(_ path: String, interrupt: DecodeInterrupt) throws(AudioError)
        -> UnsafeMutablePointer<AVFormatContext>
    {
        var context = avformat_alloc_context()
        guard let allocated = context else {
            throw AudioError(.unreadable, "\(path): out of memory opening the file", path: path)
        }
        cp_interrupt_install(allocated, interrupt.state)
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        av_dict_set(&options, "format_whitelist", formatWhitelist, 0)
        // Also inherited by anything a demuxer opens: no network, no other protocol.
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        // `file:` keeps a path that contains a colon from naming another protocol. On failure
        // FFmpeg frees the context and sets it to nil.
        let result = avformat_open_input(&context, "file:" + path, nil, &options)
        guard result >= 0, let context else {
            try interrupt.check(path)
            if let refused = refusedFormat(path) {
                throw AudioError(
                    .unsupportedFormat,
                    "\(path): not an audio or video file CallPipe accepts: it is \(refused); playlists, file "
                        + "lists and other containers that refer to other files are refused",
                    path: path)
            }
            throw AudioError(
                .unsupportedFormat, "\(path): not an audio or video file FFmpeg can read", path: path,
                cause: FFmpegError.describe(result))
        }
        return context
    }

    /// The format FFmpeg recognises in the file's first bytes when it is not one we accept, as
    /// "Apple HTTP Live Streaming (hls)"; `nil` when it recognises none or an accepted one.
    private static func refusedFormat(_ path: String) -> String? {
        let probeSize = 4_096
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // FFmpeg's probes read up to AVPROBE_PADDING_SIZE (32) zero bytes past the data.
        var buffer = [UInt8](repeating: 0, count: probeSize + 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, probeSize, 0) }
        guard count > 0 else { return nil }
        let format = path.withCString { name in
            buffer.withUnsafeMutableBufferPointer { bytes in
                var data = AVProbeData(filename: name, buf: bytes.baseAddress, buf_size: Int32(count), mime_type: nil)
                return av_probe_input_format(&data, 1)
            }
        }
        guard let format, av_match_list(format.pointee.name, formatWhitelist, CChar(UInt8(ascii: ","))) <= 0 else {
            return nil
        }
        let name = String(cString: format.pointee.name)
        guard let long = format.pointee.long_name else { return name }
        return "\(String(cString: long)) (\(name))"
    }
}
