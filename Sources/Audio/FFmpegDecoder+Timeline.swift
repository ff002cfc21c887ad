import CFFmpeg

/// Keeps decoded audio on the recording's own clock: where frame timestamps jump ahead of the
/// audio decoded so far (dropped packets, AMR/Opus discontinuous transmission, a browser that
/// paused its recorder) the gap is filled with silence instead of shifting everything after it.
///
/// The silence counts toward the decoded length and is produced a chunk at a time, so a file
/// whose timestamps claim days of silence costs one chunk of memory and is refused as too long
/// as soon as the leap is seen, instead of being filled.
extension FFmpegDecoder {
    /// Gaps shorter than this are timestamp jitter and left alone.
    static let minimumGap = 0.1

    func fillTimestampGap(before frame: UnsafeMutablePointer<AVFrame>, _ body: (PCMChunk) throws -> Void) throws {
        let samples = frame.pointee.nb_samples
        let rate = frame.pointee.sample_rate
        defer { if samples > 0, rate > 0 { decodedInputSeconds += Double(samples) / Double(rate) } }
        guard let seconds = seconds(frame.pointee.best_effort_timestamp) else { return }
        guard timelineOrigin != nil else {
            timelineOrigin = seconds
            return
        }
        try fillSilence(upTo: seconds, body)
    }

    /// Notes where a packet of the audio stream ends, so trailing undecodable packets still count.
    func notePacket(_ packet: UnsafeMutablePointer<AVPacket>) {
        guard let start = seconds(packet.pointee.pts) else { return }
        let duration = seconds(packet.pointee.duration) ?? 0
        lastPacketEnd = max(lastPacketEnd ?? start, start + max(0, duration))
    }

    /// Fills the silence up to the end of the last packet, after the decoder has been flushed.
    func fillTrailingGap(_ body: (PCMChunk) throws -> Void) throws {
        guard let end = lastPacketEnd, timelineOrigin != nil else { return }
        try fillSilence(upTo: end, body)
    }

    private func fillSilence(upTo seconds: Double, _ body: (PCMChunk) throws -> Void) throws {
        guard let origin = timelineOrigin else { return }
        let gap = (seconds - origin) - decodedInputSeconds
        guard gap >= Self.minimumGap else { return }
        let rate = Double(info.sampleRate)
        // A leap past what is left of the budget is refused before a single frame is filled.
        guard gap <= Double(maxFrames - producedFrames) / rate else {
            throw tooLong(
                ": its timestamps leap \(Self.seconds(gap)) ahead at \(Self.seconds(decodedInputSeconds)) "
                    + "(a damaged or forged file?)")
        }
        var silentFrames = Int((gap * rate).rounded())
        while silentFrames > 0 {
            let count = min(silentFrames, max(1, configuration.chunkFrames - pending[0].count))
            for channel in 0..<pending.count {
                pending[channel].append(contentsOf: repeatElement(0, count: count))
            }
            silentFrames -= count
            if pending[0].count >= configuration.chunkFrames { try emitPending(body) }
            try interrupt.check(path)
        }
        decodedInputSeconds += gap
        insertedSilence += gap
    }
}
