import Configuration
import SystemPackage

/// The environment and `.env`, read once (docs/ARCHITECTURE.md §7). The API key is marked secret.
enum ConfigurationReader {
    static func make() async throws -> ConfigReader {
        ConfigReader(providers: [
            EnvironmentVariablesProvider(secretsSpecifier: .specific(["OPENAI_API_KEY"])),
            try await EnvironmentVariablesProvider(
                environmentFilePath: ".env", allowMissing: true, secretsSpecifier: .specific(["OPENAI_API_KEY"])),
        ])
    }
}
