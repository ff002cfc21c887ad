import Foundation
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import Gateway

/// `TwilioMediaFramer` gathers the Twilio `media` messages of one socket read into one binary
/// frame of decoded samples, and lets everything else through unchanged and in order
/// (docs/ARCHITECTURE.md §12, "Live capacity").
@Suite("Twilio media framer")
struct TwilioMediaFramerTests {
    static let token: [UInt8] = Array(0..<16)

    /// A client's text frame, masked as clients must mask them.
    static func frame(_ text: String, fin: Bool = true, opcode: WebSocketOpcode = .text) -> WebSocketFrame {
        let key = WebSocketMaskingKey([7, 42, 99, 200])!
        var data = ByteBuffer(string: text)
        data.webSocketMask(key)
        return WebSocketFrame(fin: fin, opcode: opcode, maskKey: key, data: data)
    }

    static func media(_ track: String, timestamp: String? = "20", payload: String) -> String {
        let stamp = timestamp.map { #","timestamp":"\#($0)""# } ?? ""
        return
            #"{"event":"media","sequenceNumber":"3","media":{"track":"\#(track)","chunk":"2"\#(stamp),"payload":"\#(payload)"},"streamSid":"MZ1"}"#
    }

    static let payloadA = Data((0..<160).map { UInt8($0) }).base64EncodedString()
    static let payloadB = Data((0..<160).map { UInt8(255 - $0) }).base64EncodedString()

    /// One frame of a socket read (`writeInbound` would complete the read after each frame).
    func feed(_ channel: EmbeddedChannel, _ frame: WebSocketFrame) {
        channel.pipeline.fireChannelRead(NIOAny(frame))
    }

    func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(TwilioMediaFramer(token: Self.token, maxFrameBytes: 4_096))
        return channel
    }

    /// What came out, unmasked: a text frame as its text, a binary frame as its records.
    enum Out: Equatable {
        case text(String)
        case records([TwilioMediaRecords.Record])
        case other(WebSocketOpcode, fin: Bool)
    }

    func outputs(_ channel: EmbeddedChannel) throws -> [Out] {
        var result: [Out] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) {
            switch frame.opcode {
            case .text where frame.fin:
                result.append(.text(String(buffer: frame.unmaskedData)))
            case .binary:
                result.append(.records(try #require(TwilioMediaRecords.read(frame.unmaskedData, token: Self.token))))
            default:
                result.append(.other(frame.opcode, fin: frame.fin))
            }
        }
        return result
    }

    @Test func mediaOfOneReadComeOutAsOneFrameOfSamples() throws {
        let channel = try makeChannel()
        feed(channel, Self.frame(Self.media("outbound", payload: Self.payloadA)))
        feed(channel, Self.frame(Self.media("inbound", timestamp: nil, payload: Self.payloadB)))
        feed(channel, Self.frame(Self.media("outbound", timestamp: "40", payload: Self.payloadB)))
        #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)  // Held until the read completes.
        channel.pipeline.fireChannelReadComplete()
        let expectedA = try #require(TwilioMediaScanner.scan(Self.media("outbound", payload: Self.payloadA))).samples
        let expectedB = try #require(TwilioMediaScanner.scan(Self.media("inbound", payload: Self.payloadB))).samples
        #expect(expectedA.count == 160 && expectedA != expectedB)
        #expect(
            try outputs(channel) == [
                .records([
                    .init(channel: 0, position: 160, samples: expectedA),
                    .init(channel: 1, position: nil, samples: expectedB),
                    .init(channel: 0, position: 320, samples: expectedB),
                ])
            ])
        _ = try channel.finish()
    }

