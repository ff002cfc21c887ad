import CFFmpeg

/// A decode's stop signal: set when the awaiting task is cancelled, and a deadline that starts
/// when the decode starts on its pool thread.
///
/// FFmpeg polls it through the format context's interrupt callback whenever it blocks in I/O (the
/// call then fails with `AVERROR_EXIT`); the decode loop polls it between packets, so a decode
/// whose time goes into our own code, or into a few bytes that expand hugely, stops too. The
/// state lives in C and is only touched through atomics, which is what makes sharing it safe.
final class DecodeInterrupt: @unchecked Sendable {
    let state: UnsafeMutablePointer<cp_interrupt>
    /// Seconds the decode may take once `arm()` is called.
    let timeout: Double

    init(timeout: Double) {
        self.timeout = timeout
        // Written before the object is shared; from then on only through the shim's atomics.
        state = .allocate(capacity: 1)
        state.initialize(to: cp_interrupt(cancelled: 0, deadline: .max))
    }

    deinit { state.deallocate() }

    /// Asks the decode to stop at its next check.
    func cancel() { cp_interrupt_cancel(state) }

    /// Starts the clock.
    func arm() {
        // Clamped before the conversion: a configured value can be anything a Double holds.
        let microseconds = timeout.isFinite ? min(max(timeout, 0), 1e12) * 1e6 : 1e18
        cp_interrupt_arm(state, Int64(microseconds))
    }

    /// Throws `.cancelled` or `.timedOut` once the decode must stop.
    func check(_ path: String) throws(AudioError) {
        switch cp_interrupt_reason(state) {
        case 0: return
        case 1: throw AudioError(.cancelled, "\(path): decoding was cancelled", path: path)
        default:
            throw AudioError(
                .timedOut,
                "\(path): decoding took longer than the \(AudioDecoderConfiguration.describe(seconds: timeout)) "
                    + "limit (CALLPIPE_DECODE_TIMEOUT_S); the file is damaged or too long to process",
                path: path)
        }
    }
}
