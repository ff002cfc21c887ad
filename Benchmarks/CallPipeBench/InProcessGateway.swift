import CallPipeCore
import Connectors
import Foundation
import Gateway
import Logging
import ServiceLifecycle

/// The Gateway in this process on a free loopback port, for the length of `body`.
enum InProcessGateway {
    static func run(
        store: any CallStore, events: CallEventBus, dataDirectory: String, connectors: ConnectorService? = nil,
        _ body: (Int) async throws -> Void
    ) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let ports = AsyncStream<Int>.makeStream()
        // One key makes every request: the per-key rate limit (still on the path) never refuses.
        var access = AccessConfiguration()
        access.requestsPerSecond = 1_000_000
        access.burst = 1_000_000
        let application = try buildApplication(
            GatewayConfiguration(port: 0, storage: .init(dataDirectory: dataDirectory), access: access), store: store,
            events: events, connectors: connectors,
            logger: logger
        ) { port in
            ports.continuation.yield(port)
            ports.continuation.finish()
        }
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.stream.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
