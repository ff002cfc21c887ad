package import Logging
import ServiceLifecycle

/// The loops of a service that works through a durable queue (pipeline jobs, CRM deliveries):
/// `concurrency` of them each take the next due item (`next` returns `false` when none was), wait
/// `pollInterval` when the queue is empty, ride out a store that is briefly unavailable, and stop
/// on graceful shutdown — whatever was in flight keeps its lease and is taken up again later.
package enum ClaimLoops {
    package static func run(
        concurrency: Int, pollInterval: Double, logger: Logger, storeTrouble: Logger.Message,
        next: @escaping @Sendable () async throws -> Bool
    ) async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<max(1, concurrency) {
                        group.addTask {
                            while !Task.isCancelled {
                                do {
                                    if try await next() == false {
                                        try await Task.sleep(for: .milliseconds(Int(pollInterval * 1_000)))
                                    }
                                } catch let error as CallPipeError where !Task.isCancelled {
                                    logger.error(storeTrouble, metadata: ["error": "\(error)"])
                                    try await Task.sleep(for: .seconds(1))
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
    }
}
