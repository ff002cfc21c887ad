import AIClients
import Foundation
package import Hummingbird
package import Logging
import Pipeline

/// Builds the CallPipe server from its configuration: prepares the data directory, registers
/// the controllers, and returns an application ready for `runService()`.
package func buildApplication(
    _ configuration: GatewayConfiguration, logger: Logger
) throws -> some ApplicationProtocol {
    try prepareDataDirectory(configuration.storage.dataDirectory)
    let router = Router()
    HealthController(configuration: configuration).register(on: router)
    logger.info(
        "CallPipe configured",
        metadata: [
            "data.dir": "\(configuration.storage.dataDirectory)",
            "ai.provider": "\(configuration.ai.provider.rawValue)",
            "ai.api_key": "\(configuration.ai.maskedAPIKey)",
        ])
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "CallPipe"),
        logger: logger)
}

private func prepareDataDirectory(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw GatewayError(.storage, "cannot create the data directory \(path): \(error.localizedDescription)")
    }
    guard FileManager.default.isWritableFile(atPath: path) else {
        throw GatewayError(.storage, "the data directory \(path) is not writable")
    }
}
