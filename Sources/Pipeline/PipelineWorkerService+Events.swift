import AIClients
import CallPipeCore

/// What the workers tell supervisors' rooms as a call moves through the pipeline.
extension PipelineWorkerService {
    func publishProcessing(_ job: PipelineJob, state: String, error: String? = nil) async {
        guard let events else { return }
        await events.publish(
            "audio_processing_status", callID: job.callID,
            data: CallEventPayloads.Processing(
                stage: job.stage.rawValue, state: state, recordingID: job.recordingID, attempt: job.attempts,
                error: error))
    }

    /// Publishes what a stage produced. Transcript lines go out once, when transcribed (enrich
    /// rewrites the same lines with speakers and sentiment; clients read those with the summary).
    func publish(_ output: StageOutput, of stage: PipelineJob.Stage, callID: String) async {
        guard let events else { return }
        switch output {
        case .transcript(_, let transcript, _) where stage == .transcribe:
            for segment in transcript.segments {
                await events.publish(
                    "transcript_update", callID: callID,
                    data: CallEventPayloads.TranscriptUpdate(
                        isFinal: true, speaker: segment.speaker, startS: segment.startS, endS: segment.endS,
                        text: segment.text, source: "recording"))
            }
        case .summary(let insights, let isFinal):
            await events.publish(
                "summary_update", callID: callID,
                data: CallEventPayloads.SummaryUpdate(isFinal: isFinal, insights: insights))
        case .transcript, .analysis, .none:
            break
        }
        await publishStatus(callID)
    }

    func publishStatus(_ callID: String) async {
        guard let events, let call = try? await store.call(id: callID) else { return }
        await events.publish(
            "call_status", callID: callID,
            data: CallEventPayloads.CallStatus(status: call.status.rawValue, failureReason: call.failureReason))
    }
}
