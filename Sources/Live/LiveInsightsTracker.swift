import Audio
import Foundation

/// Talk time, silence, over-talk, interruptions and sentiment of a live call so far, and the
/// alerts they raise. Fed with the detector's events (speech starts come with their true start
/// time, a little late) and with final utterances' text and sentiment.
struct LiveInsightsTracker {
    private let speakers: [String]
    private let configuration: LiveSessionConfiguration
    private var open: [Double?]
    private var talk: [Double]
    private var interruptions: [Int]
    private var overlapTotal = 0.0
    private var overlapStart: Double?
    private var lastSpeechEnd = 0.0
    private var deadAirAlerted = false
    private var overTalkAlerted = false
    private var negativeRun = 0
    private(set) var sentiments: [LiveSentimentPoint] = []
    private let keywordPatterns: [(keyword: String, pattern: NSRegularExpression)]

    init(speakers: [String], configuration: LiveSessionConfiguration) {
        self.speakers = speakers
        self.configuration = configuration
        open = Array(repeating: nil, count: speakers.count)
        talk = Array(repeating: 0, count: speakers.count)
        interruptions = Array(repeating: 0, count: speakers.count)
        keywordPatterns = configuration.keywords.compactMap { keyword in
            let words = keyword.split(separator: " ").map { NSRegularExpression.escapedPattern(for: String($0)) }
            guard !words.isEmpty else { return nil }
            let pattern = "\\b" + words.joined(separator: "\\s+") + "\\b"
            return (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])).map { (keyword, $0) }
        }
    }

    mutating func apply(_ event: VoiceActivityEvent) {
        switch event {
        case .speechStarted(let channel, let time):
            guard channel < open.count else { return }
            let others = open.indices.filter { $0 != channel && open[$0] != nil }
            if !others.isEmpty {
                interruptions[channel] += 1
                if overlapStart == nil { overlapStart = time }
            }
            open[channel] = time
            deadAirAlerted = false
        case .speechEnded(let span):
            guard span.channel < open.count else { return }
            talk[span.channel] += max(0, span.end - (open[span.channel] ?? span.start))
            open[span.channel] = nil
            if let start = overlapStart {
                overlapTotal += max(0, span.end - start)
                overlapStart = nil
                overTalkAlerted = false
            }
            lastSpeechEnd = max(lastSpeechEnd, span.end)
        case .speechDropped(let channel):
            // Hold music's onset, not talk: no talk time; an overlap it opened was not one.
            guard channel < open.count else { return }
            open[channel] = nil
            if open.compactMap({ $0 }).count < 2 { overlapStart = nil }
        }
    }

    /// Alerts due at call time `now` (dead air, over-talk), each once per episode.
    mutating func timedAlerts(now: Double) -> [LiveAlert] {
        var alerts: [LiveAlert] = []
        let silence = currentSilence(now: now)
        if silence >= configuration.deadAirAlert, !deadAirAlerted {
            deadAirAlerted = true
            alerts.append(
                LiveAlert(
                    kind: "dead_air", message: "nobody has spoken for \(Int(silence)) s", atS: now - silence,
                    durationS: silence))
        }
        if let start = overlapStart, now - start >= configuration.overTalkAlert, !overTalkAlerted {
            overTalkAlerted = true
            alerts.append(
                LiveAlert(
                    kind: "over_talk", message: "both parties have been talking at once for \(Int(now - start)) s",
                    atS: start, durationS: now - start))
        }
        return alerts
    }

    /// Keyword alerts for a final utterance's text.
    func keywordAlerts(in text: String, speaker: String, at time: Double) -> [LiveAlert] {
        let range = NSRange(text.startIndex..., in: text)
        return keywordPatterns.compactMap { keyword, pattern in
            guard pattern.firstMatch(in: text, range: range) != nil else { return nil }
            return LiveAlert(
                kind: "keyword", message: "\(speaker) said \"\(keyword)\"", atS: time, speaker: speaker,
                keyword: keyword, text: text)
        }
    }

    /// Records an utterance's sentiment; alerts on a streak of negative customer utterances.
    mutating func addSentiment(_ score: Double, speaker: String, at time: Double) -> [LiveAlert] {
        sentiments.append(LiveSentimentPoint(atS: time, speaker: speaker, score: score))
        if sentiments.count > 50 { sentiments.removeFirst(sentiments.count - 50) }
        guard speaker == Speaker.customer.rawValue else { return [] }
        negativeRun = score <= configuration.negativeThreshold ? negativeRun + 1 : 0
        guard negativeRun >= configuration.negativeStreak else { return [] }
        negativeRun = 0
        return [
            LiveAlert(
                kind: "negative_sentiment",
                message: "the customer's last \(configuration.negativeStreak) utterances were negative", atS: time,
                speaker: speaker)
        ]
    }

    func currentSilence(now: Double) -> Double {
        open.contains { $0 != nil } ? 0 : max(0, now - lastSpeechEnd)
    }

    func snapshot(now: Double) -> LiveInsights {
        var talkByChannel = talk
        for channel in open.indices { if let start = open[channel] { talkByChannel[channel] += max(0, now - start) } }
        var talkS: [String: Double] = [:]
        var interruptionCounts: [String: Int] = [:]
        for (channel, speaker) in speakers.enumerated() {
            talkS[speaker, default: 0] += talkByChannel[channel]
            interruptionCounts[speaker, default: 0] += interruptions[channel]
        }
        let totalTalk = talkS.values.reduce(0, +)
        let overTalk = overlapTotal + (overlapStart.map { max(0, now - $0) } ?? 0)
        let customer = sentiments.filter { $0.speaker == Speaker.customer.rawValue }.map(\.score)
        return LiveInsights(
            callS: now,
            speaking: open.indices.filter { open[$0] != nil }.map { speakers[$0] },
            talkS: talkS.mapValues(Self.rounded),
            talkRatio: totalTalk > 0 ? talkS.mapValues { Self.rounded($0 / totalTalk) } : [:],
            silenceS: Self.rounded(max(0, now - (totalTalk - overTalk))),
            currentSilenceS: Self.rounded(currentSilence(now: now)),
            overTalkS: Self.rounded(overTalk),
            currentOverTalkS: Self.rounded(overlapStart.map { max(0, now - $0) } ?? 0),
            interruptions: interruptionCounts,
            sentiment: .init(
                latest: sentiments.last?.score,
                customerAverage: customer.isEmpty ? nil : Self.rounded(customer.reduce(0, +) / Double(customer.count)),
                trend: Array(sentiments.suffix(20))),
            transcription: .init(pendingUtterances: 0, lagS: 0, failed: 0), connected: true)
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
