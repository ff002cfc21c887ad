package import CallPipeCore

/// Puts the separately timed tracks of a live stream (Twilio's `inbound` and `outbound`) on one
/// timeline and hands out equal-length planar blocks.
///
/// Each track's payloads are placed by their own timestamp: a missing chunk becomes silence once
/// later audio is `reorderWindow` samples ahead of it, a late chunk that still fits is put where it
/// belongs, one that comes after its gap was filled is dropped (and counted) — time never shifts.
/// A track that falls more than `lagWindow` behind the others (or one the stream never sends) is
/// filled with silence so the other party's audio keeps flowing. Memory is bounded by the windows.
package struct LiveTrackAligner: Sendable {
    private struct Track: Sendable {
        /// Samples ready in order, starting at `readyStart`.
        var ready: [Float] = []
        var readyStart = 0
        /// Audio that came ahead of a gap, by position.
        var pending: [Int: [Float]] = [:]
        var furthest = 0
        var readyEnd: Int { readyStart + ready.count }
    }

    package let channels: Int
    package let reorderWindow: Int
    package let lagWindow: Int
    /// Longest jump ahead a timestamp may make (a larger one is a broken client).
    package let maxJump: Int
    private var tracks: [Track]
    /// Tracks the stream does not carry: always silence, never waited for.
    private var silent: Set<Int> = []
    /// Position (in samples) of the next block handed out.
    package private(set) var emitted = 0
    /// Samples dropped because they came after their place was filled with silence.
    package private(set) var lateSamples = 0
    /// Samples of silence put in for audio that never came.
    package private(set) var filledSamples = 0

    package init(channels: Int, sampleRate: Int, reorderWindow: Double = 0.1, lagWindow: Double = 0.3) {
        self.channels = channels
        self.reorderWindow = Int(Double(sampleRate) * reorderWindow)
        self.lagWindow = Int(Double(sampleRate) * lagWindow)
        maxJump = sampleRate * 60
        tracks = Array(repeating: Track(), count: channels)
    }

    /// Declares that the stream will not carry `channel` (Twilio `tracks` without it).
    package mutating func markSilent(_ channel: Int) {
        silent.insert(channel)
    }

    /// Adds a track's samples starting at sample `position` of the stream.
    package mutating func add(_ samples: [Float], channel: Int, at position: Int) throws(CallPipeError) {
        guard channel < channels, !samples.isEmpty, !silent.contains(channel) else { return }
        guard position >= 0, position <= tracks[channel].furthest + maxJump else {
            throw CallPipeError(.invalid, "a timestamp jumps more than 60 s ahead of the stream (position \(position))")
        }
        // In place (`inout` into the array): the track's buffers are never copied.
        Self.place(
            samples, at: position, in: &tracks[channel], reorderWindow: reorderWindow, filled: &filledSamples,
            late: &lateSamples)
    }

    private static func place(
        _ samples: [Float], at position: Int, in track: inout Track, reorderWindow: Int, filled: inout Int,
        late: inout Int
    ) {
        let end = position + samples.count
        track.furthest = max(track.furthest, end)
        if end <= track.readyEnd {
            late += samples.count
            return
        }
        if position <= track.readyEnd {
            let skip = track.readyEnd - position
            late += skip
            track.ready.append(contentsOf: samples[skip...])
        } else {
            track.pending[position] = samples
        }
        settle(&track, reorderWindow: reorderWindow, filled: &filled, late: &late)
    }

    /// The next block every track has audio for (or that a lagging track was filled for), planar;
    /// `nil` when there is none yet.
    package mutating func take() -> [[Float]]? {
        let leader = tracks.map(\.readyEnd).max() ?? 0
        for index in tracks.indices {
            if silent.contains(index) {
                Self.fill(
                    &tracks[index], to: leader, reorderWindow: reorderWindow, filled: &filledSamples, late: &lateSamples
                )
            } else if leader - tracks[index].readyEnd > lagWindow {
                Self.fill(
                    &tracks[index], to: leader - lagWindow, reorderWindow: reorderWindow, filled: &filledSamples,
                    late: &lateSamples)
            }
        }
        let available = (tracks.map(\.readyEnd).min() ?? emitted) - emitted
        guard available > 0 else { return nil }
        return block(available)
    }

    /// Everything still held, with the gaps filled: the end of the stream.
    package mutating func drain() -> [[Float]]? {
        let leader = tracks.map { max($0.readyEnd, $0.furthest) }.max() ?? 0
        for index in tracks.indices {
            Self.fill(
                &tracks[index], to: leader, reorderWindow: reorderWindow, filled: &filledSamples, late: &lateSamples)
        }
        let available = leader - emitted
        guard available > 0 else { return nil }
        return block(available)
    }

    private mutating func block(_ count: Int) -> [[Float]] {
        var planar: [[Float]] = []
        planar.reserveCapacity(channels)
        for index in tracks.indices {
            planar.append(Array(tracks[index].ready.prefix(count)))
            tracks[index].ready.removeFirst(count)
            tracks[index].readyStart += count
        }
        emitted += count
        return planar
    }

    private static func fill(
        _ track: inout Track, to position: Int, reorderWindow: Int, filled: inout Int, late: inout Int
    ) {
        guard position > track.readyEnd else { return }
        // Pending audio before `position` is placed; the rest of the gap is silence.
        while let next = track.pending.keys.filter({ $0 < position }).min() {
            let gap = next - track.readyEnd
            if gap > 0 {
                track.ready.append(contentsOf: repeatElement(0, count: gap))
                filled += gap
            }
            let samples = track.pending.removeValue(forKey: next) ?? []
            let skip = max(0, track.readyEnd - next)
            late += min(skip, samples.count)
            if skip < samples.count { track.ready.append(contentsOf: samples[skip...]) }
        }
        if position > track.readyEnd {
            filled += position - track.readyEnd
            track.ready.append(contentsOf: repeatElement(0, count: position - track.readyEnd))
        }
        settle(&track, reorderWindow: reorderWindow, filled: &filled, late: &late)
    }

    /// Moves pending audio that now follows on into `ready`; fills a gap with silence once later
    /// audio is more than `reorderWindow` past it.
    private static func settle(_ track: inout Track, reorderWindow: Int, filled: inout Int, late: inout Int) {
        while let next = track.pending.keys.min() {
            if next > track.readyEnd {
                guard track.furthest - track.readyEnd > reorderWindow else { return }
                filled += next - track.readyEnd
                track.ready.append(contentsOf: repeatElement(0, count: next - track.readyEnd))
            }
            let samples = track.pending.removeValue(forKey: next) ?? []
            let skip = track.readyEnd - next
            late += min(skip, samples.count)
            if skip < samples.count { track.ready.append(contentsOf: samples[skip...]) }
        }
    }
}
