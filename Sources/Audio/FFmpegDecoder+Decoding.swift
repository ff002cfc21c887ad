import CFFmpeg

/// The decode loop: packets → frames → resampled planar float → chunks.
extension FFmpegDecoder {
    /// Decodes the whole file, handing each chunk to `body` as soon as it is full. Memory stays
    /// bounded by one chunk plus FFmpeg's own buffers, whatever the file's length or timestamps
    /// claim; the decoded length by `maxSeconds`; the time by the interrupt's deadline.
    func decode(_ body: (PCMChunk) throws -> Void) throws {
        guard let formatContext, let codecContext, let packet, let frame else { return }
        var packets = 0
        var failedPackets = 0
        var bytes = 0
        var failedBytes = 0
        var lastFailure: Int32 = 0
        var readFailure: Int32?
        while true {
            try interrupt.check(path)
            let read = av_read_frame(formatContext, packet)
            if read < 0 {
                try interrupt.check(path)  // An interrupted read ends the decode with the reason.
                if read != cp_averror_eof() { readFailure = read }
                break
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            packets += 1
            bytes += Int(packet.pointee.size)
            notePacket(packet)
            var result = avcodec_send_packet(codecContext, packet)
            if result >= 0 { result = try receiveFrames(codecContext, frame, body) }
            if result < 0 {
                // Counted, not fatal: a few bad packets (or AMR's comfort-noise frames, which
                // this FFmpeg cannot decode) become silence through the timestamp gap fill.
                failedPackets += 1
                failedBytes += Int(packet.pointee.size)
                lastFailure = result
            }
        }
        // Flush the decoder, then the resampler, so the last milliseconds are not lost.
        if avcodec_send_packet(codecContext, nil) >= 0 {
            _ = try receiveFrames(codecContext, frame, body)
        }
        try drainResampler(body)
        try fillTrailingGap(body)
        if pending.first.map({ !$0.isEmpty }) ?? false { try emitPending(body) }
        try verifyComplete(
            failures: DecodeFailures(
                packets: packets, failedPackets: failedPackets, bytes: bytes, failedBytes: failedBytes,
                lastFailure: lastFailure, readFailure: readFailure))
    }

    /// Receives every frame the decoder has ready; returns the first decoding error, or 0.
    private func receiveFrames(
        _ codecContext: UnsafeMutablePointer<AVCodecContext>, _ frame: UnsafeMutablePointer<AVFrame>,
        _ body: (PCMChunk) throws -> Void
    ) throws -> Int32 {
        while true {
            let result = avcodec_receive_frame(codecContext, frame)
            if result == cp_averror(EAGAIN) || result == cp_averror_eof() { return 0 }
            if result < 0 { return result }
            defer { av_frame_unref(frame) }
            try resample(frame, body)
        }
    }

    private func resample(_ frame: UnsafeMutablePointer<AVFrame>, _ body: (PCMChunk) throws -> Void) throws {
        try prepareResampler(for: frame, body)
        try fillTimestampGap(before: frame, body)
        let inputFrames = frame.pointee.nb_samples
        reservePlanes(Int(swr_get_out_samples(resampler, inputFrames)))
        let input = UnsafeMutableRawPointer(frame.pointee.extended_data)
            .assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
        try convert(input: input, frames: inputFrames, body)
    }

    /// Drains the samples the resampler still holds (its filter delay) at the end of input.
    func drainResampler(_ body: (PCMChunk) throws -> Void) throws {
        guard resampler != nil else { return }
        reservePlanes(Int(swr_get_out_samples(resampler, 0)) + 64)
        while try convert(input: nil, frames: 0, body) > 0 {}
    }

    @discardableResult
    private func convert(
        input: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, frames: Int32, _ body: (PCMChunk) throws -> Void
    ) throws -> Int {
        let outputs = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: planes.count)
        defer { outputs.deallocate() }
        for (index, plane) in planes.enumerated() {
            outputs[index] = UnsafeMutableRawPointer(plane).assumingMemoryBound(to: UInt8.self)
        }
        let converted = swr_convert(resampler, outputs, Int32(planeCapacity), input, frames)
        guard converted >= 0 else {
            throw AudioError(
                .corrupt, "\(path): resampling failed", path: path, cause: FFmpegError.describe(converted))
        }
        let count = Int(converted)
        for channel in 0..<pending.count {
            pending[channel].append(contentsOf: UnsafeBufferPointer(start: planes[channel], count: count))
        }
        try checkLength()
        if pending[0].count >= configuration.chunkFrames { try emitPending(body) }
        return count
    }

    func emitPending(_ body: (PCMChunk) throws -> Void) throws {
        let chunk = PCMChunk(channels: pending, startFrame: deliveredFrames, sampleRate: info.sampleRate)
        deliveredFrames += chunk.frameCount
        for channel in 0..<pending.count {
            pending[channel] = []
            pending[channel].reserveCapacity(configuration.chunkFrames + 4_096)
        }
        try body(chunk)
    }

    func reservePlanes(_ frames: Int) {
        guard frames > planeCapacity || planes.isEmpty else { return }
        for plane in planes { plane.deallocate() }
        planeCapacity = max(frames, 4_096)
        planes = (0..<info.channels).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: planeCapacity) }
    }
}
