package import AIClients
package import Audio
import Foundation

/// Runs the post-call stages on one recording: audio analysis, channel-aware transcription,
/// insights; and assembles the `CallReport`.
package struct CallReportBuilder: Sendable {
    package var recordingAnalyzer: RecordingAnalyzer
    package var callTranscriber: CallTranscriber
    package var callAnalyzer: any CallAnalyzer

    package init(
        recordingAnalyzer: RecordingAnalyzer = .init(), callTranscriber: CallTranscriber, callAnalyzer: any CallAnalyzer
    ) {
        self.recordingAnalyzer = recordingAnalyzer
        self.callTranscriber = callTranscriber
        self.callAnalyzer = callAnalyzer
    }

    package func report(for path: String) async throws -> CallReport {
        let detection = try await recordingAnalyzer.detectSpeech(path)
        let analysis = TalkTimeAnalyzer(configuration: recordingAnalyzer.talkTime).analyze(detection)
        let (transcript, transcriptionUsage) = try await callTranscriber.transcribe(path, detection: detection)
        let context = CallContext(
            durationS: analysis.durationS,
            talkShares: analysis.speakers.mapValues(\.share),
            longestSilenceS: analysis.nonTalk.instances.map { $0.endS - $0.startS }.max() ?? 0)
        let result = try await callAnalyzer.analyze(transcript, context: context)
        return CallReport(
            analysis: analysis,
            transcript: result.applied(to: transcript),
            insights: result.insights,
            providers: .init(transcription: callTranscriber.transcriber.name, analysis: callAnalyzer.name),
            usage: .init(transcription: transcriptionUsage, analysis: result.usage))
    }
}
