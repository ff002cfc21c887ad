import AIClients
import Audio
package import CallPipeCore
import Foundation
package import Logging
import ServiceLifecycle

/// The live calls of this server, as a long-lived `Service`.
///
/// Connections ask it for their call's session (`attach`): a new one is created and run in the
/// manager's task group, a known one is handed back (a reconnect continues the call). At start it
/// finishes the calls a crash interrupted (their recordings are on disk, complete up to the last
/// checkpoint); at shutdown it ends every live call and stores what was recorded.
package actor LiveSessionManager: Service {
    private let directory: String
    private let configuration: LiveSessionConfiguration
    private let services: LiveServices
    private let logger: Logger
    private var sessions: [String: LiveSession] = [:]
    /// How late this node's event loops run (fed by the gateway's lag monitor).
    package nonisolated let load = LiveLoad()
    /// New calls refused since start, by reason (`/metrics`).
    private var refused: [String: Int] = [:]
    /// The agent of each live call, for the per-agent limit.
    private var agents: [String: String] = [:]
    private let started: AsyncStream<LiveSession>
    private let startedContinuation: AsyncStream<LiveSession>.Continuation
    private var shuttingDown = false
    private var endWatchers: [String: [AsyncStream<LiveSession.EndReason>.Continuation]] = [:]
    /// Calls of dead nodes this node took to end (`beat`), ended one after another.
    private let abandoned: AsyncStream<String>
    private let abandonedContinuation: AsyncStream<String>.Continuation

    /// `directory` holds the recordings (`<call id>/<recording id>.live.wav`).
    package init(directory: String, configuration: LiveSessionConfiguration, services: LiveServices, logger: Logger) {
        self.directory = directory
        self.configuration = configuration
        self.services = services
        self.logger = logger
        (started, startedContinuation) = AsyncStream.makeStream()
        (abandoned, abandonedContinuation) = AsyncStream.makeStream()
    }

    package func run() async throws {
        await recoverInterruptedCalls()
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await gracefulShutdown()
                await self.shutdown()
            }
            if services.cluster != nil {
                group.addTask { await self.beat() }
                group.addTask {
                    for await callID in self.abandoned { await self.endAbandoned(callID) }
                }
            }
            for await session in started {
                group.addTask {
                    await session.run()
                    await self.remove(session)
                }
            }
        }
    }

    /// The session of `call` for a connection streaming `format`, and the connection's generation.
    package func attach(_ call: StoredCall, format: LiveAudioFormat) async throws -> (LiveSession, Int) {
        guard !shuttingDown else { throw CallPipeError(.conflict, "the server is shutting down") }
        if let session = sessions[call.id] {
            guard session.format == format else {
                throw CallPipeError(
                    .conflict,
                    "call \(call.id) is streaming \(session.format.channels) channel(s) of \(session.format.encoding.rawValue) at \(session.format.sampleRate) Hz; a reconnect must send the same"
                )
            }
            return (session, try await session.attach())
        }
        guard call.endedAt == nil else { throw CallPipeError(.conflict, "call \(call.id) has ended") }
        guard hasRoom else {
            refused["limit", default: 0] += 1
            throw Self.full(configuration.maxCalls)
        }
        // Past capacity whatever the count: the calls streaming keep their time, the new one waits.
        let lag = load.sustainedLag
        if configuration.maxEventLoopLag > 0, lag > configuration.maxEventLoopLag {
            refused["overload", default: 0] += 1
            throw CallPipeError(
                .capacity,
                "the server is overloaded: its event loops run \(Int(lag * 1_000)) ms late (more than CALLPIPE_LIVE_MAX_LAG_MS, \(Int(configuration.maxEventLoopLag * 1_000)) ms); try again later"
            )
        }
        let agentCalls = agents.values.count { $0 == call.agentID }
        guard agentCalls < configuration.maxCallsPerAgent else {
            refused["agent", default: 0] += 1
            throw CallPipeError(
                .capacity,
                "agent \(call.agentID) is already streaming \(agentCalls) live calls (CALLPIPE_LIVE_MAX_CALLS_PER_AGENT); end one first"
            )
        }
        try services.freeSpace.check(directory)
        if let cluster = services.cluster {
            // Taken in the cluster (from the node it streamed to before, if any) before it starts here.
            try await cluster.registry.claimLiveCall(
                call.id, node: cluster.nodeID, clusterLimit: configuration.clusterMaxCalls,
                staleAfter: configuration.nodeTimeout, now: Date())
            // Another connection of the call may have started it while the claim was made.
            if let session = sessions[call.id] { return (session, try await session.attach()) }
        }
        let session: LiveSession
        do {
            session = try makeSession(call, format: format)
        } catch {
            // Not started here after all: the claim must not go stale and end the call elsewhere.
            if let cluster = services.cluster {
                try? await cluster.registry.releaseLiveCall(call.id, node: cluster.nodeID)
            }
            throw error
        }
        sessions[call.id] = session
        agents[call.id] = call.agentID
        startedContinuation.yield(session)
        await services.events?.publish(
            "call_status", callID: call.id, data: CallEventPayloads.CallStatus(status: "active", failureReason: nil))
        logger.info(
            "Live call started",
            metadata: [
                "call.id": "\(call.id)", "format": "\(format.encoding.rawValue)",
                "sample_rate": "\(format.sampleRate)", "channels": "\(format.channels)",
            ])
        return (session, try await session.attach())
    }

    /// A new session of `call`, with its recording created (and its directory made durable).
    private func makeSession(_ call: StoredCall, format: LiveAudioFormat) throws -> LiveSession {
        let recordingID = "rec_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let callDirectory = (directory as NSString).appendingPathComponent(call.id)
        // The call's directory and its entry in the parent are fsynced: the recording's file will
        // be reachable after a power cut (docs/production.md, "Durability").
        try DurableFiles.createDirectory(callDirectory)
        do {
            return try LiveSession(
                callID: call.id, recordingID: recordingID, format: format,
                speakers: Self.speakers(of: call, channels: format.channels),
                recordingPath: (callDirectory as NSString).appendingPathComponent("\(recordingID).live.wav"),
                configuration: configuration, services: services, logger: logger)
        } catch {
            guard error.code != .noSpace else { throw FreeSpaceGuard.outOfSpace }
            logger.error("Cannot create a live recording", metadata: ["call.id": "\(call.id)", "error": "\(error)"])
            throw CallPipeError(.storage, "cannot create the recording of call \(call.id)")
        }
    }

    /// The live session of a call, if it is streaming or waiting for a reconnect.
    package func session(callID: String) -> LiveSession? { sessions[callID] }

    package var count: Int { sessions.count }

    /// Whether a new live call may start (`CALLPIPE_LIVE_MAX_CALLS`); reconnects always may.
    package var hasRoom: Bool { sessions.count < configuration.maxCalls }

    package var maxCalls: Int { configuration.maxCalls }

    /// This node's live calls, their backlog and lags, and the calls refused (`/metrics`).
    package func loadReport() async -> LiveLoadReport {
        var report = LiveLoadReport(
            calls: sessions.count, limit: configuration.maxCalls, eventLoopLag: load.eventLoopLag, refused: refused)
        for session in sessions.values {
            let call = await session.load()
            report.connected += call.connected ? 1 : 0
            report.pendingUtterances += call.pendingUtterances
            report.transcriptionLag = max(report.transcriptionLag, call.transcriptionLag)
            report.frameLag = max(report.frameLag, call.frameLag)
        }
        return report
    }

    /// Seconds between reads of a live stream's socket (`CALLPIPE_LIVE_READ_INTERVAL_MS`).
    package nonisolated var readInterval: Double { configuration.readInterval }

    package static func full(_ limit: Int) -> CallPipeError {
        CallPipeError(
            .capacity,
            "the server is streaming its limit of \(limit) live calls (CALLPIPE_LIVE_MAX_CALLS); try again later")
    }

    /// Ends a live call (`POST /api/calls/{id}/end`); `false` if it was not live.
    @discardableResult
    package func end(callID: String) async -> Bool {
        guard let session = sessions[callID] else { return false }
        await session.end(.ended)
        notifyEnd(of: callID, .ended)
        return true
    }

    /// Yields once when `callID`'s live session ends, however it ends: its connections close then.
    package func endings(of callID: String) -> AsyncStream<LiveSession.EndReason> {
        let (stream, continuation) = AsyncStream.makeStream(of: LiveSession.EndReason.self)
        endWatchers[callID, default: []].append(continuation)
        return stream
    }

    private func notifyEnd(of callID: String, _ reason: LiveSession.EndReason) {
        for watcher in endWatchers.removeValue(forKey: callID) ?? [] {
            watcher.yield(reason)
            watcher.finish()
        }
    }

    private func remove(_ session: LiveSession) async {
        if sessions[session.callID] === session {
            sessions.removeValue(forKey: session.callID)
            agents.removeValue(forKey: session.callID)
        }
        let reason = await session.endReason ?? .ended
        // A call that ended lets go of its claim; one handed off keeps it for the next node to
        // take over, or to go stale and be ended by another node if no stream comes back.
        if let cluster = services.cluster, reason != .handedOff {
            do {
                try await cluster.registry.releaseLiveCall(session.callID, node: cluster.nodeID)
            } catch {
                logger.warning(
                    "Cannot release a live call's claim; it goes stale instead",
                    metadata: ["call.id": "\(session.callID)", "error": "\(error)"])
            }
        }
        notifyEnd(of: session.callID, reason)
    }

    /// At shutdown a single node ends its live calls; a node of a cluster hands them over: each
    /// call keeps what was recorded here and stays live, its stream is told to reconnect (1012).
    private func shutdown() async {
        await drain()
        startedContinuation.finish()
        abandonedContinuation.finish()  // Those already taken are still ended.
    }

    /// Refuses new live calls and ends (or hands over) the running ones; their sessions store what
    /// was recorded. Called when the server starts to shut down (before it waits for its
    /// connections) and again at the manager's own shutdown; the second call finds nothing to do.
    package func drain() async {
        shuttingDown = true
        let reason: LiveSession.EndReason = services.cluster == nil ? .shutdown : .handedOff
        for session in sessions.values where await session.endReason == nil {
            await session.end(reason)
            notifyEnd(of: session.callID, reason)
        }
    }

    /// In a cluster, until shutdown: confirms this node's live calls every `nodeTimeout / 5`
    /// seconds, hands off those another node has taken over, and ends the calls of nodes that
    /// stopped confirming theirs (each such call is ended by one node only).
    private func beat() async {
        guard let cluster = services.cluster else { return }
        let interval = Duration.milliseconds(Int(configuration.nodeTimeout * 200))
        while !shuttingDown, !Task.isCancelled {
            do {
                let lost = try await cluster.registry.heartbeatLiveCalls(
                    Array(sessions.keys), node: cluster.nodeID, now: Date())
                for callID in lost {
                    guard let session = sessions[callID] else { continue }
                    logger.info("Live call taken over by another node", metadata: ["call.id": "\(callID)"])
                    await session.end(.handedOff)
                    notifyEnd(of: callID, .handedOff)
                }
                let stale = try await cluster.registry.takeStaleLiveCalls(
                    staleAfter: configuration.nodeTimeout, node: cluster.nodeID, lease: Self.abandonedCallLease,
                    now: Date())
                // Ended by their own task: joining a dead node's parts takes as long as the bucket
                // does, and this loop must go on confirming this node's calls meanwhile.
                for callID in stale where sessions[callID] == nil { abandonedContinuation.yield(callID) }
            } catch {
                logger.warning("Cannot confirm this node's live calls", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// How long a node has to end a call it took from a stopped node (joining its parts from the
    /// bucket included) before another node may take it again.
    static let abandonedCallLease = 600.0

    /// Ends an abandoned call and lets go of it; one that could not be ended (or whose node
    /// died meanwhile) stays held until its lease runs out, then another node tries again.
    private func endAbandoned(_ callID: String) async {
        guard await endAbandonedCall(callID), let cluster = services.cluster else { return }
        do {
            try await cluster.registry.releaseLiveCall(callID, node: cluster.nodeID)
        } catch {
            logger.warning(
                "Cannot let go of an ended live call; it is let go when its lease runs out",
                metadata: ["call.id": "\(callID)", "error": "\(error)"])
        }
    }

    /// Ends a live call whose node stopped (crashed, or drained with no stream coming back): the
    /// recordings it stored are processed as the call's, and so is the audio of the parts it kept
    /// in shared storage of a recording it had not stored (LiveSession+Checkpoints); one it had
    /// neither stored nor kept parts of is stored by that node when it starts again. Whether the
    /// call is ended (now, or already).
    private func endAbandonedCall(_ callID: String) async -> Bool {
        do {
            guard let call = try await services.store.call(id: callID), call.endedAt == nil else { return true }
            var recovered: [StoredRecording] = []
            let recovery = services.cluster.map {
                LivePartsRecovery(directory: directory, services: services, registry: $0.registry, logger: logger)
            }
            if let recovery {
                do {
                    recovered = try await recovery.recordings(callID: callID)
                } catch {
                    // The call still ends; the parts stay in storage (and their rows) to be joined by hand.
                    logger.error(
                        "Cannot join the parts of an abandoned live call",
                        metadata: ["call.id": "\(callID)", "error": "\(error)"])
                }
            }
            for recording in recovered.dropLast() {
                _ = try await services.store.insertRecording(recording, firstStage: .analyze, now: Date())
            }
            try await services.store.finishLiveCall(callID: callID, recording: recovered.last, now: Date())
            for recording in recovered { await recovery?.discard(recording) }
            await services.events?.publish(
                "call_status", callID: callID, data: CallEventPayloads.CallStatus(status: "ended", failureReason: nil))
            logger.warning(
                "Ended a live call its node abandoned",
                metadata: ["call.id": "\(callID)", "recordings.joined": "\(recovered.count)"])
            return true
        } catch {
            logger.error("Cannot end an abandoned live call", metadata: ["call.id": "\(callID)", "error": "\(error)"])
            return false
        }
    }

    /// Speakers per channel: the call's `channel_map`, else agent left and customer right for
    /// stereo, and `unknown` for mono.
    static func speakers(of call: StoredCall, channels: Int) -> [String] {
        (0..<channels).map { channel in
            if let map = call.channelMap, channel < map.count { return map[channel] }
            return channels == 2 ? ChannelMap.agentLeft.speaker(ofChannel: channel).rawValue : Speaker.unknown.rawValue
        }
    }

    /// Stores the recordings of live calls a crash interrupted, so they end like any other call.
    func recoverInterruptedCalls() async {
        let calls = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for callID in calls {
            let callDirectory = (directory as NSString).appendingPathComponent(callID)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: callDirectory)) ?? []
            for file in files where file.hasSuffix(".live.wav") {
                let path = (callDirectory as NSString).appendingPathComponent(file)
                let recordingID = String(file.dropLast(".live.wav".count))
                do {
                    guard let call = try await services.store.call(id: callID) else { continue }
                    if let stored = try await services.store.recordings(callID: callID).first(where: {
                        $0.id == recordingID
                    }) {
                        // Stored already: joined from its parts by another node while this one was down.
                        if stored.path != path { try? FileManager.default.removeItem(atPath: path) }
                        continue
                    }
                    let frames = (try? SoundFileReader(path: path).frames) ?? 0
                    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                    var recording = StoredRecording(
                        id: recordingID, callID: call.id, path: path,
                        bytes: (attributes?[.size] as? NSNumber)?.int64Value ?? 0, contentType: "audio/wav",
                        format: "wav", codec: "pcm_s16le", idempotencyKey: "live:\(recordingID)", createdAt: Date())
                    if frames > 0 {
                        recording.path = try await services.storage.keep(
                            path, key: "\(callID)/\(file)", contentType: "audio/wav")
                    }
                    if services.cluster != nil {
                        // In a cluster the call may have gone on elsewhere: this part is one of its
                        // recordings; a call nobody streams any more is ended by the stale sweep.
                        if frames > 0 {
                            _ = try await services.store.insertRecording(recording, firstStage: .analyze, now: Date())
                        }
                    } else {
                        try await services.store.finishLiveCall(
                            callID: call.id, recording: frames > 0 ? recording : nil, now: Date())
                    }
                    if recording.path != path { try? FileManager.default.removeItem(atPath: path) }
                    logger.warning(
                        "Recovered a live call interrupted by a restart",
                        metadata: ["call.id": "\(call.id)", "recording.frames": "\(frames)"])
                } catch {
                    logger.error(
                        "Cannot recover an interrupted live call", metadata: ["path": "\(path)", "error": "\(error)"])
                }
            }
        }
    }
}
