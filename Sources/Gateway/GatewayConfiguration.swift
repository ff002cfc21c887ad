package import AIClients
package import Configuration
import Foundation
package import Pipeline

/// Everything the server needs, read once at start (STYLE.md 8).
package struct GatewayConfiguration: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var storage: StorageConfiguration
    package var ai: AIProviderConfiguration
    package var uploads: UploadConfiguration
    /// The dashboard's static files (`Public/`).
    package var dashboard: DashboardConfiguration

    package init(
        host: String = "127.0.0.1", port: Int = 8080, storage: StorageConfiguration = .init(),
        ai: AIProviderConfiguration = .init(), maxUploadBytes: Int64 = 512 * 1_024 * 1_024,
        dashboard: DashboardConfiguration = .init()
    ) {
        self.host = host
        self.port = port
        self.storage = storage
        self.ai = ai
        self.dashboard = dashboard
        uploads = UploadConfiguration(
            directory: (storage.dataDirectory as NSString).appendingPathComponent("recordings"),
            maxBytes: maxUploadBytes, minimumFreeBytes: storage.minimumFreeBytes)
    }

    /// Reads `CALLPIPE_HOST`, `CALLPIPE_PORT`, `CALLPIPE_PUBLIC_DIR` and the storage and AI keys; explicit arguments
    /// (command-line flags) win over the environment.
    package init(
        reader: ConfigReader, host: String? = nil, port: Int? = nil, dataDirectory: String? = nil
    ) throws {
        let portText = reader.string(forKey: "callpipe.port")
        let environmentPort = try portText.map { text in
            guard let value = Int(text), (0...65_535).contains(value) else {
                throw GatewayError.configuration("CALLPIPE_PORT is \"\(text)\"; use a port number from 0 to 65535")
            }
            return value
        }
        self.init(
            host: host ?? reader.string(forKey: "callpipe.host", default: "127.0.0.1"),
            port: port ?? environmentPort ?? 8080,
            storage: try StorageConfiguration(reader: reader, dataDirectory: dataDirectory),
            ai: try AIProviderConfiguration(reader: reader),
            maxUploadBytes: Int64(reader.int(forKey: "callpipe.max.upload.mb", default: 512)) * 1_024 * 1_024,
            dashboard: DashboardConfiguration(reader: reader))
    }
}
