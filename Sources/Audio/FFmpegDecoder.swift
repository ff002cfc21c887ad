import CFFmpeg

/// Owns one FFmpeg demuxer, decoder and resampler for one file.
///
/// The class exists to own C pointers and free them in `deinit`; it is deliberately not
/// `Sendable`. `AudioFileDecoder` creates it, drives it and drops it inside one closure running on
/// `NIOThreadPool`, and only `PCMChunk` values leave that closure.
final class FFmpegDecoder {
    let info: AudioSourceInfo
    let path: String
    let configuration: AudioDecoderConfiguration
    let streamIndex: Int32
    /// Bytes in the file, for the "header lies" check after decoding.
    let fileSize: Int64

    var formatContext: UnsafeMutablePointer<AVFormatContext>?
    var codecContext: UnsafeMutablePointer<AVCodecContext>?
    var resampler: OpaquePointer?
    var packet: UnsafeMutablePointer<AVPacket>?
    var frame: UnsafeMutablePointer<AVFrame>?
    /// Output planes handed to `swr_convert`, `planeCapacity` floats each.
    var planes: [UnsafeMutablePointer<Float>] = []
    var planeCapacity = 0
    /// Samples waiting to fill the next chunk, one array per output channel.
    var pending: [[Float]] = []
    /// Frames delivered so far.
    var deliveredFrames = 0
    /// The audio stream's timestamp unit.
    let timeBase: AVRational
    /// The first frame's timestamp in seconds: time zero of the recording.
    var timelineOrigin: Double?
    /// Seconds of input decoded (plus silence inserted) so far, on the input's clock.
    var decodedInputSeconds = 0.0
    /// Where the last packet of the audio stream ends, in seconds.
    var lastPacketEnd: Double?
    /// Seconds of silence inserted where timestamps jumped.
    var insertedSilence = 0.0
    /// The input shape the resampler was set up for.
    var resamplerInput: (format: Int32, rate: Int32, channels: Int32)?
    /// Cancellation and the deadline, polled by FFmpeg's I/O and between packets.
    let interrupt: DecodeInterrupt
    /// The most frames the decode may deliver (`maxSeconds` at the output rate).
    let maxFrames: Int

