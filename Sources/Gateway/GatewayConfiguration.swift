package import AIClients
package import Audio
package import CallPipeCore
package import Configuration
import Foundation

/// Everything the server needs, read once at start (docs/ARCHITECTURE.md, Conventions).
package struct GatewayConfiguration: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var storage: StorageConfiguration
    package var ai: AIProviderConfiguration
    package var uploads: UploadConfiguration
    /// The dashboard's static files (`Public/`).
    package var dashboard: DashboardConfiguration
    /// Limits per key and per connection.
    package var access: AccessConfiguration
    /// How recordings are decoded: the length and time limits, the decoder pool's threads.
    package var decoding: AudioDecoderConfiguration

    package init(
        host: String = "127.0.0.1", port: Int = 8080, storage: StorageConfiguration = .init(),
        ai: AIProviderConfiguration = .init(), maxUploadBytes: Int64 = 512 * 1_024 * 1_024,
        dashboard: DashboardConfiguration = .init(), access: AccessConfiguration = .init(),
        decoding: AudioDecoderConfiguration = .init()
    ) {
        self.access = access
        self.host = host
        self.port = port
        self.storage = storage
        self.ai = ai
        self.dashboard = dashboard
        self.decoding = decoding
        uploads = UploadConfiguration(
            directory: (storage.dataDirectory as NSString).appendingPathComponent("recordings"),
            maxBytes: maxUploadBytes, minimumFreeBytes: storage.minimumFreeBytes)
    }

    /// Reads `CALLPIPE_HOST`, `CALLPIPE_PORT`, `CALLPIPE_PUBLIC_DIR` and the storage, AI and decoder keys;
    /// explicit arguments (command-line flags) win over the environment.
    package init(
        reader: ConfigReader, host: String? = nil, port: Int? = nil, dataDirectory: String? = nil
    ) throws {
        let environmentPort: Int
        let maxUploadMB: Int
        let access: AccessConfiguration
        do {
            environmentPort = try reader.integer("callpipe.port", "CALLPIPE_PORT", in: 0...65_535, default: 8080)
            // 1 TiB at most: the limit in bytes always fits (and no single call is larger).
            maxUploadMB = try reader.integer(
                "callpipe.max.upload.mb", "CALLPIPE_MAX_UPLOAD_MB", in: 1...1_048_576, default: 512)
            access = try AccessConfiguration(reader: reader)
        } catch {
            throw GatewayError.configuration(String(describing: error))
        }
        self.init(
            host: host ?? reader.string(forKey: "callpipe.host", default: "127.0.0.1"),
            port: port ?? environmentPort,
            storage: try StorageConfiguration(reader: reader, dataDirectory: dataDirectory),
            ai: try AIProviderConfiguration(reader: reader),
            maxUploadBytes: Int64(maxUploadMB) * 1_024 * 1_024,
            dashboard: DashboardConfiguration(reader: reader), access: access,
            decoding: try AudioDecoderConfiguration(reader: reader))
    }
}
