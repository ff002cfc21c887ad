package import AsyncHTTPClient
import NIOCore
import NIOSSL

/// The HTTP client for AI providers: the system's trust roots plus, for self-hosted
/// OpenAI-compatible servers, an extra CA (`CALLPIPE_CA_FILE`).
package enum AIHTTPClientFactory {
    /// A client to shut down when done; `HTTPClient.shared` serves when no extra CA is needed.
    package static func make(caFile: String?) throws(AIClientError) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
            } catch {
                throw AIClientError(
                    .configuration, "CALLPIPE_CA_FILE \(caFile) is not a readable PEM certificate: \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(15))
        // Live calls send many short requests at once: allow as many connections as they need.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
        // A refused connection fails at once; OpenAITransport's own retries (with backoff and a
        // limit) decide what happens next, instead of a silent retry loop until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
