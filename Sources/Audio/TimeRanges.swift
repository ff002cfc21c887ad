/// Interval arithmetic on `(start, end)` pairs in seconds.
enum TimeRanges {
    /// The union of possibly overlapping ranges, sorted and merged.
    static func union(_ ranges: [(Double, Double)]) -> [(Double, Double)] {
        var merged: [(Double, Double)] = []
        for range in ranges.sorted(by: { $0.0 < $1.0 }) where range.1 > range.0 {
            if let last = merged.last, range.0 <= last.1 {
                merged[merged.count - 1].1 = max(last.1, range.1)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// The gaps between sorted, disjoint ranges within `[start, end]`.
    static func gaps(in ranges: [(Double, Double)], from start: Double, to end: Double) -> [(Double, Double)] {
        var gaps: [(Double, Double)] = []
        var cursor = start
        for range in ranges {
            if range.0 > cursor { gaps.append((cursor, min(range.0, end))) }
            cursor = max(cursor, range.1)
        }
        if end > cursor { gaps.append((cursor, end)) }
        return gaps.filter { $0.1 > $0.0 }
    }

    /// The stretches where ranges of two or more different owners are active at once.
    static func overlaps<Owner: Hashable>(_ ranges: [(Owner, Double, Double)]) -> [(Double, Double)] {
        // Sweep over start (+1) and end (−1) events; ends sort before starts at equal times so
        // that touching ranges do not count as overlapping.
        var events: [(time: Double, owner: Owner, delta: Int)] = []
        for (owner, start, end) in ranges where end > start {
            events.append((start, owner, 1))
            events.append((end, owner, -1))
        }
        events.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var active: [Owner: Int] = [:]
        var overlaps: [(Double, Double)] = []
        var overlapStart: Double?
        for event in events {
            active[event.owner, default: 0] += event.delta
            if active[event.owner] == 0 { active[event.owner] = nil }
            let overlapping = active.count >= 2
            if overlapping, overlapStart == nil {
                overlapStart = event.time
            } else if !overlapping, let start = overlapStart {
                if event.time > start { overlaps.append((start, event.time)) }
                overlapStart = nil
            }
        }
        return overlaps
    }
}
