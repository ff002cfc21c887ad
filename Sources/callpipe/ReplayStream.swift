import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
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
        // The connection and its sender share one event loop: every write goes out without a
        // thread hop, which is what lets one process drive a thousand real-time streams.
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let sender = ReplaySender(
            eventLoop: eventLoop, callID: callID, streamProtocol: streamProtocol, audio: audio, speed: speed)
        return try await WebSocketClient.connect(
            url: url, configuration: .init(maxFrameSize: 1 << 16), eventLoopGroup: eventLoop, logger: logger
        ) { inbound, outbound, _ in
            try await sender.send(to: outbound) { started in
                report([
                    "event": "started", "call_id": callID,
                    "audio_start_unix": String(format: "%.3f", started),
                ])
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
