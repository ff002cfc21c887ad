import AIClients
import Audio
package import CallPipeCore
import Foundation
import Logging
import Redaction

/// One live call: audio in, recording, endpointing, transcription
/// and insights out.
///
/// `ingest` is all the sender waits for: it writes the audio to the recording and runs the
/// detector, then returns — AI latency never reaches it. Utterances wait in a queue of time spans
/// (their audio stays in the recording on disk) for `transcriptionConcurrency` workers; finished
/// transcripts are published in utterance order whatever order they finish in. A connection may
/// drop and come back (`attach` again): the call goes on where it was. The call ends on `end`
/// (the client's `stop`, `POST /end`, shutdown) or after `idleTimeout` without audio; then the
/// recording is closed, fsynced and stored as the call's recording, and the post-call pipeline
/// takes over.
package actor LiveSession {
    package enum EndReason: String, Sendable {
        /// `storageFull`: the disk filled up (or fell below `CALLPIPE_MIN_FREE_MB`); what was
        /// recorded until then is kept and processed. `handedOff`: in a cluster, the stream went
        /// on (or is to go on) on another node — this node's part is stored as one recording of
        /// the call, which stays live.
        case stopped, ended, idle, shutdown, storageFull, handedOff
    }

    private enum Work: Sendable {
        case transcribe(LiveUtterance)
    }

    package nonisolated let callID: String
    package nonisolated let recordingID: String
    package nonisolated let format: LiveAudioFormat
    package nonisolated let speakers: [String]
    let configuration: LiveSessionConfiguration
    let services: LiveServices
    let logger: Logger
    let recording: LiveRecording
    private var endpointer: LiveEndpointer
    var insights: LiveInsightsTracker

    private var queue: [Work] = []
    private var waiters: [CheckedContinuation<Work?, Never>] = []
    private var closed = false
    /// Sentiment batches have their own lane (one request at a time per call, in order), so an
    /// analyzer that is slow or rate-limited never holds up transcription.
    var sentimentQueue: [[TranscriptSegment]] = []
    var sentimentWaiter: CheckedContinuation<[TranscriptSegment]?, Never>?
    var sentimentClosed = false
    private var nextIndex = 0
    private var nextToPublish = 0
    private var results: [Int: TranscriptSegment?] = [:]
    var pendingFinals: [Int: LiveUtterance] = [:]
    private var interimInFlight: Set<Int> = []
    private var lastInterimAt: [Double] = []
    private var lastFinalStart: [Double] = []
    var sentimentBatch: [TranscriptSegment] = []
    var failedTranscriptions = 0
    /// Redacts lines before they are published; nil when live calls are not redacted.
    var lineRedactor: LiveLineRedactor?

    /// Checkpoints kept in shared storage (LiveSession+Checkpoints): frames covered, parts made.
    var checkpointedFrames = 0
    var checkpointParts = 0
    var checkpointing = false

    private var generation = 0
    var connected = false
    /// When the current connection started, and the call time then: its audio should keep up
    /// with the wall clock from there (`load().frameLag`).
    var attachedAt = ContinuousClock.now
    var audioAtAttach = 0.0
    var lastAudio = ContinuousClock.now
    private var disconnectedAt: ContinuousClock.Instant?
    package private(set) var endReason: EndReason?

    init(
        callID: String, recordingID: String, format: LiveAudioFormat, speakers: [String], recordingPath: String,
        configuration: LiveSessionConfiguration, services: LiveServices, logger: Logger
    ) throws(AudioError) {
        self.callID = callID
        self.recordingID = recordingID
        self.format = format
        self.speakers = speakers
        self.configuration = configuration
        self.services = services
        var logger = logger
        logger[metadataKey: "call.id"] = "\(callID)"
        self.logger = logger
        recording = try LiveRecording(path: recordingPath, sampleRate: format.sampleRate, channels: format.channels)
        endpointer = LiveEndpointer(
            channels: format.channels, sampleRate: format.sampleRate, configuration: configuration)
        insights = LiveInsightsTracker(speakers: speakers, configuration: configuration)
        if configuration.redaction.mode(forSource: ConnectorKind.ownSource) != .off {
            lineRedactor = LiveLineRedactor(kinds: configuration.redaction.kinds)
        }
        lastInterimAt = Array(repeating: 0, count: format.channels)
        lastFinalStart = Array(repeating: -1, count: format.channels)
    }

    /// Seconds of call audio so far.
    package var callTime: Double { recording.duration }

    // MARK: - Connections

    /// A connection (first or again) starts sending; returns its generation, which `ingest` checks
    /// so an older connection that has not noticed it was replaced cannot interleave its audio.
    package func attach() throws(CallPipeError) -> Int {
        guard endReason == nil else { throw CallPipeError(.conflict, "call \(callID) has ended") }
        generation += 1
        connected = true
        // Time went on while nobody was connected: the gap is silence, not a jump.
        if let since = disconnectedAt {
            let gap = min(Self.seconds(ContinuousClock.now - since), configuration.idleTimeout)
            let frames = Int(gap * Double(format.sampleRate))
            if frames > 0 {
                try? append(Array(repeating: [Float](repeating: 0, count: frames), count: format.channels))
            }
        }
        disconnectedAt = nil
        attachedAt = .now
        audioAtAttach = recording.duration
        return generation
    }

    /// A connection went away without ending the call: wait for it to come back (or time out).
    package func detach(generation: Int) {
        guard generation == self.generation, endReason == nil else { return }
        connected = false
        disconnectedAt = .now
        try? recording.checkpoint()
    }

    /// Adds planar audio from connection `generation`. Never waits for the AI.
    package func ingest(_ planar: [[Float]], generation: Int) async throws(CallPipeError) {
        guard endReason == nil else {
            throw endReason == .storageFull ? diskFull() : CallPipeError(.conflict, "call \(callID) has ended")
        }
        guard generation == self.generation else {
            throw CallPipeError(.conflict, "a newer connection has taken over call \(callID)")
        }
        try append(planar)
        lastAudio = .now
        if recording.duration >= configuration.maxCallSeconds {
            end(.ended)
            throw CallPipeError(
                .conflict,
                "the call reached the longest a live call may last (\(Int(configuration.maxCallSeconds)) s, CALLPIPE_LIVE_MAX_CALL_S) and was ended"
            )
        }
        // Dead air and over-talk are judged on call time, so they fire at any replay speed.
        for alert in insights.timedAlerts(now: recording.duration) { await publish("alert", alert) }
    }

    private func append(_ planar: [[Float]]) throws(CallPipeError) {
        guard planar.count == format.channels, let count = planar.first?.count, count > 0 else { return }
        do {
            try recording.append(planar)
        } catch {
            guard error.code != .noSpace else {
                stopForFullDisk()
                throw diskFull()
            }
            logger.error("Cannot write the live recording", metadata: ["error": "\(error)"])
            throw CallPipeError(.storage, "cannot write the recording of call \(callID)")
        }
        let output = endpointer.process(planar, now: recording.duration)
        handle(output)
        requestInterims()
    }

    private func handle(_ output: LiveEndpointer.Output) {
        for event in output.events { insights.apply(event) }
        for utterance in output.ended {
            let item = LiveUtterance(
                index: nextIndex, channel: utterance.channel, start: utterance.start, end: utterance.end, isFinal: true)
            nextIndex += 1
            if pendingFinals.count >= configuration.maxPendingUtterances {
                results[item.index] = .some(nil)  // Skipped live; the post-call transcript has it.
                failedTranscriptions += 1
                continue
            }
            pendingFinals[item.index] = item
            enqueue(.transcribe(item))
        }
    }

    /// Interim transcripts of long utterances, only while the workers keep up.
    private func requestInterims() {
        guard configuration.interimInterval > 0, pendingFinals.isEmpty, queue.isEmpty else { return }
        let now = recording.duration
        for (channel, start) in endpointer.openStarts.enumerated() {
            guard let start, now - start >= configuration.interimInterval,
                now - max(start, lastInterimAt[channel]) >= configuration.interimInterval,
                !interimInFlight.contains(channel)
            else { continue }
            lastInterimAt[channel] = now
            interimInFlight.insert(channel)
            enqueue(
                .transcribe(LiveUtterance(index: nextIndex, channel: channel, start: start, end: now, isFinal: false)))
        }
    }

    // MARK: - Ending

    /// Ends the call: the open utterances are closed and transcribed (unless shutting down), then
    /// `run` stores the recording.
    package func end(_ reason: EndReason) {
        guard endReason == nil else { return }
        endReason = reason
        logger.info("Live call ended", metadata: ["reason": "\(reason.rawValue)", "call.seconds": "\(callTime)"])
        if reason == .shutdown || reason == .handedOff {
            queue.removeAll()  // The post-call pipeline transcribes it all.
        } else {
            handle(endpointer.finish())
            flushSentiment(force: true)
        }
        closed = true
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    // MARK: - Work queue

    private func enqueue(_ work: Work) {
        if let waiter = waiters.popLast() {
            waiter.resume(returning: work)
        } else {
            queue.append(work)
        }
    }

    private func nextWork() async -> Work? {
        if !queue.isEmpty { return queue.removeFirst() }
        if closed { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    // MARK: - Running

    /// Runs the session's workers, its sentiment lane and its ticker until the call ends, then
    /// stores the recording.
    package func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withDiscardingTaskGroup { workers in
                    for _ in 0..<max(1, self.configuration.transcriptionConcurrency) {
                        workers.addTask { await self.workLoop() }
                    }
                }
                // Every final line is in: the last sentiment batches are queued.
                await self.closeSentiment()
            }
            group.addTask { await self.sentimentLoop() }
            group.addTask { await self.tickLoop() }
            group.addTask { await self.checkpointLoop() }
        }
        await finish()
    }

    private func workLoop() async {
        while let work = await nextWork() {
            switch work {
            case .transcribe(let utterance): await transcribe(utterance)
            }
        }
    }

    private func tickLoop() async {
        let interval = Duration.milliseconds(Int(configuration.insightsInterval * 1_000))
        while endReason == nil {
            try? await Task.sleep(for: interval)
            await tick()
        }
    }

    /// Once a second: insights, timed alerts, a recording checkpoint and the idle timeout.
    private func tick() async {
        guard endReason == nil else { return }
        try? recording.checkpoint()
        guard services.freeSpace.hasRoom(at: recording.path) else {
            stopForFullDisk()
            return
        }
        if Self.seconds(.now - lastAudio) >= configuration.idleTimeout {
            end(.idle)
            return
        }
        await publishReady()
        flushSentiment(force: false)
        await publish("real_time_insights", snapshot())
    }

    private func transcribe(_ utterance: LiveUtterance) async {
        var segment: TranscriptSegment?
        do {
            let padded = (max(0, utterance.start - 0.2), utterance.end + 0.1)
            let samples = try recording.samples(channel: utterance.channel, from: padded.0, to: padded.1)
            if !samples.isEmpty {
                let audio = WAVEncoding.pcm16(samples, sampleRate: format.sampleRate)
                let result = try await services.transcriber.transcribe(
                    audio, filename: "utterance.wav", duration: Double(samples.count) / Double(format.sampleRate))
                let text = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty {
                    segment = TranscriptSegment(
                        speaker: speakers[utterance.channel], startS: LiveInsightsTracker.rounded(utterance.start),
                        endS: LiveInsightsTracker.rounded(utterance.end), text: text,
                        confidence: result.segments.compactMap(\.confidence).min())
                }
            }
        } catch {
            if utterance.isFinal { failedTranscriptions += 1 }
            logger.warning(
                "Live transcription failed",
                metadata: [
                    "error": "\(error)", "utterance.start": "\(utterance.start)", "final": "\(utterance.isFinal)",
                ])
        }
        if utterance.isFinal {
            pendingFinals.removeValue(forKey: utterance.index)
            results[utterance.index] = .some(segment)
            await publishReady()
        } else {
            interimInFlight.remove(utterance.channel)
            // An interim line is worth showing only until its final one is out.
            if let segment, segment.startS > lastFinalStart[utterance.channel] {
                await publishTranscript(redactedInterim(segment), isFinal: false)
            }
        }
    }

    /// Publishes finished utterances in order, as far as they are contiguous.
    private func publishReady() async {
        while let entry = results.removeValue(forKey: nextToPublish) {
            nextToPublish += 1
            guard let said = entry else { continue }
            // Nothing below — rooms, alerts, the sentiment requests — sees what was redacted.
            let segment = redactedFinal(said)
            if let channel = speakers.firstIndex(of: segment.speaker) {
                lastFinalStart[channel] = max(lastFinalStart[channel], segment.startS)
            }
            await publishTranscript(segment, isFinal: true)
            for alert in insights.keywordAlerts(in: segment.text, speaker: segment.speaker, at: segment.startS) {
                await publish("alert", alert)
            }
            sentimentBatch.append(segment)
        }
        flushSentiment(force: endReason != nil)
    }

    private func publishTranscript(_ segment: TranscriptSegment, isFinal: Bool) async {
        await publish(
            "transcript_update",
            CallEventPayloads.TranscriptUpdate(
                isFinal: isFinal, speaker: segment.speaker, startS: segment.startS, endS: segment.endS,
                text: segment.text, source: "live"))
    }

    func publish(_ type: String, _ data: some Encodable & Sendable) async {
        await services.events?.publish(type, callID: callID, data: data)
    }

    /// The disk is full (or below the reserve): the call ends here, keeping what was recorded.
    private func stopForFullDisk() {
        guard endReason == nil else { return }
        logger.error(
            "Live recording stopped: the disk is full or below CALLPIPE_MIN_FREE_MB",
            metadata: ["recording.seconds": "\(callTime)"])
        end(.storageFull)
    }

    /// Names no path: it is the stream's close reason.
    private func diskFull() -> CallPipeError {
        CallPipeError(
            .storageFull,
            "the server's disk is full: recording stopped at \(String(format: "%.1f", callTime)) s, what was recorded is kept"
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
