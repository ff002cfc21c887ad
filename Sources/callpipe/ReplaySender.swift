import Foundation
import HummingbirdWSClient
import NIOCore

/// Sends one replayed call's messages on a fixed clock, isolated to its connection's event loop.
actor ReplaySender {
    let eventLoop: any EventLoop
    let callID: String
    let streamProtocol: ReplayAudio.StreamProtocol
    let audio: ReplayAudio
    let speed: Double

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
    func send(to outbound: WebSocketOutboundWriter, started: @Sendable (Double) -> Void) async throws {
        let sid = "MZ" + callID.suffix(32)
        let callSid = "CA" + callID.suffix(32)
        switch streamProtocol {
        case .twilio:
            try await outbound.write(.text(#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#))
            let tracks = audio.channels > 1 ? #"["inbound","outbound"]"# : #"["inbound"]"#
            try await outbound.write(
                .text(
                    #"{"event":"start","sequenceNumber":"1","start":{"accountSid":"ACreplay","streamSid":"\#(sid)","callSid":"\#(callSid)","tracks":\#(tracks),"customParameters":{"source":"callpipe replay"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"\#(sid)"}"#
                ))
        case .pcm:
            try await outbound.write(
                .text(
                    #"{"event":"start","sample_rate":\#(audio.sampleRate),"channels":\#(audio.channels),"encoding":"pcm_s16le"}"#
                ))
        }
        let start = NIODeadline.now()
        started(Date().timeIntervalSince1970)
        var sequence = 2
        for frame in 0..<audio.frameCount {
            // NIO's own timer on this event loop: no dispatch timer and no thread switch per frame.
            let due = start + .microseconds(Int64(Double(frame) * ReplayAudio.frameDuration * 1_000_000 / speed))
            if due > .now() { try await eventLoop.scheduleTask(deadline: due) {}.futureResult.get() }
            switch streamProtocol {
            case .twilio:
                let payloads = audio.twilioFrames[frame]
                for (track, payload) in [("outbound", payloads.outbound), ("inbound", payloads.inbound)] {
                    guard let payload else { continue }
                    try await outbound.write(
                        .text(
                            #"{"event":"media","sequenceNumber":"\#(sequence)","media":{"track":"\#(track)","chunk":"\#(frame + 1)","timestamp":"\#(frame * 20)","payload":"\#(payload)"},"streamSid":"\#(sid)"}"#
                        ))
                    sequence += 1
                }
            case .pcm:
                try await outbound.write(.binary(ByteBuffer(bytes: audio.pcmFrames[frame])))
            }
        }
        switch streamProtocol {
        case .twilio:
            try await outbound.write(
                .text(
                    #"{"event":"stop","sequenceNumber":"\#(sequence)","streamSid":"\#(sid)","stop":{"accountSid":"ACreplay","callSid":"\#(callSid)"}}"#
                ))
        case .pcm:
            try await outbound.write(.text(#"{"event":"stop"}"#))
        }
    }
}
