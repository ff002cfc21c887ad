import CFFmpeg

/// Setting up libswresample for the decoder's actual output, which may only be known (or may
/// change, as with HE-AAC) once frames arrive.
extension FFmpegDecoder {
    func prepareResampler(for frame: UnsafeMutablePointer<AVFrame>, _ body: (PCMChunk) throws -> Void) throws {
        let shape = (
            format: frame.pointee.format, rate: frame.pointee.sample_rate,
            channels: frame.pointee.ch_layout.nb_channels
        )
        if let current = resamplerInput, current == shape { return }
        // The decoder's output may differ from what the container declared (HE-AAC, a changing stream).
        try Self.checkShape(rate: shape.rate, channels: shape.channels, path: path)
        if resampler != nil {
            // The stream changed shape mid-file: keep what the old resampler still holds.
            try drainResampler(body)
            swr_free(&resampler)
        }
        var inputLayout = AVChannelLayout()
        var outputLayout = AVChannelLayout()
        defer {
            av_channel_layout_uninit(&inputLayout)
            av_channel_layout_uninit(&outputLayout)
        }
        // One or two channels keep their order untouched (channel 0 = agent, 1 = customer);
        // only larger layouts use their real description to be mixed down to mono.
        if shape.channels <= 2 || frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_default(&inputLayout, shape.channels)
        } else {
            av_channel_layout_copy(&inputLayout, &frame.pointee.ch_layout)
        }
        av_channel_layout_default(&outputLayout, Int32(info.channels))
        var context: OpaquePointer?
        var result = swr_alloc_set_opts2(
            &context, &outputLayout, AV_SAMPLE_FMT_FLTP, Int32(info.sampleRate),
            &inputLayout, AVSampleFormat(rawValue: shape.format), shape.rate, 0, nil)
        if result >= 0 { result = swr_init(context) }
        guard result >= 0, context != nil else {
            swr_free(&context)
            throw AudioError(
                .corrupt, "\(path): cannot resample this audio to \(info.sampleRate) Hz", path: path,
                cause: FFmpegError.describe(result))
        }
        resampler = context
        resamplerInput = shape
    }
}
