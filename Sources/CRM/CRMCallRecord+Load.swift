package import CallPipeCore

extension CRMCallRecord {
    /// The finished call a delivery sends, read through the call repository: the call, its final
    /// summary (or its latest), the newest recording's analysis and the transcript; `nil` without
    /// a call or a summary. What every store's `deliveryRecord(callID:)` answers.
    package static func load(callID: String, from repository: some CallRepository) async throws -> CRMCallRecord? {
        guard let call = try await repository.call(id: callID) else { return nil }
        let outputs = try await repository.outputs(callID: callID)
        guard let summary = outputs.summaries.last(where: \.isFinal) ?? outputs.summaries.last else { return nil }
        let recordings = try await repository.recordings(callID: callID)
        return CRMCallRecord(
            call: call, insights: summary.insights, summaryVersion: summary.version,
            analysis: recordings.reversed().lazy.compactMap { outputs.analyses[$0.id] }.first,
            transcript: outputs.transcript)
    }
}
