/// What a live call reports about itself: the insights its room shows each second, and its share
/// of the node's load for `/metrics` (docs/production.md, "Live capacity").
extension LiveSession {
    package func snapshot() -> LiveInsights {
        var snapshot = insights.snapshot(now: recording.duration)
        snapshot.transcription = .init(
            pendingUtterances: pendingFinals.count, lagS: LiveInsightsTracker.rounded(transcriptionLag),
            failed: failedTranscriptions)
        snapshot.connected = connected
        return snapshot
    }

    package func load() -> LiveCallLoad {
        // A replay faster than real time runs ahead: no lag then.
        let frameLag = connected ? max(0, Self.seconds(.now - attachedAt) - (recording.duration - audioAtAttach)) : 0
        return LiveCallLoad(
            connected: connected, pendingUtterances: pendingFinals.count, transcriptionLag: transcriptionLag,
            frameLag: frameLag)
    }

    /// Call time (seconds) between the oldest utterance waiting for transcription and now.
    private var transcriptionLag: Double {
        pendingFinals.values.map(\.end).min().map { max(0, recording.duration - $0) } ?? 0
    }
}
