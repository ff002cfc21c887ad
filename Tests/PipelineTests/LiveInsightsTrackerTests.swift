import Audio
import Testing

@testable import Live

/// The live call's running figures from the detector's events.
@Suite("Live insights from speech events")
struct LiveInsightsTrackerTests {
    /// Hold music's onset is first reported as the agent speaking; once the detector takes it
    /// back (`speechDropped`), it counts neither as talk nor as over-talk with the customer, and
    /// nobody is shown speaking.
    @Test func droppedSpeechIsNeitherTalkNorOverTalk() {
        var tracker = LiveInsightsTracker(speakers: ["agent", "customer"], configuration: LiveSessionConfiguration())
        tracker.apply(.speechStarted(channel: 1, time: 1))
        tracker.apply(.speechStarted(channel: 0, time: 2))
        #expect(tracker.snapshot(now: 2.5).speaking == ["agent", "customer"])
        tracker.apply(.speechDropped(channel: 0))
        tracker.apply(.speechEnded(SpeechSpan(channel: 1, start: 1, end: 4, meanSquare: 0.01, speechFrames: 150)))
        let insights = tracker.snapshot(now: 5)
        #expect(insights.speaking.isEmpty)
        #expect(insights.talkS == ["agent": 0, "customer": 3])
        #expect(insights.overTalkS == 0)
    }
}
