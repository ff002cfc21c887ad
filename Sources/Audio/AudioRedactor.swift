import Foundation

/// Writes a recording again with stretches of it muted (docs/redaction.md "Audio"): every channel
/// is silent in each range, at the source's own sample rate and channels, as 16-bit FLAC (lossless,
/// so the rest of the call sounds as it did, whatever codec it came in). FLAC takes at most
/// 655,350 Hz; the decoder accepts up to 192,000.
package struct AudioRedactor: Sendable {
    package var decoder: AudioFileDecoder

    /// `decoder`'s bounds and pool, at the source's sample rate.
    package init(decoder: AudioFileDecoder = .init()) {
        var decoder = decoder
        decoder.configuration.targetSampleRate = nil
        self.decoder = decoder
    }

    /// What was written.
    package struct Output: Sendable, Equatable {
        package var frames: Int
        package var sampleRate: Int
        package var channels: Int
        /// Seconds muted (the ranges within the recording).
        package var mutedSeconds: Double
    }

    /// Decodes `path` and writes it to `output` (FLAC, flushed to the disk) with `ranges` (seconds)
    /// muted on every channel.
    package func write(_ path: String, muting ranges: [ClosedRange<Double>], to output: String) async throws -> Output {
        try await decoder.withSession(path) { session in
            let info = session.info
            let writer = try SoundFileWriter(
                path: output, format: .flac, sampleRate: info.sampleRate, channels: info.channels)
            let rate = Double(info.sampleRate)
            let frameRanges = ranges.map { range -> Range<Int> in
                // Every frame whose time is inside the range, both ends included.
                let from = Int((range.lowerBound * rate).rounded(.down))
                return from..<max(from, Int((range.upperBound * rate).rounded(.down)) + 1)
            }
            var muted = 0
            try session.forEachChunk { pcm in
                var planar = pcm.channels
                let chunk = pcm.startFrame..<(pcm.startFrame + pcm.frameCount)
                for range in frameRanges where range.overlaps(chunk) {
                    let from = max(range.lowerBound, chunk.lowerBound) - pcm.startFrame
                    let to = min(range.upperBound, chunk.upperBound) - pcm.startFrame
                    for channel in planar.indices {
                        planar[channel].withUnsafeMutableBufferPointer { samples in
                            for index in from..<to { samples[index] = 0 }
                        }
                    }
                    muted += to - from
                }
                try writer.write(planar)
            }
            let frames = writer.framesWritten
            writer.synchronize()
            try writer.close()
            return Output(
                frames: frames, sampleRate: info.sampleRate, channels: info.channels,
                mutedSeconds: Double(muted) / Double(info.sampleRate))
        }
    }
}
