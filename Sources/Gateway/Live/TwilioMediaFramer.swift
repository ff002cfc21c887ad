import NIOCore
import NIOWebSocket

/// Parses Twilio `media` messages on the event loop, as their frames come off the socket, and
/// hands them on together (docs/ARCHITECTURE.md §12, "Live capacity").
///
/// A Twilio stream sends 50 `media` messages a second per track, each a JSON text frame with
/// 160 base64 μ-law samples. Passed on as they are, each one is unmasked into a copy, checked as
/// UTF-8 and made a `String`, delivered through the connection's async stream and parsed there.
/// This handler, placed right after the WebSocket frame decoder, unmasks and scans each complete
/// text frame's bytes once (``TwilioMediaScanner``) and decodes its samples straight into one
/// binary frame per socket read: a `token` (random per connection, so no client can forge one),
/// then one record per message (see ``TwilioMediaRecords``). The connection takes the whole read
/// in one resumption.
///
/// Anything else passes through unchanged and in order (what was gathered goes first): other
/// events, a `media` message the scanner is unsure of (it goes to the JSON parser and its error
/// messages), an unknown track, a timestamp out of range, fragmented or compressed messages,
/// control frames and binary frames (refused by the connection: they lack the token).
final class TwilioMediaFramer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private let token: [UInt8]
    /// The largest frame handed on (the connection's message limit): a record that would not fit
    /// alone passes through as the text it came as; one that would overfill the frame starts the next.
    private let maxFrameBytes: Int
    private var gathered: ByteBuffer?
    /// Inside a fragmented message: its frames pass through untouched until its last one.
    private var inFragments = false

    init(token: [UInt8], maxFrameBytes: Int) {
        self.token = token
        self.maxFrameBytes = maxFrameBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if inFragments {
            if frame.opcode == .continuation && frame.fin { inFragments = false }
            pass(frame, context: context)
            return
        }
        guard frame.opcode == .text, frame.fin, frame.rsv1 == false, frame.rsv2 == false, frame.rsv3 == false,
            gather(frame, context: context)
        else {
            if !frame.fin && (frame.opcode == .text || frame.opcode == .binary) { inFragments = true }
            pass(frame, context: context)
            return
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        flush(context: context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        flush(context: context)
    }

    private func pass(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        flush(context: context)
        context.fireChannelRead(wrapInboundOut(frame))
    }

    /// Hands on what was gathered, as one binary frame.
    private func flush(context: ChannelHandlerContext) {
        guard let buffer = gathered.take() else { return }
        guard buffer.readableBytes > token.count else { return }
        context.fireChannelRead(wrapInboundOut(WebSocketFrame(fin: true, opcode: .binary, data: buffer)))
    }

    /// Adds the frame's message as a record if it is a `media` message of a known track, with a
    /// timestamp in range; `false` (nothing added) for anything else.
    private func gather(_ frame: WebSocketFrame, context: ChannelHandlerContext) -> Bool {
        var data = frame.data
        if let key = frame.maskKey { data.webSocketUnmask(key) }
        return data.withUnsafeReadableBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let fields = TwilioMediaScanner.fields(bytes) else { return false }
            let channel: UInt8
            if TwilioMediaScanner.equal(bytes, fields.track, "outbound") {
                channel = 0
            } else if TwilioMediaScanner.equal(bytes, fields.track, "inbound") {
                channel = 1
            } else {
                return false
            }
            if let timestamp = fields.timestamp, timestamp > LiveStreamMessage.maxTimestamp { return false }
            let recordBytes = TwilioMediaRecords.headerBytes + fields.payload.count / 4 * 3 * 4
            guard token.count + recordBytes <= maxFrameBytes else { return false }
            if let gathered, gathered.readableBytes + recordBytes > maxFrameBytes { flush(context: context) }
            var buffer =
                gathered.take()
                ?? {
                    var buffer = context.channel.allocator.buffer(
                        capacity: 16 + 16 * (TwilioMediaRecords.headerBytes + 640))
                    buffer.writeBytes(token)
                    return buffer
                }()
            defer { gathered = buffer }
            return TwilioMediaRecords.append(
                channel: channel, position: fields.timestamp.map { $0 * 8 }, bytes: bytes, payload: fields.payload,
                to: &buffer)
        }
    }
}
