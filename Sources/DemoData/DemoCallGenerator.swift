package import AIClients
package import Audio
package import CallPipeCore
package import Foundation

/// Realistic demo calls for a fresh install (`callpipe seed-demo`) and for benchmarks: agents,
/// business-hours traffic, inbound and outbound, outcomes, talk time, silence, interruptions,
/// sentiment, summaries, transcripts and AI cost. Every call is marked `is_demo`. The same seed
/// gives the same calls.
package struct DemoCallGenerator: Sendable {
    package static let agents = ["ann", "bob", "chen", "dara", "eli", "fatima", "goran", "hana"]

    package var callsPerDay: Int
    package var seed: UInt64
    /// Transcript lines per call (the scenario's, repeated); 0 leaves transcripts out.
    package var transcriptLines = 6

    package init(callsPerDay: Int = 60, seed: UInt64 = 42) {
        self.callsPerDay = callsPerDay
        self.seed = seed
    }

    /// Calls over the `days` days before `end`.
    package func calls(days: Int, end: Date = Date()) -> [DemoCall] {
        var random = SplitMix64(seed: seed)
        let dayStart = Calendar(identifier: .gregorian).startOfDay(for: end).addingTimeInterval(
            -Double(days - 1) * 86_400)
        var calls: [DemoCall] = []
        calls.reserveCapacity(days * callsPerDay)
        for day in 0..<days {
            let weekday = Calendar(identifier: .gregorian).component(
                .weekday, from: dayStart.addingTimeInterval(Double(day) * 86_400))
            let volume = weekday == 1 || weekday == 7 ? callsPerDay / 3 : callsPerDay
            for index in 0..<volume {
                let start = dayStart.addingTimeInterval(Double(day) * 86_400 + Self.secondOfDay(&random))
                guard start < end else { continue }
                calls.append(call(number: day * callsPerDay + index, start: start, random: &random))
            }
        }
        return calls.sorted { $0.call.createdAt < $1.call.createdAt }
    }

    /// Business hours weigh most: 08–18 UTC with peaks mid-morning and mid-afternoon.
    private static func secondOfDay(_ random: inout SplitMix64) -> Double {
        let weights: [Double] = [1, 1, 1, 1, 1, 2, 3, 6, 10, 14, 16, 13, 9, 11, 14, 13, 10, 7, 4, 3, 2, 2, 1, 1]
        var pick = Double.random(in: 0..<weights.reduce(0, +), using: &random)
        var hour = 0
        while pick >= weights[hour] {
            pick -= weights[hour]
            hour += 1
        }
        return Double(hour * 3_600) + Double.random(in: 0..<3_600, using: &random)
    }

    private func call(number: Int, start: Date, random: inout SplitMix64) -> DemoCall {
        let scenario = DemoScenario.all[Int.random(in: 0..<DemoScenario.all.count, using: &random)]
        let agent = Self.agents[Int.random(in: 0..<Self.agents.count, using: &random)]
        let outbound = scenario.topics.contains("sales") || Double.random(in: 0..<1, using: &random) < 0.15
        var outcome = Self.pick(scenario.outcomes, &random)
        // Duration: log-normal around four minutes; a few very short calls (voicemail, drops).
        var duration = exp(log(240.0) + 0.6 * Self.normal(&random))
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < 0.04 {
            outcome = .voicemail
            duration = Double.random(in: 8..<28, using: &random)
        } else if roll < 0.07 {
            outcome = .dropped
            duration = Double.random(in: 5..<40, using: &random)
        }
        duration = (min(duration, 1_800) * 10).rounded() / 10
        let silenceShare = Double.random(in: 0.04..<0.18, using: &random)
        let talk = duration * (1 - silenceShare)
        let agentShare = outcome == .voicemail ? 0 : Double.random(in: 0.38..<0.68, using: &random)
        let agentTalk = (talk * agentShare * 10).rounded() / 10
        let customerTalk = ((talk - agentTalk) * 10).rounded() / 10
        let sentiment = max(-1, min(1, scenario.sentiment + 0.25 * Self.normal(&random)))
        let interruptions = max(
            0,
            Int((Double(duration) / 120 * (sentiment < -0.3 ? 1.6 : 0.6)).rounded())
                + Int.random(in: -1...1, using: &random))
        let id = String(format: "call_demo%08d", number)
        let call = StoredCall(
            id: id, agentID: agent, customerID: String(format: "cust-%05d", Int.random(in: 0..<40_000, using: &random)),
            direction: outbound ? "outbound" : "inbound", metadata: ["demo": "true"], status: .done, createdAt: start,
            endedAt: start.addingTimeInterval(duration), isDemo: true)
        let silence = (duration * silenceShare * 10).rounded() / 10
        let analysis = AudioAnalysis(
            durationS: duration, format: "demo", codec: "demo", sampleRate: 16_000, sourceSampleRate: 8_000,
            channels: 2,
            layout: "stereo", channelMode: .separate,
            speakers: [
                "agent": SpeakerTalkTime(
                    talkS: agentTalk, turns: max(1, Int(agentTalk / 12)), longestTurnS: min(agentTalk, 25),
                    loudnessDBFS: -21, share: talk > 0 ? agentTalk / max(agentTalk + customerTalk, 0.1) : 0),
                "customer": SpeakerTalkTime(
                    talkS: customerTalk, turns: max(1, Int(customerTalk / 10)), longestTurnS: min(customerTalk, 20),
                    loudnessDBFS: -23, share: talk > 0 ? customerTalk / max(agentTalk + customerTalk, 0.1) : 0),
            ],
            nonTalk: TimeStretches(
                totalS: silence,
                instances: silence >= 2 ? [TimeRange(startS: duration / 2, endS: duration / 2 + silence)] : []),
            overlap: TimeStretches(totalS: Double(interruptions) * 0.6, instances: []),
            interruptions: ["agent": interruptions / 3, "customer": interruptions - interruptions / 3], segments: [])
        var segments: [TranscriptSegment] = []
        if transcriptLines > 0, outcome != .voicemail {
            let step = duration / Double(transcriptLines)
            for line in 0..<transcriptLines {
                let text = scenario.lines[line % scenario.lines.count]
                segments.append(
                    TranscriptSegment(
                        speaker: line % 2 == 0 ? "agent" : "customer",
                        startS: (Double(line) * step * 10).rounded() / 10,
                        endS: ((Double(line) + 0.85) * step * 10).rounded() / 10, text: text, confidence: 0.92,
                        sentiment: line % 2 == 1 ? sentiment : nil))
            }
        }
        let insights = CallInsights(
            sentiment: CallSentiment(
                overall: (sentiment * 100).rounded() / 100, label: SentimentLabel(score: sentiment),
                quarters: [sentiment - 0.1, sentiment, sentiment + 0.05, sentiment + 0.1].map {
                    max(-1, min(1, ($0 * 100).rounded() / 100))
                }),
            summary: outcome == .voicemail ? "Reached voicemail; no conversation." : scenario.summary,
            keyPoints: outcome == .voicemail ? [] : scenario.keyPoints,
            actionItems: scenario.actionItems.map { ActionItem(text: $0.text, owner: $0.owner, due: nil) },
            issues: [], outcome: outcome, topics: scenario.topics, hints: [], analyzer: "demo")
        let usage = AIUsage(
            inputTokens: 800 + Int(duration * 6), outputTokens: 350, audioSeconds: duration, requests: 3)
        return DemoCall(
            call: call, analysis: analysis, transcript: Transcript(language: "en", segments: segments),
            insights: insights,
            costUSD: AIPricing().cost(of: usage, provider: "openai:whisper-1")
                + AIPricing().cost(
                    of: AIUsage(inputTokens: usage.inputTokens, outputTokens: usage.outputTokens),
                    provider: "openai:gpt-4o-mini"))
    }

    private static func pick(_ weighted: [(CallOutcome, Double)], _ random: inout SplitMix64) -> CallOutcome {
        var roll = Double.random(in: 0..<weighted.reduce(0) { $0 + $1.1 }, using: &random)
        for (outcome, weight) in weighted {
            if roll < weight { return outcome }
            roll -= weight
        }
        return weighted[0].0
    }

    /// A standard normal sample (Box–Muller).
    private static func normal(_ random: inout SplitMix64) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
        let v = Double.random(in: 0..<1, using: &random)
        return sqrt(-2 * log(u)) * cos(2 * .pi * v)
    }
}

/// One generated call with everything the pipeline would have stored for it.
package struct DemoCall: Sendable, Equatable {
    package var call: StoredCall
    package var analysis: AudioAnalysis
    package var transcript: Transcript
    package var insights: CallInsights
    package var costUSD: Double

    package init(
        call: StoredCall, analysis: AudioAnalysis, transcript: Transcript, insights: CallInsights, costUSD: Double
    ) {
        self.call = call
        self.analysis = analysis
        self.transcript = transcript
        self.insights = insights
        self.costUSD = costUSD
    }
}

/// A small, fast, seedable generator (SplitMix64): demo data is reproducible, and `callpipe
/// replay` takes its WebSocket masking keys from one seeded by the system's generator.
package struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
