import AsyncHTTPClient
import Foundation
import Gateway
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
            let (close, late) = try await stream(callID: callID)
            let lateness = [
                "max_late_ms": String(format: "%.0f", late.max * 1_000), "late_frames": "\(late.frames)",
                "frames": "\(late.of)",
            ]
            if let close, close.code != .normalClosure {
                report(["event": "failed", "call_id": callID, "error": "closed with \(close.code): \(close.reason)"])
                return false
            }
            report(["event": "finished", "call_id": callID].merging(lateness) { $1 })
            return true
        } catch {
            report(["event": "failed", "call_id": callID, "error": (error as? CommandFailure)?.message ?? "\(error)"])
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

    /// How late the frames went out: the latest (seconds), and how many of how many were more
    /// than a frame's time late.
    struct Lateness {
        var max: Double
        var frames: Int
        var of: Int
    }

    /// Returns how the server closed the stream and how late its frames went out.
    private func stream(callID: String) async throws -> (ReplayConnection.Close, Lateness) {
        let base = server.replacingOccurrences(of: "http", with: "ws", options: .anchored)
        let encodedToken = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        let address = "\(base)/api/calls/\(callID)/stream?protocol=\(streamProtocol.rawValue)&token=\(encodedToken)"
        guard let url = URL(string: address) else {
            throw CommandFailure(message: "not a server URL: \(server)", exitCode: 2)
        }
        // The connection and its sender share one event loop: every write goes out without a
        // thread hop, which is what lets one process drive a thousand real-time streams.
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let sender = ReplaySender(
            eventLoop: eventLoop, callID: callID, streamProtocol: streamProtocol, audio: audio, speed: speed)
        // And so does the rest of the stream's task (its waits on NIO futures).
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop)) {
            let connection = try await ReplayConnection.connect(to: url, on: eventLoop)
            do {
                try await sender.send(over: connection.channel) { started in
                    report([
                        "event": "started", "call_id": callID,
                        "audio_start_unix": String(format: "%.3f", started),
                    ])
                }
            } catch {
                // Closed by the server before the end (it says why), or lost.
                guard connection.channel.isActive == false, let close = try? await connection.closed.get() else {
                    try? await connection.channel.close()
                    throw error
                }
                return (close, await sender.lateness)
            }
            // The server closes once it has the whole call.
            let close = try await connection.closed.get()
            return (close, await sender.lateness)
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
