import Foundation

/// Turns per-channel speech spans into the `AudioAnalysis` of docs/ARCHITECTURE.md §3: talk time, turns and
/// loudness per speaker, non-talk time, overlap and interruptions. Pure and deterministic.
package struct TalkTimeAnalyzer: Sendable {
    package var configuration: TalkTimeConfiguration

    package init(configuration: TalkTimeConfiguration = .init()) {
        self.configuration = configuration
    }

    package func analyze(_ detection: SpeechDetection) -> AudioAnalysis {
        let segments = attributedSegments(detection)
        let speakers: [Speaker] =
            detection.channelMode == .separate
            ? Array(Set((0..<detection.source.channels).map { configuration.channelMap.speaker(ofChannel: $0) }))
                .sorted()
            : [.unknown]
        let totalTalk = segments.reduce(0) { $0 + $1.span.duration }
        var perSpeaker: [String: SpeakerTalkTime] = [:]
        var interruptions: [String: Int] = [:]
        for speaker in speakers {
            perSpeaker[speaker.rawValue] = talkTime(of: speaker, in: segments, totalTalk: totalTalk)
            interruptions[speaker.rawValue] = interruptionCount(by: speaker, in: segments)
        }
        let speech = TimeRanges.union(segments.map { ($0.span.start, $0.span.end) })
        let silences = TimeRanges.gaps(in: speech, from: 0, to: detection.duration)
        let overlaps = TimeRanges.overlaps(segments.map { ($0.speaker, $0.span.start, $0.span.end) })
        let source = detection.source
        return AudioAnalysis(
            durationS: Self.round(detection.duration),
            format: source.format, codec: source.codec,
            sampleRate: source.sampleRate, sourceSampleRate: source.sourceSampleRate,
            channels: source.sourceChannels, layout: source.layout,
            channelMode: detection.channelMode,
            speakers: perSpeaker,
            nonTalk: Self.stretches(silences, minimum: configuration.minNonTalkInstance),
            overlap: Self.stretches(overlaps, minimum: 0),
            interruptions: interruptions,
            segments: segments.map {
                SpeakerSegment(speaker: $0.speaker, startS: Self.round($0.span.start), endS: Self.round($0.span.end))
            })
    }

    struct Segment {
        var speaker: Speaker
        var span: SpeechSpan
    }

    func attributedSegments(_ detection: SpeechDetection) -> [Segment] {
        detection.spans
            .map { span in
                let speaker =
                    detection.channelMode == .separate
                    ? configuration.channelMap.speaker(ofChannel: span.channel) : .unknown
                return Segment(speaker: speaker, span: span)
            }
            .sorted { ($0.span.start, $0.speaker) < ($1.span.start, $1.speaker) }
    }

    private func talkTime(of speaker: Speaker, in segments: [Segment], totalTalk: Double) -> SpeakerTalkTime {
        let own = segments.filter { $0.speaker == speaker }
        let talk = own.reduce(0) { $0 + $1.span.duration }
        let frames = own.reduce(0) { $0 + $1.span.speechFrames }
        let energy = own.reduce(0) { $0 + $1.span.meanSquare * Double($1.span.speechFrames) }
        let turns = self.turns(of: speaker, in: segments)
        return SpeakerTalkTime(
            talkS: Self.round(talk),
            turns: turns.count,
            longestTurnS: Self.round(turns.map { $0.1 - $0.0 }.max() ?? 0),
            loudnessDBFS: frames > 0 && energy > 0 ? (100 * log10(energy / Double(frames))).rounded() / 10 : nil,
            share: totalTalk > 0 ? Self.round(talk / totalTalk) : 0)
    }

    /// A speaker's turns: runs of their segments where each pause is shorter than
    /// `maxPauseWithinTurn` and no other speaker starts talking during it.
    func turns(of speaker: Speaker, in segments: [Segment]) -> [(Double, Double)] {
        var turns: [(Double, Double)] = []
        var otherStarts = segments.filter { $0.speaker != speaker }.map(\.span.start)[...]
        for segment in segments where segment.speaker == speaker {
            var othersSpoke = false
            while let next = otherStarts.first, next < segment.span.start {
                othersSpoke = true
                otherStarts = otherStarts.dropFirst()
            }
            if let last = turns.last, !othersSpoke,
                segment.span.start - last.1 < configuration.maxPauseWithinTurn
            {
                turns[turns.count - 1].1 = max(last.1, segment.span.end)
            } else {
                turns.append((segment.span.start, segment.span.end))
            }
        }
        return turns
    }

    private func interruptionCount(by speaker: Speaker, in segments: [Segment]) -> Int {
        segments.filter { $0.speaker == speaker }.count { segment in
            segments.contains { other in
                other.speaker != speaker && other.span.start < segment.span.start
                    && other.span.end > segment.span.start
                    && min(other.span.end, segment.span.end) - segment.span.start
                        >= configuration.minInterruptionOverlap
            }
        }
    }

    private static func stretches(_ ranges: [(Double, Double)], minimum: Double) -> TimeStretches {
        TimeStretches(
            totalS: round(ranges.reduce(0) { $0 + ($1.1 - $1.0) }),
            instances: ranges.filter { $0.1 - $0.0 >= minimum }.map {
                TimeRange(startS: round($0.0), endS: round($0.1))
            })
    }

    /// Hundredths of a second (or of a share): finer digits are measurement noise.
    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
