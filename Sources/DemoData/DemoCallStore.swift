/// A store that takes generated demo calls (`callpipe seed-demo`): every backend has one.
package protocol DemoCallStore: Sendable {
    /// Inserts whole calls as the pipeline would have left them.
    func insertDemoCalls(_ calls: [DemoCall]) async throws
    /// Removes every demo call and what hangs off it; returns how many.
    func deleteDemoCalls() async throws -> Int
}
