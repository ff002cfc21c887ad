import Foundation
import Live
import Testing

@testable import Gateway

/// The live stream's text frames, parsed with no session: every number range-checked, so no
/// message can make the connection's arithmetic trap (the Twilio timestamp of issue 13 did).
@Suite("Live stream messages", .timeLimit(.minutes(3)))
struct LiveStreamMessageTests {
    static let payload = Data(repeating: 0xFF, count: 160).base64EncodedString()

    static func media(timestamp: String, escaped: Bool = false) -> String {
        // An escaped slash sends the message down the JSON decoder instead of the scanner.
        let track = escaped ? #"in\/bound"# : "inbound"
        return
            #"{"event":"media","media":{"track":"\#(track)","chunk":"1","timestamp":"\#(timestamp)","payload":"\#(payload)"}}"#
    }

    @Test(arguments: [
        "2000000000000000000", "86400001", "-5", "1e3", "99999999999999999999999", " 5", "",
    ])
    func aTwilioTimestampOutsideADayIsRefusedNotMultiplied(_ timestamp: String) {
        for escaped in [false, true] {
            #expect(throws: GatewayError.self, "\(timestamp) escaped: \(escaped)") {
                try LiveStreamMessage.twilio(Self.media(timestamp: timestamp, escaped: escaped))
            }
            do {
                _ = try LiveStreamMessage.twilio(Self.media(timestamp: timestamp, escaped: escaped))
            } catch let error as GatewayError {
                #expect(error.code == .streamData && error.message.contains("0 to 86400000"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func twilioMessagesBecomeWhatTheConnectionActsOn() throws {
        for escaped in [false, true] {
            let media = try LiveStreamMessage.twilio(Self.media(timestamp: "86400000", escaped: escaped))
            guard case .media(let track, let position, let samples) = media else {
                Issue.record("not media: \(media)")
                continue
            }
            #expect(track == (escaped ? "in/bound" : "inbound") && position == 691_200_000 && samples.count == 160)
        }
        let start = #"{"event":"start","start":{"streamSid":"MZ1","callSid":"CA1","tracks":["inbound"]}}"#
        #expect(
            try LiveStreamMessage.twilio(start) == .twilioStart(tracks: ["inbound"], streamSID: "MZ1", callSID: "CA1"))
        #expect(try LiveStreamMessage.twilio(#"{"event":"mark","mark":{"name":"x"}}"#) == .ignored)
        #expect(try LiveStreamMessage.twilio(#"{"event":"stop"}"#) == .stop)
    }

    @Test(arguments: [
        #"{"event":"start","sample_rate":99999999999999999999}"#, #"{"event":"start","sample_rate":-8000}"#,
        #"{"event":"start","sample_rate":8000,"channels":9223372036854775807}"#,
        #"{"event":"start","sample_rate":8000,"encoding":""}"#, #"{"event":"start"}"#, #"{"event":"nope"}"#, "[",
    ])
    func aPCMStartOutsideItsRangesIsRefused(_ text: String) {
        #expect(throws: GatewayError.self) { try LiveStreamMessage.pcm(text) }
    }

    @Test func aPCMStartGivesItsValidatedFormat() throws {
        let start = try LiveStreamMessage.pcm(#"{"event":"start","sample_rate":16000,"channels":2,"encoding":"mulaw"}"#)
        #expect(start == .start(LiveAudioFormat(encoding: .mulaw, sampleRate: 16_000, channels: 2)))
        #expect(try LiveStreamMessage.pcm(#"{"event":"stop"}"#) == .stop)
    }
}
