import NIOCore

/// Reads a live-audio connection at most once per `interval` (docs/ARCHITECTURE.md §12, "Live
/// capacity").
///
/// A live client sends a message every 20 ms (Twilio: one per track). Read as it comes, each one
/// costs a wake-up, a `read` system call and a resumption of the task that parses it. Holding the
/// channel's `read` until `interval` has passed since the last one lets the kernel gather the
/// messages meanwhile: one read takes them all, and the connection's task parses them in one go.
/// At 100 ms that is five times fewer wake-ups for at most 100 ms more before an utterance's end
/// is seen — the session takes audio in 100 ms blocks anyway. Control frames (close, ping) wait
/// as long at most. Only live-audio connections carry it.
final class LiveReadPacer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let interval: TimeAmount
    private var lastRead: NIODeadline?
    private var held: Scheduled<Void>?

    init(interval: TimeAmount) {
        self.interval = interval
    }

    func read(context: ChannelHandlerContext) {
        guard held == nil else { return }  // A read is already on its way.
        let now = context.eventLoop.now
        guard let lastRead, lastRead + interval > now else {
            lastRead = now
            context.read()
            return
        }
        let due = lastRead + interval
        held = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            held = nil
            self.lastRead = due
            context.read()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Taken out with a read held: the read goes through, or the channel would stall.
        guard let held else { return }
        held.cancel()
        self.held = nil
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        held?.cancel()
        held = nil
        context.fireChannelInactive()
    }
}
