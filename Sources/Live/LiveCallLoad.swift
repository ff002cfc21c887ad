/// One live call's share of the node's load, for `/metrics`.
package struct LiveCallLoad: Sendable, Equatable {
    /// A client is streaming to it (not waiting for a reconnect).
    package var connected: Bool
    /// Final utterances waiting for (or in) transcription.
    package var pendingUtterances: Int
    /// Call time (seconds) between the oldest utterance waiting and now.
    package var transcriptionLag: Double
    /// How far (seconds) the audio received runs behind the wall clock since the client
    /// connected: the read interval and the block being gathered (up to 0.2 s) when all is well,
    /// more when the client's audio comes late or this node reads it late.
    package var frameLag: Double
}

/// This node's live calls at a glance (`LiveSessionManager.loadReport`).
package struct LiveLoadReport: Sendable, Equatable {
    package var calls = 0
    package var connected = 0
    package var limit = 0
    package var pendingUtterances = 0
    package var transcriptionLag = 0.0
    package var frameLag = 0.0
    package var eventLoopLag = 0.0
    /// New calls refused since start, by reason: `limit`, `overload`, `agent`.
    package var refused: [String: Int] = [:]
}
