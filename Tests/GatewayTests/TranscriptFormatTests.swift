import AIClients
import Foundation
import Testing

@testable import Gateway

@Suite("Transcript exports", .timeLimit(.minutes(3)))
struct TranscriptFormatTests {
    static let transcript = Transcript(segments: [
        TranscriptSegment(
            speaker: "agent", startS: 1.5, endS: 3.2, text: "Hello, this is Sam.",
            words: [
                TranscriptWord(word: "Hello,", startS: 1.5, endS: 1.9),
                TranscriptWord(word: "this", startS: 2.0, endS: 2.2),
                TranscriptWord(word: "is", startS: 2.2, endS: 2.4),
                TranscriptWord(word: "Sam.", startS: 2.5, endS: 3.4),
            ]),
        TranscriptSegment(speaker: "customer", startS: 4, endS: 5, text: "Hi."),
    ])

    @Test func webVTTCarriesWordTimesInsideTheCue() {
        #expect(
            TranscriptFormat.vtt.render(Self.transcript) == """
                WEBVTT

                00:00:01.500 --> 00:00:03.200
                <v agent>Hello, <00:00:02.000>this <00:00:02.200>is <00:00:02.500>Sam.

                00:00:04.000 --> 00:00:05.000
                <v customer>Hi.

                """)
    }

    @Test func theJSONExportKeepsWordsOnlyWhereTheModelGaveThem() throws {
        let json = TranscriptFormat.json.render(Self.transcript)
        #expect(json.contains(#""words":[{"end_s":1.9,"start_s":1.5,"word":"Hello,"}"#))
        #expect(json.components(separatedBy: "\"words\"").count == 2)
    }
}
