import DemoData
import Foundation
import NIOCore
import NIOWebSocket

/// Sends one replayed call's messages on a fixed clock, isolated to its connection's event loop:
/// frames go straight into the channel, one flush per 20 ms tick.
actor ReplaySender {
    let eventLoop: any EventLoop
    let callID: String
    let streamProtocol: ReplayAudio.StreamProtocol
    let audio: ReplayAudio
    let speed: Double
    /// How late (seconds) the latest frame went out: shows a load generator that falls behind.
    private(set) var maxLate = 0.0
    /// Frames that went out more than one frame's time (20 ms) late, of `sentFrames`: a load
    /// generator late this often measures itself, not the server (scripts/bench live refuses it).
    private(set) var lateFrames = 0
    private(set) var sentFrames = 0

    var lateness: ReplayStream.Lateness { .init(max: maxLate, frames: lateFrames, of: sentFrames) }
    /// Masking keys (RFC 6455 §5.3) from a generator seeded once by the system's: a getrandom
    /// call per frame was a tenth of the replay's time.
    private var random = SplitMix64(seed: .random(in: .min ... .max))

    nonisolated var unownedExecutor: UnownedSerialExecutor { eventLoop.executor.asUnownedSerialExecutor() }

    init(
        eventLoop: any EventLoop, callID: String, streamProtocol: ReplayAudio.StreamProtocol, audio: ReplayAudio,
        speed: Double
    ) {
        self.eventLoop = eventLoop
        self.callID = callID
        self.streamProtocol = streamProtocol
        self.audio = audio
        self.speed = speed
    }

    /// The start message, every frame at its time (a late frame goes at once, none is dropped),
    /// then the stop message. `started` gets the wall time of the audio's first sample.
    func send(over channel: any Channel, started: @Sendable (Double) -> Void) async throws {
        let sid = "MZ" + callID.suffix(32)
        let callSid = "CA" + callID.suffix(32)
        switch streamProtocol {
        case .twilio:
            write(#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#, to: channel)
            let tracks = audio.channels > 1 ? #"["inbound","outbound"]"# : #"["inbound"]"#
            write(
                #"{"event":"start","sequenceNumber":"1","start":{"accountSid":"ACreplay","streamSid":"\#(sid)","callSid":"\#(callSid)","tracks":\#(tracks),"customParameters":{"source":"callpipe replay"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"\#(sid)"}"#,
                to: channel)
        case .pcm:
            write(
                #"{"event":"start","sample_rate":\#(audio.sampleRate),"channels":\#(audio.channels),"encoding":"pcm_s16le"}"#,
                to: channel)
        }
        channel.flush()
        let start = NIODeadline.now()
        started(Date().timeIntervalSince1970)
        var sequence = 2
        for frame in 0..<audio.frameCount {
            // NIO's own timer on this event loop: no dispatch timer and no thread switch per frame.
            let due = start + .microseconds(Int64(Double(frame) * ReplayAudio.frameDuration * 1_000_000 / speed))
            let now = NIODeadline.now()
            if due > now {
                try await eventLoop.scheduleTask(deadline: due) {}.futureResult.get()
            } else {
                let late = Double((now - due).nanoseconds) / 1e9
                maxLate = max(maxLate, late)
                if late > ReplayAudio.frameDuration { lateFrames += 1 }
            }
            sentFrames += 1
            guard channel.isActive else {
                throw CommandFailure(
                    message: "the connection closed after \(frame) of \(audio.frameCount) frames", exitCode: 1)
            }
            switch streamProtocol {
            case .twilio:
                let payloads = audio.twilioFrames[frame]
                for (track, payload) in [("outbound", payloads.outbound), ("inbound", payloads.inbound)] {
                    guard let payload else { continue }
                    write(
                        #"{"event":"media","sequenceNumber":"\#(sequence)","media":{"track":"\#(track)","chunk":"\#(frame + 1)","timestamp":"\#(frame * 20)","payload":"\#(payload)"},"streamSid":"\#(sid)"}"#,
                        to: channel)
                    sequence += 1
                }
            case .pcm:
                var buffer = channel.allocator.buffer(capacity: audio.pcmFrames[frame].count)
                buffer.writeBytes(audio.pcmFrames[frame])
                write(buffer, opcode: .binary, to: channel)
            }
            channel.flush()
        }
        let stop =
            switch streamProtocol {
            case .twilio:
                #"{"event":"stop","sequenceNumber":"\#(sequence)","streamSid":"\#(sid)","stop":{"accountSid":"ACreplay","callSid":"\#(callSid)"}}"#
            case .pcm: #"{"event":"stop"}"#
            }
        try await channel.writeAndFlush(frame(text: stop, allocator: channel.allocator)).get()
    }

    private func write(_ text: String, to channel: any Channel) {
        channel.write(frame(text: text, allocator: channel.allocator), promise: nil)
    }

    private func write(_ data: ByteBuffer, opcode: WebSocketOpcode, to channel: any Channel) {
        channel.write(
            WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(using: &random), data: data), promise: nil)
    }

    private func frame(text: String, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var buffer = allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        return WebSocketFrame(fin: true, opcode: .text, maskKey: .random(using: &random), data: buffer)
    }
}
