package import NIOCore

/// A task executor that runs its jobs on one NIO event loop.
///
/// A connection's work runs best on its channel's event loop: a message read by the channel then
/// resumes the task reading it on the same thread, with no wake-up of another thread, and what the
/// task writes reaches the channel without a hop either. Used with `withTaskExecutorPreference`
/// for the live-audio connections (server) and the replayed streams (load generator); actors the
/// task calls still run on their own executors.
package final class EventLoopTaskExecutor: TaskExecutor {
    package let eventLoop: any EventLoop

    package init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
