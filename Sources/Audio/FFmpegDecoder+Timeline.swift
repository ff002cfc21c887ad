import CFFmpeg

/// Keeps decoded audio on the recording's own clock: where frame timestamps jump ahead of the
/// audio decoded so far (dropped packets, AMR/Opus discontinuous transmission, a browser that
/// paused its recorder) the gap is filled with silence instead of shifting everything after it.
extension FFmpegDecoder {
    /// Gaps shorter than this are timestamp jitter and left alone.
    static let minimumGap = 0.1

    func fillTimestampGap(before frame: UnsafeMutablePointer<AVFrame>) {
        defer { decodedInputSeconds += Double(frame.pointee.nb_samples) / Double(frame.pointee.sample_rate) }
        guard let seconds = seconds(frame.pointee.best_effort_timestamp) else { return }
        guard timelineOrigin != nil else {
            timelineOrigin = seconds
            return
        }
        fillSilence(upTo: seconds)
    }

    /// Notes where a packet of the audio stream ends, so trailing undecodable packets still count.
    func notePacket(_ packet: UnsafeMutablePointer<AVPacket>) {
        guard let start = seconds(packet.pointee.pts) else { return }
        let duration = Double(packet.pointee.duration) * Double(timeBase.num) / Double(max(1, timeBase.den))
        lastPacketEnd = max(lastPacketEnd ?? start, start + max(0, duration))
    }

    /// Fills the silence up to the end of the last packet, after the decoder has been flushed.
    func fillTrailingGap() {
        guard let end = lastPacketEnd, timelineOrigin != nil else { return }
        fillSilence(upTo: end)
    }

    private func seconds(_ timestamp: Int64) -> Double? {
        guard timestamp != cp_av_nopts_value(), timeBase.den > 0 else { return nil }
        return Double(timestamp) * Double(timeBase.num) / Double(timeBase.den)
    }

    private func fillSilence(upTo seconds: Double) {
        guard let origin = timelineOrigin else { return }
        let gap = (seconds - origin) - decodedInputSeconds
        guard gap >= Self.minimumGap else { return }
        let silentFrames = Int((gap * Double(info.sampleRate)).rounded())
        for channel in 0..<pending.count {
            pending[channel].append(contentsOf: repeatElement(0, count: silentFrames))
        }
        decodedInputSeconds += gap
        insertedSilence += gap
    }
}
