/// Silences everything outside speech spans (padded a little so word edges survive), so that a
/// transcription model hears one party only: not the other party's bleed, not line noise it might
/// turn into words.
package struct SpeechGate: Sendable, Equatable {
    /// Sorted, disjoint frame ranges that pass.
    package let openRanges: [Range<Int>]

    package init(spans: [SpeechSpan], padding: Double = 0.3, sampleRate: Int) {
        let rate = Double(sampleRate)
        let padded = TimeRanges.union(spans.map { (max(0, $0.start - padding), $0.end + padding) })
        openRanges = padded.map { Int(($0.0 * rate).rounded())..<Int(($0.1 * rate).rounded()) }
    }

    /// Zeroes the samples of `channels` (starting at frame `startFrame`) that fall outside speech.
    package func apply(to channels: inout [[Float]], startFrame: Int) {
        let count = channels.first?.count ?? 0
        let chunk = startFrame..<(startFrame + count)
        var cursor = startFrame
        for range in openRanges where range.upperBound > chunk.lowerBound {
            guard range.lowerBound < chunk.upperBound else { break }
            silence(&channels, cursor..<max(cursor, range.lowerBound), offset: startFrame)
            cursor = max(cursor, range.upperBound)
        }
        if cursor < chunk.upperBound { silence(&channels, cursor..<chunk.upperBound, offset: startFrame) }
    }

    private func silence(_ channels: inout [[Float]], _ frames: Range<Int>, offset: Int) {
        guard !frames.isEmpty else { return }
        for channel in channels.indices {
            for index in frames { channels[channel][index - offset] = 0 }
        }
    }
}
