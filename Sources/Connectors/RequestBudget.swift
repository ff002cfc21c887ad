import Synchronization

/// The requests a sync run has left (`VendorRequestPolicy.requestBudget`), shared by every request
/// of the run.
package final class RequestBudget: Sendable {
    private let remaining: Mutex<Int>
    package let limit: Int

    /// Requests taken so far.
    package var used: Int { limit - remaining.withLock { $0 } }

    package init(_ limit: Int) {
        self.limit = limit
        remaining = Mutex(limit)
    }

    /// Takes one request; throws once the run has made `limit`.
    package func take(vendor: String) throws(ConnectorError) {
        let granted = remaining.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        guard granted else {
            throw ConnectorError(
                .budgetExhausted, "the run used its \(limit) requests to \(vendor); the next run goes on")
        }
    }
}
