import Foundation
import Testing

/// `callpipe analyze` as a user runs it: output, exit codes and `error:` lines (docs/ARCHITECTURE.md §3).
@Suite("callpipe analyze", .timeLimit(.minutes(3)))
struct AnalyzeCommandTests {
    @Test func printsTheAudioAnalysisJSON() async throws {
        let result = try await CallPipeBinary.run([
            "analyze", CallPipeBinary.fixtures.appendingPathComponent("call.mp3").path, "--json",
        ])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in [
            "duration_s", "format", "codec", "sample_rate", "source_sample_rate", "channels", "layout", "speakers",
            "non_talk", "overlap", "interruptions", "segments",
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let speakers = try #require(json["speakers"] as? [String: [String: Any]])
        #expect(Set(speakers.keys) == ["agent", "customer"])
        #expect(Set(speakers["agent"]!.keys) == ["talk_s", "turns", "longest_turn_s", "loudness_dbfs", "share"])
        #expect(result.stderr.isEmpty)
    }

    @Test func printsAReadableTable() async throws {
        let result = try await CallPipeBinary.run([
            "analyze", CallPipeBinary.fixtures.appendingPathComponent("call.ogg").path,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("agent") && result.stdout.contains("customer"))
        #expect(result.stdout.contains("non-talk"))
    }

    @Test(arguments: [
        "missing.wav", "", "make_fixtures.py", "video-only.mp4", "hostile/timestamp-leap.mkv", "hostile/playlist.m3u8",
    ])
    func failsWithExitCode3AndOneErrorLine(_ name: String) async throws {
        let path = CallPipeBinary.fixtures.appendingPathComponent(name).path
        let result = try await CallPipeBinary.run(["analyze", path])
        #expect(result.status == 3)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: \(path)") == true, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func refusesAFileWhoseTimestampsLeapInsteadOfAllocatingTheGap() async throws {
        let path = CallPipeBinary.fixtures.appendingPathComponent("hostile/timestamp-leap.mkv").path
        let result = try await CallPipeBinary.run(["analyze", path])
        #expect(result.status == 3)
        #expect(
            result.stderr.hasPrefix(
                "error: \(path): the recording is longer than the 4 h limit (CALLPIPE_MAX_AUDIO_SECONDS)"),
            "\(result.stderr)")
    }

    @Test func refusesARecordingLongerThanTheConfiguredLimit() async throws {
        let path = CallPipeBinary.fixtures.appendingPathComponent("excerpt-s16.wav").path
        let result = try await CallPipeBinary.run(["analyze", path], environment: ["CALLPIPE_MAX_AUDIO_SECONDS": "2"])
        #expect(result.status == 3)
        #expect(
            result.stderr == "error: \(path): the recording is longer than the 2 s limit (CALLPIPE_MAX_AUDIO_SECONDS)\n"
        )
    }

    @Test(arguments: [("CALLPIPE_MAX_AUDIO_SECONDS", "0"), ("CALLPIPE_DECODE_TIMEOUT_S", "forever")])
    func failsWithExitCode2OnADecoderLimitOutOfRange(_ key: String, _ value: String) async throws {
        let path = CallPipeBinary.fixtures.appendingPathComponent("excerpt-s16.wav").path
        let result = try await CallPipeBinary.run(["analyze", path], environment: [key: value])
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(key) is \"\(value)\"; use a number from 1 to 86400\n")
    }

    @Test(arguments: [["analyze"], ["analyze", "a.wav", "--bogus"], ["no-such-command"]])
    func failsWithExitCode2OnUsageErrors(_ arguments: [String]) async throws {
        let result = try await CallPipeBinary.run(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }

    @Test func helpSucceeds() async throws {
        let result = try await CallPipeBinary.run(["analyze", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--json"))
    }
}