    /// Other events, messages the scanner will not vouch for, out-of-range timestamps and unknown
    /// tracks go through as they came, after what was gathered before them: order is kept.
    @Test func everythingElsePassesThroughInOrder() throws {
        let channel = try makeChannel()
        let mark = #"{"event":"mark","streamSid":"MZ1","mark":{"name":"m1"}}"#
        let escaped = #"{"event":"media","media":{"track":"inbound","payload":"AAAA\u0041"}}"#
        let unknownTrack = Self.media("both", payload: Self.payloadA)
        let farFuture = Self.media("inbound", timestamp: "86400001", payload: Self.payloadA)
        let badBase64 = Self.media("inbound", payload: "AA*A")
        feed(channel, Self.frame(Self.media("outbound", payload: Self.payloadA)))
        for text in [mark, escaped, unknownTrack, farFuture, badBase64] { feed(channel, Self.frame(text)) }
        feed(channel, Self.frame(Self.media("inbound", payload: Self.payloadB)))
        channel.pipeline.fireChannelReadComplete()
        let out = try outputs(channel)
        #expect(out.count == 7)
        guard out.count == 7 else { return }
        #expect(out[1...5] == [.text(mark), .text(escaped), .text(unknownTrack), .text(farFuture), .text(badBase64)])
        guard case .records(let first) = out[0], case .records(let last) = out[6] else {
            Issue.record("media not gathered: \(out)")
            return
        }
        #expect(first.map(\.channel) == [0] && last.map(\.channel) == [1])
        _ = try channel.finish()
    }

    /// A fragmented message's frames go through untouched, even a media message that arrives as
    /// its continuation; binary frames from the client go through as they are (without the
    /// token the connection refuses them), and control frames too.
    @Test func fragmentsBinaryAndControlFramesAreNotTouched() throws {
        let channel = try makeChannel()
        let whole = Self.media("inbound", payload: Self.payloadA)
        let half = whole.index(whole.startIndex, offsetBy: 40)
        feed(channel, Self.frame(String(whole[..<half]), fin: false))
        feed(channel, Self.frame(String(whole[half...]), opcode: .continuation))
        feed(channel, Self.frame("ping", opcode: .ping))
        var binary = ByteBuffer(bytes: Self.token.reversed())
        binary.writeString("forged")
        feed(channel, WebSocketFrame(fin: true, opcode: .binary, data: binary))
        #expect(TwilioMediaRecords.read(binary, token: Self.token) == nil)
        feed(channel, Self.frame(whole))
        channel.pipeline.fireChannelReadComplete()
        var frames: [WebSocketFrame] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) { frames.append(frame) }
        #expect(frames.map(\.opcode) == [.text, .continuation, .ping, .binary, .binary])
        #expect(frames.first?.fin == false && frames[1].fin)
        #expect(frames.count == 5 && frames[3].data == binary)
        #expect(frames.count == 5 && TwilioMediaRecords.read(frames[4].unmaskedData, token: Self.token)?.count == 1)
        _ = try channel.finish()
    }

    /// Frames stay within the connection's message limit: a message whose samples would not fit
    /// alone goes through as its text (the connection's own path takes it, as before), and one
    /// that would overfill the frame being gathered starts the next one.
    @Test func framesStayWithinTheMessageLimit() throws {
        let channel = try makeChannel()
        let large = Self.media("inbound", payload: Data(repeating: 0x7F, count: 1_200).base64EncodedString())
        for _ in 0..<8 { feed(channel, Self.frame(Self.media("outbound", payload: Self.payloadA))) }
        feed(channel, Self.frame(large))
        channel.pipeline.fireChannelReadComplete()
        var frames: [WebSocketFrame] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) { frames.append(frame) }
        // 650 bytes per record: six fit in 4,096 bytes with the token, then two, then the text.
        #expect(frames.map(\.opcode) == [.binary, .binary, .text])
        #expect(frames.allSatisfy { $0.data.readableBytes <= 4_096 })
        let counts = frames.prefix(2).map { TwilioMediaRecords.read($0.unmaskedData, token: Self.token)?.count }
        #expect(counts == [6, 2])
        _ = try channel.finish()
    }

    /// What was gathered when the connection goes away is still handed on (no audio lost).
    @Test func gatheredMediaIsHandedOnWhenTheChannelCloses() throws {
        let channel = try makeChannel()
        feed(channel, Self.frame(Self.media("inbound", payload: Self.payloadA)))
        channel.pipeline.fireChannelInactive()
        #expect(try outputs(channel).count == 1)
        _ = try? channel.finish()
    }
}
