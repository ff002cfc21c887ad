/// What a start found of the work a dead process was holding (pipeline jobs, CRM deliveries).
package struct InterruptedWork<Item: Sendable>: Sendable {
    /// Back in the queue, with one more crash counted.
    package var requeued: [Item] = []
    /// Given up after too many crashes: failed (jobs, with their calls) or dead-lettered
    /// (deliveries), with the reason.
    package var abandoned: [Item] = []

    package init(requeued: [Item] = [], abandoned: [Item] = []) {
        self.requeued = requeued
        self.abandoned = abandoned
    }
}

extension InterruptedWork: Equatable where Item: Equatable {}
