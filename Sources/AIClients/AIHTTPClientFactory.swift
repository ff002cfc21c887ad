package import AsyncHTTPClient
import NIOCore
import NIOSSL

/// The HTTP client for AI providers: the system's trust roots plus, for self-hosted
/// OpenAI-compatible servers, an extra CA (`CALLPIPE_CA_FILE`).
package enum AIHTTPClientFactory {
    /// A client to shut down when done. `connections` is how many connections to one host it
    /// keeps at most (live calls send many short requests at once: as many as they may run).
    package static func make(caFile: String?, connections: Int = 128) throws(AIClientError) -> HTTPClient {
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
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, connections))
        // A refused connection fails at once; OpenAITransport's own retries (with backoff and a
        // limit) decide what happens next, instead of a silent retry loop until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
