package import Hummingbird
package import Logging
import ServiceLifecycle

/// Runs a mock server's router on a free loopback port for the duration of `body`, which gets the
/// port: the mock CRM's and the vendor mocks' way to serve tests and benchmarks.
package enum LoopbackMock {
    package static func run<Result: Sendable>(
        router: Router<BasicRequestContext>, name: String, logger: Logger, _ body: (Int) async throws -> Result
    ) async throws -> Result {
        let ports = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name),
            onServerRunning: { channel in
                ports.continuation.yield(channel.localAddress?.port ?? 0)
                ports.continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.stream.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await group.triggerGracefulShutdown()
                throw MockCRMError(message: "the \(name) did not start")
            }
            do {
                let result = try await body(port)
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
}
