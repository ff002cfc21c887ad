import AIClients
import Configuration
import Testing

@testable import CallPipeCore
@testable import Gateway

@Suite("Configuration from the environment (docs/ARCHITECTURE.md §7)", .timeLimit(.minutes(3)))
struct GatewayConfigurationTests {
    static func reader(_ values: [AbsoluteConfigKey: ConfigValue]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: values))
    }

    @Test func defaultsToLoopbackPort8080AndTheOfflineProvider() throws {
        let configuration = try GatewayConfiguration(reader: Self.reader([:]))
        #expect(configuration.host == "127.0.0.1" && configuration.port == 8080)
        #expect(configuration.storage.dataDirectory == "./data")
        #expect(configuration.storage.databaseURL == "sqlite://./data/callpipe.sqlite")
        #expect(configuration.ai.provider == .local)
        #expect(configuration.ai.transcriptionModel == "whisper-1" && configuration.ai.analysisModel == "gpt-4o-mini")
    }

    @Test func choosesOpenAIWhenAKeyIsSetAndNeverShowsTheKey() throws {
        let key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
        let configuration = try GatewayConfiguration(
            reader: Self.reader(["openai.api.key": .init(stringLiteral: key), "callpipe.port": "9090"]))
        #expect(configuration.ai.provider == .openai)
        #expect(configuration.port == 9090)
        #expect(!configuration.ai.description.contains(key))
        #expect(!configuration.ai.maskedAPIKey.contains("abcdefghijklmnop"))
    }

    @Test func allowsACompatibleServerWithoutAKey() throws {
        let configuration = try GatewayConfiguration(
            reader: Self.reader(["callpipe.ai.provider": "openai", "openai.base.url": "http://127.0.0.1:8000/v1"]))
        #expect(configuration.ai.provider == .openai && configuration.ai.apiKey == nil)
    }

    @Test func flagsWinOverTheEnvironment() throws {
        let configuration = try GatewayConfiguration(
            reader: Self.reader(["callpipe.host": "0.0.0.0", "callpipe.port": "9090", "callpipe.data.dir": "/srv/env"]),
            host: "127.0.0.2", port: 7000, dataDirectory: "/srv/flag")
        #expect(configuration.host == "127.0.0.2" && configuration.port == 7000)
        #expect(configuration.storage.dataDirectory == "/srv/flag")
    }

    @Test(arguments: [
        ["callpipe.port": "eighty"] as [AbsoluteConfigKey: ConfigValue],
        ["callpipe.port": "70000"],
        ["callpipe.ai.provider": "watson"],
        ["callpipe.ai.provider": "openai"],
    ])
    func rejectsUnusableSettingsWithTheKeyToFix(_ values: [AbsoluteConfigKey: ConfigValue]) {
        #expect(throws: (any Error).self) { try GatewayConfiguration(reader: Self.reader(values)) }
        do {
            _ = try GatewayConfiguration(reader: Self.reader(values))
        } catch {
            let text = String(describing: error)
            #expect(text.contains("CALLPIPE_PORT") || text.contains("CALLPIPE_AI_PROVIDER"), "\(text)")
        }
    }
}
