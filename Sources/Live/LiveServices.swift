package import AIClients
package import CallPipeCore

/// What live sessions use: the store, the event bus and the AI.
package struct LiveServices: Sendable {
    package var store: any CallRepository & LiveCallSink
    package var events: CallEventBus?
    package var transcriber: any Transcriber
    /// Sentiment per batch of utterances; `nil` for none.
    package var analyzer: (any CallAnalyzer)?
    /// The free-space reserve (`CALLPIPE_MIN_FREE_MB`): no new live call below it, and a call's
    /// recording stops (keeping what it has) when the disk falls below it.
    package var freeSpace: FreeSpaceGuard
    /// Where a finished call's recording is kept (it is written to this node's disk meanwhile).
    package var storage: any RecordingStorage
    /// The cluster's live calls and this node's name in it; `nil` on a single node.
    package var cluster: (registry: any LiveCallRegistry, nodeID: String)?

    package init(
        store: any CallRepository & LiveCallSink, events: CallEventBus?, transcriber: any Transcriber,
        analyzer: (any CallAnalyzer)?,
        freeSpace: FreeSpaceGuard = StorageConfiguration().freeSpace, storage: (any RecordingStorage)? = nil,
        cluster: (registry: any LiveCallRegistry, nodeID: String)? = nil
    ) {
        self.cluster = cluster
        self.storage = storage ?? LocalRecordingStorage(directory: "")
        self.store = store
        self.events = events
        self.transcriber = transcriber
        self.analyzer = analyzer
        self.freeSpace = freeSpace
    }
}