    /// Opens `path`, finds its best audio stream and opens a decoder for it. Starts `interrupt`'s
    /// deadline.
    init(path: String, configuration: AudioDecoderConfiguration, interrupt: DecodeInterrupt) throws(AudioError) {
        self.path = path
        self.configuration = configuration
        self.interrupt = interrupt
        guard configuration.chunkFrames > 0,
            AudioDecoderConfiguration.sourceSampleRates.contains(configuration.targetSampleRate ?? 8_000),
            configuration.maxSeconds > 0, configuration.maxSeconds.isFinite
        else {
            throw AudioError(
                .invalidArgument,
                "the chunk size and the longest duration must be positive and the sample rate from "
                    + "\(AudioDecoderConfiguration.sourceSampleRates.lowerBound) to "
                    + "\(AudioDecoderConfiguration.sourceSampleRates.upperBound) Hz",
                path: path)
        }
        interrupt.arm()
        self.fileSize = try AudioFileCheck.regularFileSize(path)
        try WAVHeaderCheck.verify(path: path, fileSize: fileSize)
        av_log_set_level(AV_LOG_QUIET)

        // C resources live in locals until every step has succeeded; on a throw the `defer` frees
        // them (a class whose init throws early never reaches `deinit`).
        var openedContext: UnsafeMutablePointer<AVFormatContext>?
        var openedCodec: UnsafeMutablePointer<AVCodecContext>?
        var openedPacket: UnsafeMutablePointer<AVPacket>?
        var openedFrame: UnsafeMutablePointer<AVFrame>?
        var committed = false
        defer {
            if !committed {
                av_frame_free(&openedFrame)
                av_packet_free(&openedPacket)
                avcodec_free_context(&openedCodec)
                avformat_close_input(&openedContext)
            }
        }
        let context = try Self.openInput(path, interrupt: interrupt)
        openedContext = context
        let infoResult = avformat_find_stream_info(context, nil)
        guard infoResult >= 0 else {
            try interrupt.check(path)
            throw AudioError(
                .corrupt, "\(path): FFmpeg could not read the file's streams; the file is damaged",
                path: path, cause: FFmpegError.describe(infoResult))
        }
        var codec: UnsafePointer<AVCodec>?
        let best = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0)
        if best == cp_averror_stream_not_found() {
            throw AudioError(
                .noAudioStream, "\(path): the file has no audio stream (\(Self.describeStreams(context)))",
                path: path)
        }
        if best == cp_averror_decoder_not_found() || (best >= 0 && codec == nil) {
            let name = best >= 0 ? Self.codecName(context.pointee.streams[Int(best)]!) : "unknown"
            throw AudioError(
                .unsupportedCodec, "\(path): this FFmpeg build has no decoder for the \(name) audio codec",
                path: path)
        }
        guard best >= 0, let codec else {
            throw AudioError(
                .corrupt, "\(path): FFmpeg could not select an audio stream", path: path,
                cause: FFmpegError.describe(best))
        }
        let stream = context.pointee.streams[Int(best)]!
        openedCodec = avcodec_alloc_context3(codec)
        guard let codecContext = openedCodec else {
            throw AudioError(.unreadable, "\(path): out of memory opening the decoder", path: path)
        }
        var result = avcodec_parameters_to_context(codecContext, stream.pointee.codecpar)
        if result >= 0 {
            codecContext.pointee.pkt_timebase = stream.pointee.time_base
            result = avcodec_open2(codecContext, codec, nil)
        }
        guard result >= 0 else {
            throw AudioError(
                .corrupt, "\(path): the \(Self.codecName(stream)) decoder rejected the stream's parameters",
                path: path, cause: FFmpegError.describe(result))
        }
        let parameters = stream.pointee.codecpar.pointee
        let sourceChannels = Int(parameters.ch_layout.nb_channels)
        try Self.checkShape(rate: parameters.sample_rate, channels: parameters.ch_layout.nb_channels, path: path)
        openedPacket = av_packet_alloc()
        openedFrame = av_frame_alloc()
        guard openedPacket != nil, openedFrame != nil else {
            throw AudioError(.unreadable, "\(path): out of memory opening the decoder", path: path)
        }
        let containerFormat = String(cString: context.pointee.iformat.pointee.name)
        let outputChannels = sourceChannels <= 2 ? sourceChannels : 1
        let outputRate = configuration.targetSampleRate ?? Int(parameters.sample_rate)
        maxFrames = Int((min(configuration.maxSeconds, 1e9) * Double(outputRate)).rounded())
        info = AudioSourceInfo(
            containerFormat: containerFormat,
            format: Self.shortFormatName(containerFormat, path: path),
            codec: Self.codecName(stream),
            sourceSampleRate: Int(parameters.sample_rate),
            sourceChannels: sourceChannels,
            layout: Self.describeLayout(parameters.ch_layout),
            sampleRate: outputRate,
            channels: outputChannels,
            declaredDuration: Self.declaredDuration(context, stream: stream))
        pending = Array(repeating: [], count: outputChannels)
        streamIndex = best
        timeBase = stream.pointee.time_base
        formatContext = context
        self.codecContext = codecContext
        packet = openedPacket
        frame = openedFrame
        committed = true
    }

    deinit {
        for plane in planes { plane.deallocate() }
        if resampler != nil { swr_free(&resampler) }
        if frame != nil { av_frame_free(&frame) }
        if packet != nil { av_packet_free(&packet) }
        if codecContext != nil { avcodec_free_context(&codecContext) }
        if formatContext != nil { avformat_close_input(&formatContext) }
    }
}
