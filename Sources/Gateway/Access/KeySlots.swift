import Synchronization

/// At most `limit` of something at once per API key (uploads in flight): `acquire` before,
/// `release` after, in a `defer`.
package final class KeySlots: Sendable {
    package let limit: Int
    private let inUse = Mutex<[String: Int]>([:])

    package init(limit: Int) {
        self.limit = limit
    }

    /// `false` when the key already holds `limit` slots.
    package func acquire(_ key: String) -> Bool {
        inUse.withLock { inUse in
            let held = inUse[key, default: 0]
            guard held < limit else { return false }
            inUse[key] = held + 1
            return true
        }
    }

    package func release(_ key: String) {
        inUse.withLock { inUse in
            let held = inUse[key, default: 0] - 1
            inUse[key] = held > 0 ? held : nil
        }
    }
}
