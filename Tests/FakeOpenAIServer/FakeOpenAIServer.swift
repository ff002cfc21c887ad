package import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// An OpenAI-compatible server for tests and benchmarks, over real HTTPS with a certificate made
/// at start. It checks every request against the rules of OpenAI's API description (multipart
/// fields per model, the strict JSON schema, the bearer key), answers in the documented shapes,
/// and can be scripted to fail the ways real servers do.
package struct FakeOpenAIServer: Sendable {
    package let state: FakeOpenAIState
    package let port: Int
    package let certificate: TestCertificate
    package let apiKey: String

    package var baseURL: String { "https://127.0.0.1:\(port)/v1" }

    /// Runs a fake server for the length of `body`.
    package static func run<Result: Sendable>(
        apiKey: String = "sk-test-0123456789abcdefghijklmnop", _ body: (FakeOpenAIServer) async throws -> Result
    ) async throws -> Result {
        let certificate = try TestCertificate()
        let state = FakeOpenAIState()
        let ports = AsyncStream<Int>.makeStream()
        let router = Router()
        FakeOpenAIRoutes(state: state, apiKey: apiKey).register(on: router)
        var logger = Logger(label: "fake-openai")
        logger.logLevel = .warning
        let application = Application(
            router: router, server: try .tls(tlsConfiguration: try certificate.serverTLSConfiguration()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-openai"),
            onServerRunning: { channel in
                ports.continuation.yield(channel.localAddress?.port ?? 0)
                ports.continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.stream.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await group.triggerGracefulShutdown()
                throw FakeServerError(message: "the fake OpenAI server did not start")
            }
            let server = FakeOpenAIServer(state: state, port: port, certificate: certificate, apiKey: apiKey)
            do {
                let result = try await body(server)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// An HTTP client that trusts this server's certificate (shut it down when done).
    package func makeClient() throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [
            .certificates([try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem)])
        ]
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

package struct FakeServerError: Error, CustomStringConvertible {
    package var message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}
