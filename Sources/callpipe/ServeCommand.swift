import ArgumentParser
import Configuration
import Gateway
import Hummingbird
import Logging

/// `callpipe serve [--host H] [--port P] [--data-dir D]`: runs the server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the CallPipe server (default 127.0.0.1:8080, data in ./data).")

    @Option(help: "Address to listen on (CALLPIPE_HOST).")
    var host: String?

    @Option(help: "Port to listen on (CALLPIPE_PORT).")
    var port: Int?

    @Option(help: "Directory for the database and recordings (CALLPIPE_DATA_DIR).")
    var dataDir: String?

    func run() async throws {
        let reader = try await ConfigurationReader.make()
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration(reader: reader, host: host, port: port, dataDirectory: dataDir)
        } catch {
            throw CommandFailure(message: String(describing: error), exitCode: 2)
        }
        let logger = Logger(label: "callpipe")
        let application = try buildApplication(configuration, logger: logger)
        try await application.runService()
    }
}
