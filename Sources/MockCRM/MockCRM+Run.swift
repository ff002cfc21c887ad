import Hummingbird
package import Logging
import ServiceLifecycle

extension MockCRM {
    /// Runs a mock CRM on a free loopback port for the duration of `body`, which gets the mock and
    /// the base URL of its routes (`http://127.0.0.1:PORT/_mock`). For tests and benchmarks.
    package static func run<Result: Sendable>(
        credentials: MockCRMCredentials = .random(), logger: Logger = Logger(label: "mock-crm"),
        _ body: (MockCRM, String) async throws -> Result
    ) async throws -> Result {
        let mock = MockCRM(credentials: credentials)
        let router = Router()
        mock.register(on: router)
        let ports = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "mock-crm"),
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
                throw MockCRMError(message: "the mock CRM did not start")
            }
            do {
                let result = try await body(mock, "http://127.0.0.1:\(port)/_mock")
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

/// The one error of the mock CRM module.
package struct MockCRMError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
