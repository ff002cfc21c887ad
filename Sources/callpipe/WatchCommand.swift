import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket

/// `callpipe watch [CALL_ID] [--floor] --token KEY [--server URL]`: prints a call's room events
/// (or the whole floor's) as JSON lines, as a supervisor's browser would receive them.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Print a call's live events (WS /ws) as JSON lines.")

    @Argument(help: "The call to watch.")
    var callID: String?

    @Flag(help: "Watch every call instead (supervisors).")
    var floor = false

    @Option(help: "An API key that may read the call.")
    var token: String

    @Option(help: "The server's base URL.")
    var server = "http://127.0.0.1:8080"

    func validate() throws {
        guard (callID != nil) != floor else { throw ValidationError("give a call id or --floor") }
    }

    func run() async throws {
        let base = server.replacingOccurrences(of: "http", with: "ws", options: .anchored)
        let encodedToken = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        let command =
            floor ? #"{"type":"join_floor"}"# : #"{"type":"join_call_session","session_id":"\#(callID ?? "")"}"#
        let close = try await WebSocketClient.connect(
            url: "\(base)/ws?token=\(encodedToken)", logger: Logger(label: "watch")
        ) {
            inbound, outbound, _ in
            try await outbound.write(.text(command))
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .text(let text) = message {
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                }
            }
        }
        if let close, close.closeCode != .normalClosure {
            throw CommandFailure(message: "the server closed the connection (\(close.closeCode))", exitCode: 1)
        }
    }
}
