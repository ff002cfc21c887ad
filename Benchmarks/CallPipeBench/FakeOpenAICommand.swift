import ArgumentParser
import FakeOpenAIServer
import Foundation

/// `callpipe-bench fake-openai`: the fake OpenAI-compatible server on its own, for benchmarks
/// driven from outside Swift (`scripts/bench ui`). Prints one JSON line — `base_url`, `api_key`,
/// `ca_file` — and serves until the process is terminated.
struct FakeOpenAICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fake-openai")

    @Option(help: "A directory for the server's CA certificate.")
    var work: String

    @Option(help: "Seconds the server waits before each answer.")
    var latency = 0.3

    func run() async throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try await FakeOpenAIServer.run { fake in
            await fake.state.setLatency(latency)
            let caFile = try fake.certificate.writeCertificate(to: URL(fileURLWithPath: work))
            let line = try JSONSerialization.data(
                withJSONObject: ["base_url": fake.baseURL, "api_key": fake.apiKey, "ca_file": caFile])
            FileHandle.standardOutput.write(line + Data("\n".utf8))
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3_600)) }
        }
    }
}
