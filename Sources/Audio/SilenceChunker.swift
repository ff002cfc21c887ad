/// Splits a recording into chunks short enough for a transcription API — at most
/// `maxDuration` seconds and, encoded, at most `maxBytes` — cutting in the middle of silences so
/// no word is cut in two. Offsets are exact frame indices of the decoded audio.
package struct SilenceChunker: Sendable {
    package struct Configuration: Sendable, Equatable {
        /// Longest chunk in seconds.
        package var maxDuration: Double = 600
        /// Largest encoded chunk: under Whisper's 25 MiB upload limit with room for the form.
        package var maxBytes: Int = 24 * 1_024 * 1_024
        /// The encoding the byte budget applies to.
        package var format: SoundFileFormat = .flac
        /// Silences shorter than this are a last resort for a cut.
        package var preferredSilence: Double = 0.3

        package init(maxDuration: Double = 600, maxBytes: Int = 24 * 1_024 * 1_024, format: SoundFileFormat = .flac) {
            self.maxDuration = maxDuration
            self.maxBytes = maxBytes
            self.format = format
        }
    }

    package var configuration: Configuration

    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The longest chunk, in frames, that both limits allow.
    package func maxFrames(sampleRate: Int, channels: Int) -> Int {
        let byDuration = Int(configuration.maxDuration * Double(sampleRate))
        var low = 1
        var high = max(1, byDuration)
        // The byte bound is monotonic in frames: find the largest count within budget.
        while low < high {
            let middle = (low + high + 1) / 2
            if configuration.format.maximumBytes(frames: middle, channels: channels) <= configuration.maxBytes {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return low
    }

    /// Chunks covering `totalFrames` frames, cut inside the silences between `spans`
    /// (speech of any channel counts as speech).
    package func plan(spans: [SpeechSpan], totalFrames: Int, sampleRate: Int, channels: Int) -> [AudioChunk] {
        guard totalFrames > 0, sampleRate > 0 else { return [] }
        let limit = maxFrames(sampleRate: sampleRate, channels: channels)
        let rate = Double(sampleRate)
        let speech = TimeRanges.union(spans.map { ($0.start, $0.end) })
        let silences = TimeRanges.gaps(in: speech, from: 0, to: Double(totalFrames) / rate)
            .map { (Int(($0.0 * rate).rounded()), Int(($0.1 * rate).rounded())) }
        var chunks: [AudioChunk] = []
        var start = 0
        while totalFrames - start > limit {
            let (cut, inSilence) = cutPoint(after: start, limit: limit, silences: silences, rate: rate)
            chunks.append(
                AudioChunk(
                    index: chunks.count, startFrame: start, endFrame: cut, sampleRate: sampleRate,
                    cutsSpeech: !inSilence))
            start = cut
        }
        chunks.append(
            AudioChunk(
                index: chunks.count, startFrame: start, endFrame: totalFrames, sampleRate: sampleRate, cutsSpeech: false
            ))
        return chunks
    }

    /// The latest good cut in `(start, start + limit]`: the middle of the last silence of at
    /// least `preferredSilence` that fits, else of the longest silence, else the limit itself.
    private func cutPoint(after start: Int, limit: Int, silences: [(Int, Int)], rate: Double) -> (Int, Bool) {
        let end = start + limit
        let earliest = start + max(1, limit / 10)
        let usable = silences.compactMap { silence -> (Int, Int)? in
            let from = max(silence.0, earliest)
            let to = min(silence.1, end)
            return to > from ? (from, to) : nil
        }
        let preferred = Int(configuration.preferredSilence * rate)
        if let last = usable.last(where: { $0.1 - $0.0 >= preferred }) ?? usable.max(by: { $0.1 - $0.0 < $1.1 - $1.0 })
        {
            return ((last.0 + last.1) / 2, true)
        }
        return (end, false)
    }
}
