import CFFmpeg

/// Names and numbers read from FFmpeg's structures, for `AudioSourceInfo` and error messages.
extension FFmpegDecoder {
    static func codecName(_ stream: UnsafeMutablePointer<AVStream>) -> String {
        String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id))
    }

    /// "video: h264, data: bin_data" — what a file without audio holds instead.
    static func describeStreams(_ context: UnsafeMutablePointer<AVFormatContext>) -> String {
        let count = Int(context.pointee.nb_streams)
        guard count > 0 else { return "it contains no streams at all" }
        return (0..<count).map { index in
            let stream = context.pointee.streams[index]!
            let type = av_get_media_type_string(stream.pointee.codecpar.pointee.codec_type)
            let typeName = type.map { String(cString: $0) } ?? "unknown"
            return "\(typeName): \(codecName(stream))"
        }.joined(separator: ", ")
    }

    static func describeLayout(_ layout: AVChannelLayout) -> String {
        var layout = layout
        if layout.order == AV_CHANNEL_ORDER_UNSPEC {
            let channels = layout.nb_channels
            av_channel_layout_default(&layout, channels)
        }
        var buffer = [CChar](repeating: 0, count: 64)
        guard av_channel_layout_describe(&layout, &buffer, buffer.count) > 0 else {
            return "\(layout.nb_channels) channels"
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The short name users know: the file's extension when FFmpeg's demuxer lists it
    /// (`mov,mp4,m4a,...` read from `call.m4a` is `m4a`), otherwise the demuxer's first name.
    static func shortFormatName(_ containerFormat: String, path: String) -> String {
        let names = containerFormat.split(separator: ",").map(String.init)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = fileName.lastIndex(of: ".") {
            let ext = fileName[fileName.index(after: dot)...].lowercased()
            if names.contains(ext) { return ext }
        }
        return names.first ?? containerFormat
    }

    /// The audio stream's duration as the container declares it; `nil` when the container does
    /// not declare one, or only estimates it from the bitrate (then it proves nothing).
    static func declaredDuration(
        _ context: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>
    ) -> Double? {
        let noValue = cp_av_nopts_value()
        guard context.pointee.duration_estimation_method != AVFMT_DURATION_FROM_BITRATE else { return nil }
        if stream.pointee.duration != noValue, stream.pointee.duration > 0 {
            let base = stream.pointee.time_base
            guard base.num > 0, base.den > 0 else { return nil }
            return Double(stream.pointee.duration) * Double(base.num) / Double(base.den)
        }
        // The container-wide duration speaks for the audio only when audio is all it holds.
        guard context.pointee.nb_streams == 1, context.pointee.duration != noValue, context.pointee.duration > 0
        else { return nil }
        return Double(context.pointee.duration) / Double(cp_av_time_base())
    }
}
