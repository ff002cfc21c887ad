package import Foundation

/// One event for supervisors' rooms (DESIGN.md §6): `{"type", "session_id", "seq", "at", "data"}`.
package struct CallEvent: Sendable, Equatable {
    package var type: String
    package var callID: String
    /// Increases by one per call, so clients can detect gaps.
    package var seq: Int
    package var at: Date
    /// The `data` object, already encoded.
    package var data: Data

    /// The event as a WebSocket text frame.
    package var frame: String {
        let at = ISO8601DateFormatter.string(
            from: at, timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        let id = String(decoding: (try? JSONEncoder().encode(callID)) ?? Data(), as: UTF8.self)
        return
            #"{"type":"\#(type)","session_id":\#(id),"seq":\#(seq),"at":"\#(at)","data":\#(String(decoding: data, as: UTF8.self))}"#
    }
}
