/// A readable plain-text rendering of an analysis, for `callpipe analyze` without `--json`.
extension AudioAnalysis {
    package var table: String {
        var lines: [String] = []
        lines.append(
            "\(format) · \(codec) · \(layout) · \(sourceSampleRate) Hz · \(Self.clock(durationS))"
                + (channelMode == .duplicated ? " · both channels carry the same mix: analysed as mono" : ""))
        lines.append("")
        let header = ["speaker", "talk", "share", "turns", "longest turn", "loudness", "interruptions"]
        var rows: [[String]] = [header]
        for name in speakers.keys.sorted(by: Self.speakerOrder) {
            let stats = speakers[name]!
            rows.append([
                name, Self.clock(stats.talkS), "\(Int((stats.share * 100).rounded()))%", "\(stats.turns)",
                Self.clock(stats.longestTurnS), stats.loudnessDBFS.map { "\($0) dBFS" } ?? "–",
                "\(interruptions[name] ?? 0)",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            lines.append(
                row.enumerated().map { column, cell in
                    let padding = String(repeating: " ", count: widths[column] - cell.count)
                    return column == 0 ? cell + padding : padding + cell
                }.joined(separator: "  "))
            if index == 0 { lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")) }
        }
        lines.append("")
        lines.append("non-talk  \(Self.clock(nonTalk.totalS)) in total, \(nonTalk.instances.count) silences ≥ 2 s")
        for instance in nonTalk.instances {
            lines.append("          \(Self.clock(instance.startS)) – \(Self.clock(instance.endS))")
        }
        lines.append("overlap   \(Self.clock(overlap.totalS)) in total, \(overlap.instances.count) stretches")
        lines.append("segments  \(segments.count)")
        return lines.joined(separator: "\n")
    }

    private static func speakerOrder(_ lhs: String, _ rhs: String) -> Bool {
        let order = Speaker.allCases.map(\.rawValue)
        return (order.firstIndex(of: lhs) ?? order.count, lhs) < (order.firstIndex(of: rhs) ?? order.count, rhs)
    }

    /// `1:05.3` for 65.3 s; `12.4 s` under a minute.
    static func clock(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        guard tenths >= 600 else { return "\(tenths / 10).\(tenths % 10) s" }
        let minutes = tenths / 600
        let rest = tenths % 600
        let secondsPart = rest / 10 < 10 ? "0\(rest / 10)" : "\(rest / 10)"
        return "\(minutes):\(secondsPart).\(rest % 10)"
    }
}
