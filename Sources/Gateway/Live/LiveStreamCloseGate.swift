/// Lets a live stream's two closers send their close frame without one cancelling the other's.
///
/// A stream is closed either by the call ending elsewhere (`POST /end`, the idle timeout, a full
/// disk, shutdown; a watcher task sends the close) or by the connection's own end. When both happen
/// at once, the connection's end used to cancel the watcher while it was sending: the close frame
/// was dropped, the state said "closing", and the client waited for a close that never came
/// (docs/ARCHITECTURE.md §5). The connection's end now takes over only once a close the
/// watcher began has been written, and no watcher close starts after that.
actor LiveStreamCloseGate {
    private var closing = false
    private var takenOver = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs the watcher's `close` unless the connection's end has taken over.
    func closeUnlessTakenOver(_ close: @Sendable () async throws -> Void) async throws {
        guard !takenOver else { return }
        closing = true
        defer {
            closing = false
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
        try await close()
    }

    /// The connection has ended: waits for a close the watcher is writing; none starts after this.
    func takeOver() async {
        takenOver = true
        if closing { await withCheckedContinuation { waiters.append($0) } }
    }
}
