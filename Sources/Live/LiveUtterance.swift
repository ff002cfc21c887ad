/// A stretch of one channel's speech that goes to the transcriber: final when the speaker paused
/// (or at the length limit), interim while they are still talking.
struct LiveUtterance: Sendable, Equatable {
    /// Order of final utterances (publication order); interim ones carry the next final's index.
    var index: Int
    var channel: Int
    var start: Double
    var end: Double
    var isFinal: Bool
}
