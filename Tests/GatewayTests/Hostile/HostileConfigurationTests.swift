import AIClients
import CRM
import CallPipeCore
import Configuration
import Foundation
import Live
import Testing

@testable import Gateway

/// Hostile input, family "configuration": every number the server reads from its environment is
/// range-checked where it is read, with a message naming the key and the allowed range.
@Suite("Hostile input: configuration values", .timeLimit(.minutes(1)))
struct HostileConfigurationTests {
    static func reader(_ key: AbsoluteConfigKey, _ value: String) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: [key: .init(stringLiteral: value)]))
    }

    @Test(
        "Out-of-range gateway settings are refused, naming the key",
        arguments: [
            ("callpipe.port", "1e300", "CALLPIPE_PORT"),
            ("callpipe.port", "70000", "CALLPIPE_PORT"),
            ("callpipe.max.upload.mb", "99999999999999999", "CALLPIPE_MAX_UPLOAD_MB"),
            ("callpipe.max.upload.mb", "-1", "CALLPIPE_MAX_UPLOAD_MB"),
            ("callpipe.rate.limit.rps", "0", "CALLPIPE_RATE_LIMIT_RPS"),
            ("callpipe.rate.limit.rps", "nan", "CALLPIPE_RATE_LIMIT_RPS"),
            ("callpipe.rate.limit.burst", "1e9999", "CALLPIPE_RATE_LIMIT_BURST"),
            ("callpipe.http.header.timeout.s", "inf", "CALLPIPE_HTTP_HEADER_TIMEOUT_S"),
            ("callpipe.metrics.port", "65536", "CALLPIPE_METRICS_PORT"),
            ("callpipe.live.ai.concurrency", "-3", "CALLPIPE_LIVE_AI_CONCURRENCY"),
        ])
    func gatewaySettings(key: String, value: String, name: String) throws {
        let error = #expect(throws: (any Error).self) {
            try GatewayConfiguration(
                reader: Self.reader(AbsoluteConfigKey(key.split(separator: ".").map(String.init)), value))
        }
        #expect(String(describing: error!).contains(name))
        #expect(String(describing: error!).contains(" to "))
    }

    @Test(
        "Out-of-range live settings are refused, naming the key",
        arguments: [
            ("callpipe.live.max.calls", "1e300", "CALLPIPE_LIVE_MAX_CALLS"),
            ("callpipe.live.max.calls.per.agent", "0", "CALLPIPE_LIVE_MAX_CALLS_PER_AGENT"),
            ("callpipe.live.max.call.s", "1e300", "CALLPIPE_LIVE_MAX_CALL_S"),
            ("callpipe.live.interim.s", "nan", "CALLPIPE_LIVE_INTERIM_S"),
            ("callpipe.live.idle.timeout.s", "-5", "CALLPIPE_LIVE_IDLE_TIMEOUT_S"),
            ("callpipe.live.max.calls", "automatic", "CALLPIPE_LIVE_MAX_CALLS"),
            ("callpipe.live.max.lag.ms", "-1", "CALLPIPE_LIVE_MAX_LAG_MS"),
            ("callpipe.live.read.interval.ms", "5000", "CALLPIPE_LIVE_READ_INTERVAL_MS"),
            (
                "callpipe.live.transcription.concurrency", "100000000000000000000",
                "CALLPIPE_LIVE_TRANSCRIPTION_CONCURRENCY"
            ),
        ])
    func liveSettings(key: String, value: String, name: String) throws {
        let error = #expect(throws: CallPipeError.self) {
            try LiveSessionConfiguration(
                reader: Self.reader(AbsoluteConfigKey(key.split(separator: ".").map(String.init)), value))
        }
        #expect(error?.message.contains(name) == true)
    }

    @Test func theLiveCallLimitIsSizedFromTheCoresUnlessSet() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(LiveSessionConfiguration().maxCalls == cores * LiveSessionConfiguration.callsPerCore)
        #expect(LiveSessionConfiguration.automaticMaxCalls(cores: 8) == 1_600)
        for value in ["auto", " AUTO ", ""] {
            let configuration = try LiveSessionConfiguration(reader: Self.reader("callpipe.live.max.calls", value))
            #expect(configuration.maxCalls == cores * LiveSessionConfiguration.callsPerCore)
        }
        #expect(try LiveSessionConfiguration(reader: Self.reader("callpipe.live.max.calls", "42")).maxCalls == 42)
        #expect(try LiveSessionConfiguration(reader: Self.reader("callpipe.live.max.lag.ms", "0")).maxEventLoopLag == 0)
        #expect(
            try LiveSessionConfiguration(reader: Self.reader("callpipe.live.read.interval.ms", "40")).readInterval
                == 0.04)
    }

    @Test func aCRMTimeoutThatWouldOverflowIsRefused() throws {
        let error = #expect(throws: CRMError.self) {
            try CRMConfiguration(reader: Self.reader("callpipe.crm.timeout.s", "1e300"))
        }
        #expect(error?.message.contains("1 to 600") == true)
    }

    @Test func anEmptyValueMeansUnset() throws {
        let configuration = try GatewayConfiguration(reader: Self.reader("callpipe.max.upload.mb", ""))
        #expect(configuration.uploads.maxBytes == 512 * 1_024 * 1_024)
    }
}
