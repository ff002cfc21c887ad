package import AIClients

/// The `data` of each event type (docs/ARCHITECTURE.md §6).
package enum CallEventPayloads {
    package struct CallStatus: Encodable, Sendable {
        package var status: String
        package var failureReason: String?

        package init(status: String, failureReason: String?) {
            self.status = status
            self.failureReason = failureReason
        }

        enum CodingKeys: String, CodingKey {
            case status
            case failureReason = "failure_reason"
        }
    }

    package struct Processing: Encodable, Sendable {
        package var stage: String
        package var state: String
        package var recordingID: String?
        package var attempt: Int
        package var error: String?

        package init(stage: String, state: String, recordingID: String?, attempt: Int, error: String?) {
            self.stage = stage
            self.state = state
            self.recordingID = recordingID
            self.attempt = attempt
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case stage, state
            case recordingID = "recording_id"
            case attempt, error
        }
    }

    package struct TranscriptUpdate: Encodable, Sendable {
        package var isFinal: Bool
        package var speaker: String
        package var startS: Double
        package var endS: Double
        package var text: String
        /// `live` (an utterance as the call happens) or `recording` (the post-call transcript of
        /// the whole recording, which supersedes the live lines of the same call).
        package var source: String

        package init(isFinal: Bool, speaker: String, startS: Double, endS: Double, text: String, source: String) {
            self.isFinal = isFinal
            self.speaker = speaker
            self.startS = startS
            self.endS = endS
            self.text = text
            self.source = source
        }

        enum CodingKeys: String, CodingKey {
            case isFinal = "is_final"
            case speaker
            case startS = "start_s"
            case endS = "end_s"
            case text, source
        }
    }

    package struct SummaryUpdate: Encodable, Sendable {
        package var isFinal: Bool
        package var insights: CallInsights

        package init(isFinal: Bool, insights: CallInsights) {
            self.isFinal = isFinal
            self.insights = insights
        }

        enum CodingKeys: String, CodingKey {
            case isFinal = "is_final"
            case insights
        }
    }
}
