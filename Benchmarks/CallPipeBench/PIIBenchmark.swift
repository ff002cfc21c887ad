import ArgumentParser
import Audio
import Foundation
import Redaction

/// `callpipe-bench pii` (scripts/bench pii): the redaction's detector over the labelled set of
/// conversations, writing what it found as character spans per line (scored next to Presidio by
/// scripts/pii/score.py), with the time it took; and the audio redaction of a long call.
struct PIIBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pii")

    @Option(help: "The labelled set (scripts/pii/make_set.py).")
    var set: String

    @Option(help: "Where to write the findings (JSON).")
    var out: String

    @Option(help: "A long call whose audio redaction is timed (muting a stretch every minute).")
    var call: String?

    @Option(help: "Times the detector runs over the whole set (the median is kept).")
    var runs = 5

    struct Conversation: Decodable {
        struct Line: Decodable {
            var speaker: String
            var start: Double
            var end: Double
            var text: String
        }

        var id: String
        var lines: [Line]
    }

    struct Found: Encodable {
        var conversation: String
        var line: Int
        var start: Int
        var end: Int
        var kind: String
    }

    struct Report: Encodable {
        var findings: [Found]
        var textSecondsPerRun: [Double]
        var audioMinutes: Double
        var audioRedactionSeconds: [Double]
        var callMinutes: Double?
    }

    func run() async throws {
        let conversations = try JSONDecoder().decode(
            [Conversation].self, from: Data(contentsOf: URL(fileURLWithPath: set)))
        let detector = PIIDetector()
        let lines = conversations.map { conversation in
            conversation.lines.map { RedactionLine(speaker: $0.speaker, start: $0.start, end: $0.end, text: $0.text) }
        }
        var findings: [Found] = []
        for (conversation, lines) in zip(conversations, lines) {
            for finding in detector.findings(in: lines) {
                for (line, refs) in Dictionary(grouping: finding.words, by: \.line) {
                    let text = lines[line].text
                    let words = SpokenWord.words(of: text)
                    let first = refs.map(\.word).min()!
                    let last = refs.map(\.word).max()!
                    findings.append(
                        Found(
                            conversation: conversation.id, line: line,
                            start: text.distance(from: text.startIndex, to: words[first].range.lowerBound),
                            end: text.distance(from: text.startIndex, to: words[last].range.upperBound),
                            kind: finding.kind.rawValue))
                }
            }
        }
        var seconds: [Double] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            var count = 0
            for lines in lines { count += detector.findings(in: lines).count }
            precondition(count > 0)
            seconds.append(Self.seconds(ContinuousClock.now - started))
        }
        let minutes = lines.reduce(0) { $0 + (($1.map(\.end).max() ?? 0) / 60) }
        var audioSeconds: [Double] = []
        var callMinutes: Double?
        if let call {
            let duration = try await RecordingAnalyzer().detectSpeech(call).duration
            callMinutes = duration / 60
            let ranges = stride(from: 30.0, to: duration, by: 60).map { $0...($0 + 8) }
            let output = NSTemporaryDirectory() + "callpipe-bench-redacted-\(UUID().uuidString).flac"
            defer { try? FileManager.default.removeItem(atPath: output) }
            for _ in 0..<max(3, runs / 2) {
                let started = ContinuousClock.now
                _ = try await AudioRedactor().write(call, muting: ranges, to: output)
                audioSeconds.append(Self.seconds(ContinuousClock.now - started))
            }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try encoder.encode(
            Report(
                findings: findings, textSecondsPerRun: seconds, audioMinutes: minutes,
                audioRedactionSeconds: audioSeconds, callMinutes: callMinutes)
        ).write(to: URL(fileURLWithPath: out))
        print("callpipe-bench pii: \(findings.count) findings in \(conversations.count) conversations -> \(out)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
