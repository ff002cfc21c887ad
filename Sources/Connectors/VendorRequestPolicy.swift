package import AIClients

/// How a connector talks to its vendor: per-request deadline, retries of 429/5xx/timeouts (with
/// the vendor's `Retry-After` when it sends one, else the product's backoff) and the most requests
/// one sync run may make, so a run cannot spend the vendor's whole quota.
package struct VendorRequestPolicy: Sendable, Equatable {
    /// Seconds a request may take, connect to last byte: vendors' list endpoints can be slow.
    package var timeout: Double = 60
    /// Tries per request, the first included.
    package var maxAttempts: Int = 6
    /// Waits between tries when the vendor does not say how long.
    package var backoff = Backoff(baseDelay: 1, maxDelay: 60, jitter: 0.5)
    /// The longest `Retry-After` honoured; a longer one ends the request as rate limited.
    package var maxRetryAfter: Double = 300
    /// Requests one run may make, retries included.
    package var requestBudget: Int = 10_000
    /// Larger answers are refused: a page of calls is far smaller.
    package var maxResponseBytes: Int = 32 << 20

    package init() {}
}
