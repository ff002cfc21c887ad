/// At most `limit` operations at once (per provider), the rest wait their turn in order.
package actor ConcurrencyLimiter {
    package let limit: Int
    private var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a permit is free.
    package nonisolated func withPermit<Result: Sendable>(
        _ body: () async throws -> Result
    ) async throws -> Result {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if active < limit {
            active += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            active -= 1
        } else {
            waiters.removeFirst().resume()  // The permit passes straight to the next in line.
        }
    }
}
