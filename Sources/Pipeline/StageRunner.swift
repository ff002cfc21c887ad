package import AIClients
package import Audio
package import CallPipeCore
import Foundation
package import Logging
package import Redaction

/// Runs one stage of one recording's processing and returns what it produced.
///
/// Stages read what earlier stages stored, never memory, so any of them can run after a restart:
/// analyze (talk-time analytics) → transcribe (channel-aware transcript) → enrich (speaker tags and
/// per-turn sentiment for this recording) → summarize (insights over all of the call's
/// recordings; final once the call has ended) → deliver (hand-off point for CRM delivery).
package struct StageRunner: Sendable {
    package var store: any CallRepository
    package var recordingAnalyzer: RecordingAnalyzer
    package var transcriber: any Transcriber
    package var transcription: CallTranscriptionConfiguration
    package var analyzer: any CallAnalyzer
    /// Where the recordings are: stages read a local copy of a remote one.
    package var storage: any RecordingStorage
    package var logger: Logger
    /// The transcript a vendor gave with an imported call, by call id (docs/connectors.md): kept
    /// as the call's transcript instead of transcribing, when the call's metadata names a
    /// `transcript_source`. Nothing by default.
    package var vendorTranscript: @Sendable (String) async throws -> Transcript? = { _ in nil }
    /// What is redacted before anything is stored (docs/redaction.md): by default text and audio.
    package var redaction = RedactionConfiguration()

    package init(
        store: any CallRepository, recordingAnalyzer: RecordingAnalyzer = .init(), transcriber: any Transcriber,
        transcription: CallTranscriptionConfiguration = .init(), analyzer: any CallAnalyzer,
        storage: (any RecordingStorage)? = nil, logger: Logger
    ) {
        self.store = store
        self.storage = storage ?? LocalRecordingStorage(directory: "")
        self.recordingAnalyzer = recordingAnalyzer
        self.transcriber = transcriber
        self.transcription = transcription
        self.analyzer = analyzer
        self.logger = logger
    }

    package func run(_ job: PipelineJob) async throws -> StageResult {
        do {
            return try await runStage(job)
        } catch let error as AudioError {
            // The reason is shown to supervisors: the recording's id, not the server's path.
            throw error.naming(job.recordingID.map { "recording \($0)" } ?? "the recording")
        }
    }

    private func runStage(_ job: PipelineJob) async throws -> StageResult {
        guard let call = try await store.call(id: job.callID) else {
            throw CallPipeError(.notFound, "no call \(job.callID)")
        }
        switch job.stage {
        case .analyze:
            let recording = try await recording(of: job)
            var analyzer = recordingAnalyzer
            analyzer.talkTime.channelMap = channelMap(of: call)
            let analysis = try await storage.withLocalFile(recording.path) { try await analyzer.analyze($0) }
            return StageResult(.analysis(recordingID: recording.id, analysis))
        case .transcribe:
            let recording = try await recording(of: job)
            if call.metadata["transcript_source"] != nil, let vendor = try await vendorTranscript(call.id) {
                let (redacted, record) = try await redact(vendor, call: call, recording: recording)
                return StageResult(.transcript(recordingID: recording.id, redacted, redaction: record))
            }
            var configuration = transcription
            configuration.channelMap = channelMap(of: call)
            let callTranscriber = CallTranscriber(
                transcriber: transcriber, configuration: configuration,
                exporter: ChunkExporter(decoder: recordingAnalyzer.decoder), logger: logger)
            let (transcript, usage) = try await storage.withLocalFile(recording.path) { path in
                let detection = try await recordingAnalyzer.detectSpeech(path)
                return try await callTranscriber.transcribe(path, detection: detection)
            }
            let (redacted, record) = try await redact(transcript, call: call, recording: recording)
            return StageResult(
                .transcript(recordingID: recording.id, redacted, redaction: record),
                usage: StageUsage(provider: transcriber.name, usage: usage))
        case .enrich:
            let recording = try await recording(of: job)
            let outputs = try await store.outputs(callID: call.id)
            let own = try await store.transcript(recordingID: recording.id)
            let result = try await analyzer.analyze(own, context: context(outputs.analyses[recording.id]))
            return StageResult(
                .transcript(recordingID: recording.id, result.applied(to: own)),
                usage: StageUsage(provider: analyzer.name, usage: result.usage))
        case .summarize:
            let outputs = try await store.outputs(callID: call.id)
            let result = try await analyzer.analyze(outputs.transcript, context: context(outputs.analyses.values.first))
            return StageResult(
                .summary(redact(result.insights, call: call), isFinal: call.endedAt != nil),
                usage: StageUsage(provider: analyzer.name, usage: result.usage))
        case .deliver:
            // The CRM deliveries were queued with the final summary; the outbox service sends them.
            return StageResult(.none)
        }
    }

    private func recording(of job: PipelineJob) async throws -> StoredRecording {
        guard let id = job.recordingID,
            let recording = try await store.recordings(callID: job.callID).first(where: { $0.id == id })
        else {
            throw CallPipeError(.notFound, "job \(job.id) has no recording")
        }
        return recording
    }

    private func channelMap(of call: StoredCall) -> ChannelMap {
        guard let names = call.channelMap else { return .agentLeft }
        return ChannelMap(names.map { Speaker(rawValue: $0) ?? .unknown })
    }

    private func context(_ analysis: AudioAnalysis?) -> CallContext {
        guard let analysis else { return CallContext(durationS: 0) }
        return CallContext(
            durationS: analysis.durationS, talkShares: analysis.speakers.mapValues(\.share),
            longestSilenceS: analysis.nonTalk.instances.map { $0.endS - $0.startS }.max() ?? 0)
    }
}
