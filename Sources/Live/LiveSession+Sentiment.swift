import AIClients
import Foundation
import Logging

/// Sentiment for live calls: final lines are batched (`sentimentBatch` lines, or
/// `sentimentMaxDelay` seconds of call time) into one analyzer request, on a lane of their own so
/// a slow or rate-limited analyzer never holds up transcription; the results feed the trend and
/// the negative-streak alert.
extension LiveSession {
    func sentimentLoop() async {
        while let batch = await nextSentiment() { await analyzeSentiment(batch) }
    }

    func enqueueSentiment(_ batch: [TranscriptSegment]) {
        if let waiter = sentimentWaiter {
            sentimentWaiter = nil
            waiter.resume(returning: batch)
        } else {
            sentimentQueue.append(batch)
        }
    }

    func nextSentiment() async -> [TranscriptSegment]? {
        if !sentimentQueue.isEmpty { return sentimentQueue.removeFirst() }
        if sentimentClosed { return nil }
        return await withCheckedContinuation { sentimentWaiter = $0 }
    }

    func closeSentiment() {
        flushSentiment(force: true)
        sentimentClosed = true
        sentimentWaiter?.resume(returning: nil)
        sentimentWaiter = nil
    }

    func flushSentiment(force: Bool) {
        guard services.analyzer != nil, let first = sentimentBatch.first else { return }
        let due =
            sentimentBatch.count >= configuration.sentimentBatch
            || recording.duration - first.endS >= configuration.sentimentMaxDelay
        guard force || due else { return }
        enqueueSentiment(sentimentBatch)
        sentimentBatch.removeAll()
    }

    /// One analyzer request for a batch of final utterances; their sentiment feeds the trend and
    /// the negative-streak alert.
    func analyzeSentiment(_ segments: [TranscriptSegment]) async {
        guard let analyzer = services.analyzer else { return }
        do {
            let result = try await analyzer.analyze(
                Transcript(segments: segments), context: CallContext(durationS: recording.duration))
            for (segment, turn) in zip(segments, result.turns) {
                for alert in insights.addSentiment(turn.sentiment, speaker: segment.speaker, at: segment.startS) {
                    await publish("alert", alert)
                }
            }
        } catch {
            logger.warning("Live sentiment analysis failed", metadata: ["error": "\(error)"])
        }
    }
}
