/// A client's message on `WS /ws` (docs/ARCHITECTURE.md §6).
struct RoomCommand: Decodable {
    enum Kind: String, Decodable {
        case joinCallSession = "join_call_session"
        case leaveCallSession = "leave_call_session"
        case requestSessionStatus = "request_session_status"
        case joinFloor = "join_floor"
    }

    var type: Kind
    var sessionID: String?

    enum CodingKeys: String, CodingKey {
        case type
        case sessionID = "session_id"
    }
}
