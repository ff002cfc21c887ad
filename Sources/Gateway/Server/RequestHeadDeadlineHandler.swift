import NIOCore

/// Closes a new connection that has not sent a complete HTTP request head (the blank line after
/// the headers) within `timeout`: hundreds of clients that connect and then send nothing, or
/// trickle a header a byte at a time, are dropped instead of holding sockets. It sits in front of
/// the HTTP decoder, which does not see a request until its head is complete; once the first head
/// has arrived it only passes bytes on (later requests on the connection are the idle timeout's).
final class RequestHeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var headComplete = false
    /// The last bytes seen, to find `\r\n\r\n` split across reads.
    private var tail: [UInt8] = []

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headComplete {
            let buffer = unwrapInboundIn(data)
            if Self.containsHeadEnd(buffer, after: &tail) {
                headComplete = true
                deadline?.cancel()
                deadline = nil
                tail = []
            }
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headComplete else { return }
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            channel.close(promise: nil)
        }
    }

    /// Whether `\r\n\r\n` ends within `tail + buffer`; keeps the last three bytes in `tail`.
    static func containsHeadEnd(_ buffer: ByteBuffer, after tail: inout [UInt8]) -> Bool {
        let pattern: [UInt8] = [13, 10, 13, 10]
        return buffer.withUnsafeReadableBytes { bytes in
            var window = tail
            for byte in bytes {
                window.append(byte)
                if window.count > 4 { window.removeFirst(window.count - 4) }
                if window == pattern { return true }
            }
            tail = window
            return false
        }
    }
}
