import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// `callpipe replay FILE [--server URL] [--token KEY] [--protocol pcm|twilio] [--speed X]
/// [--streams N]`: starts calls through the API and streams a file into each as a live call, in
/// real time (20 ms frames) or `--speed` times faster — a demo, and the load generator of
/// `scripts/bench live`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Stream an audio file as a live call (or N concurrent ones).")

    @Argument(help: "Any audio file FFmpeg can read.")
    var file: String

    @Option(help: "The server's base URL.")
    var server = "http://127.0.0.1:8080"

    @Option(help: "An agent or admin API key (or CALLPIPE_TOKEN).")
    var token: String?

    @Option(name: .customLong("protocol"), help: "pcm or twilio.")
    var streamProtocol = "twilio"

    @Option(help: "Playback speed: 1 is real time.")
    var speed = 1.0

    @Option(help: "Concurrent calls to stream.")
    var streams = 1

    @Option(help: "Seconds over which the streams start (spread evenly).")
    var ramp = 0.0

    @Option(help: "The agent the calls belong to (needed with an admin key).")
    var agentID: String?

    @Flag(help: "Print one JSON line per stream event.")
    var json = false

    func validate() throws {
        guard ReplayAudio.StreamProtocol(rawValue: streamProtocol) != nil else {
            throw ValidationError("--protocol must be pcm or twilio")
        }
        guard speed > 0, speed <= 100 else { throw ValidationError("--speed must be above 0 and at most 100") }
        guard (1...5_000).contains(streams) else { throw ValidationError("--streams must be 1 to 5000") }
        guard ramp >= 0 else { throw ValidationError("--ramp must not be negative") }
    }

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["CALLPIPE_TOKEN"], !token.isEmpty else {
            throw CommandFailure(message: "an API key is required: --token KEY or CALLPIPE_TOKEN", exitCode: 2)
        }
        let streamProtocol = ReplayAudio.StreamProtocol(rawValue: self.streamProtocol) ?? .twilio
        let audio = try await ReplayAudio.load(file, for: streamProtocol)
        guard audio.frameCount > 0 else { throw CommandFailure(message: "\(file) holds no audio", exitCode: 3) }
        let replay = ReplayStream(
            server: server.hasSuffix("/") ? String(server.dropLast()) : server, token: token,
            streamProtocol: streamProtocol, audio: audio, speed: speed, agentID: agentID, json: json)
        if !json {
            print(
                "Replaying \(file) (\(String(format: "%.1f", Double(audio.frameCount) * ReplayAudio.frameDuration)) s) as \(streams) live call(s) over \(streamProtocol.rawValue) at \(speed)x"
            )
        }
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<streams {
                group.addTask {
                    let delay = streams > 1 ? ramp * Double(index) / Double(streams) : 0
                    if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1_000))) }
                    return await replay.run(index: index)
                }
            }
            var failures = 0
            for await succeeded in group where !succeeded { failures += 1 }
            return failures
        }
        if failures > 0 {
            throw CommandFailure(message: "\(failures) of \(streams) stream(s) failed", exitCode: 1)
        }
    }
}
