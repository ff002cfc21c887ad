import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOWebSocket

/// One replayed live call: `POST /api/calls/start`, then the audio over
/// `WS /api/calls/{id}/stream` on a fixed clock (late frames are sent at once, never dropped),
/// then `stop`, then the server's close.
struct ReplayStream: Sendable {
    let server: String
    let token: String
    let streamProtocol: ReplayAudio.StreamProtocol
    let audio: ReplayAudio
    let speed: Double
    let agentID: String?
    let json: Bool

    /// Streams one call; `false` when it failed (the reason is printed).
    func run(index: Int) async -> Bool {
        var callID = "-"
        do {
            callID = try await startCall(index: index)
            let close = try await stream(callID: callID)
            if let close, close.closeCode != .normalClosure {
                report(
                    [
                        "event": "failed", "call_id": callID,
                        "error": "closed with \(close.closeCode): \(close.reason ?? "")",
                    ])
                return false
            }
            report(["event": "finished", "call_id": callID])
            return true
        } catch {
            report(["event": "failed", "call_id": callID, "error": "\(error)"])
            return false
        }
    }

    private func startCall(index: Int) async throws -> String {
        var request = HTTPClientRequest(url: "\(server)/api/calls/start")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        var body: [String: String] = ["direction": "inbound", "session_id": "replay-\(index)"]
        if let agentID { body["agent_id"] = agentID }
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status == .created,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let id = object["id"] as? String
        else {
            throw CommandFailure(
                message: "starting a call failed: \(response.status.code) \(String(decoding: data, as: UTF8.self))",
                exitCode: 1)
        }
        return id
    }

    private func stream(callID: String) async throws -> WebSocketCloseFrame? {
        let base = server.replacingOccurrences(of: "http", with: "ws", options: .anchored)
        let encodedToken = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        let url = "\(base)/api/calls/\(callID)/stream?protocol=\(streamProtocol.rawValue)&token=\(encodedToken)"
        var logger = Logger(label: "replay")
        logger.logLevel = .critical
        return try await WebSocketClient.connect(
            url: url, configuration: .init(maxFrameSize: 1 << 16), logger: logger
        ) { inbound, outbound, _ in
            let sid = "MZ" + callID.suffix(32)
            switch streamProtocol {
            case .twilio:
                try await outbound.write(.text(#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#))
                let tracks = audio.channels > 1 ? #"["inbound","outbound"]"# : #"["inbound"]"#
                try await outbound.write(
                    .text(
                        #"{"event":"start","sequenceNumber":"1","start":{"accountSid":"ACreplay","streamSid":"\#(sid)","callSid":"CA\#(callID.suffix(32))","tracks":\#(tracks),"customParameters":{"source":"callpipe replay"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"\#(sid)"}"#
                    ))
            case .pcm:
                try await outbound.write(
                    .text(
                        #"{"event":"start","sample_rate":\#(audio.sampleRate),"channels":\#(audio.channels),"encoding":"pcm_s16le"}"#
                    ))
            }
            let started = ContinuousClock.now
            report([
                "event": "started", "call_id": callID,
                "audio_start_unix": String(format: "%.3f", Date().timeIntervalSince1970),
            ])
            var sequence = 2
            for frame in 0..<audio.frameCount {
                let due = started + .milliseconds(Int(Double(frame) * ReplayAudio.frameDuration * 1_000 / speed))
                if due > .now { try await Task.sleep(until: due, clock: .continuous) }
                switch streamProtocol {
                case .twilio:
                    let payloads = audio.twilioFrames[frame]
                    let timestamp = frame * 20
                    for (track, payload) in [("outbound", payloads.outbound), ("inbound", payloads.inbound)] {
                        guard let payload else { continue }
                        try await outbound.write(
                            .text(
                                #"{"event":"media","sequenceNumber":"\#(sequence)","media":{"track":"\#(track)","chunk":"\#(frame + 1)","timestamp":"\#(timestamp)","payload":"\#(payload)"},"streamSid":"\#(sid)"}"#
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
                        #"{"event":"stop","sequenceNumber":"\#(sequence)","streamSid":"\#(sid)","stop":{"accountSid":"ACreplay","callSid":"CA\#(callID.suffix(32))"}}"#
                    ))
            case .pcm:
                try await outbound.write(.text(#"{"event":"stop"}"#))
            }
            // The server closes once it has the whole call.
            for try await _ in inbound {}
        }
    }

    private func report(_ fields: [String: String]) {
        let line: String
        if json {
            line = String(decoding: (try? JSONEncoder().encode(fields)) ?? Data(), as: UTF8.self)
        } else {
            line = "\(fields["event"] ?? ""): \(fields["call_id"] ?? "")" + (fields["error"].map { " — \($0)" } ?? "")
        }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
