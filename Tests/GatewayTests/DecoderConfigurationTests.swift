import Audio
import Configuration
import Testing

@testable import CallPipeCore
@testable import Gateway

@Suite("Decoder limits from the environment", .timeLimit(.minutes(3)))
struct DecoderConfigurationTests {
    static func reader(_ values: [AbsoluteConfigKey: ConfigValue]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: values))
    }

    @Test func defaultsToFourHoursTenMinutesAndTwoThreads() throws {
        let decoding = try GatewayConfiguration(reader: Self.reader([:])).decoding
        #expect(decoding.maxSeconds == 14_400 && decoding.timeout == 600 && decoding.threads == 2)
        #expect(AudioDecoderConfiguration.describe(seconds: decoding.maxSeconds) == "4 h")
    }

    @Test func readsEveryKey() throws {
        let decoding = try AudioDecoderConfiguration(
            reader: Self.reader([
                "callpipe.max.audio.seconds": "86400", "callpipe.decode.timeout.s": "1.5",
                "callpipe.decode.threads": "4",
            ]))
        #expect(decoding.maxSeconds == 86_400 && decoding.timeout == 1.5 && decoding.threads == 4)
    }

    @Test(arguments: [
        ("callpipe.max.audio.seconds", "0", "CALLPIPE_MAX_AUDIO_SECONDS", "from 1 to 86400"),
        ("callpipe.max.audio.seconds", "86401", "CALLPIPE_MAX_AUDIO_SECONDS", "from 1 to 86400"),
        ("callpipe.max.audio.seconds", "1e300", "CALLPIPE_MAX_AUDIO_SECONDS", "from 1 to 86400"),
        ("callpipe.max.audio.seconds", "nan", "CALLPIPE_MAX_AUDIO_SECONDS", "from 1 to 86400"),
        ("callpipe.decode.timeout.s", "-1", "CALLPIPE_DECODE_TIMEOUT_S", "from 1 to 86400"),
        ("callpipe.decode.timeout.s", "ten", "CALLPIPE_DECODE_TIMEOUT_S", "from 1 to 86400"),
        ("callpipe.decode.threads", "0", "CALLPIPE_DECODE_THREADS", "a whole number from 1 to 64"),
        ("callpipe.decode.threads", "2.5", "CALLPIPE_DECODE_THREADS", "a whole number from 1 to 64"),
        ("callpipe.decode.threads", "9999999999999999999999", "CALLPIPE_DECODE_THREADS", "from 1 to 64"),
    ])
    func refusesAValueOutsideItsRangeNamingTheKey(
        _ key: String, _ value: String, _ name: String, _ range: String
    ) {
        do {
            let configKey = AbsoluteConfigKey(key.split(separator: ".").map(String.init))
            _ = try GatewayConfiguration(reader: Self.reader([configKey: .init(stringLiteral: value)]))
            Issue.record("expected \(name)=\(value) to be refused")
        } catch {
            let text = String(describing: error)
            #expect(text.contains("\(name) is \"\(value)\"") && text.contains(range), "\(text)")
        }
    }
}
