import NIOCore
import NIOPosix
import Testing

@testable import Gateway

@Suite("Event loop task executor", .timeLimit(.minutes(3)))
struct EventLoopTaskExecutorTests {
    @Test func runsNonisolatedWorkOnItsEventLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loop = group.next()
        let onLoop = await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            var seen: [Bool] = []
            for _ in 0..<3 {
                seen.append(loop.inEventLoop)
                // A suspension and resumption (a NIO timer) comes back to the same loop.
                try? await loop.scheduleTask(in: .milliseconds(1)) {}.futureResult.get()
            }
            // Child tasks inherit the preference.
            let child = await withTaskGroup(of: Bool.self) { tasks in
                tasks.addTask { loop.inEventLoop }
                return await tasks.next() ?? false
            }
            return seen + [child]
        }
        #expect(onLoop == [true, true, true, true])
        // Without the preference the same code runs on the shared pool, not on the loop.
        #expect(!loop.inEventLoop)
        try await group.shutdownGracefully()
    }
}
