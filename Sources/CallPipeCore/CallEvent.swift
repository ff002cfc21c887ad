package import Foundation
package import NIOCore

/// One event for supervisors' rooms (docs/ARCHITECTURE.md §6): `{"type", "session_id", "seq", "at", "data"}`.
///
/// The WebSocket frame is built once, when the event is made, and shared by every subscriber.
package struct CallEvent: Sendable, Equatable {
    package let type: String
    package let callID: String
    /// Increases by one per call, so clients can detect gaps.
    package let seq: Int
    package let at: Date
    /// The `data` object, already encoded.
    package let data: Data
    /// The event as a WebSocket text frame.
    package let frame: String
    /// `frame`'s bytes, made once: every subscriber's socket is written from the same buffer.
    package let frameBytes: ByteBuffer

    package init(type: String, callID: String, seq: Int, at: Date, data: Data) {
        self.type = type
        self.callID = callID
        self.seq = seq
        self.at = at
        self.data = data
        let id = String(decoding: (try? JSONEncoder().encode(callID)) ?? Data(), as: UTF8.self)
        frame =
            #"{"type":"\#(type)","session_id":\#(id),"seq":\#(seq),"at":"\#(Self.timestamp(at))","data":\#(String(decoding: data, as: UTF8.self))}"#
        frameBytes = ByteBuffer(string: frame)
    }

    /// `2026-11-24T10:15:30.123Z`: ISO 8601 in UTC with milliseconds, formatted directly (the
    /// formatter classes cost more than the rest of an event).
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1_000).rounded(.down))
        var seconds = time_t(milliseconds / 1_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1_900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1_000), 3))Z"
    }
}
