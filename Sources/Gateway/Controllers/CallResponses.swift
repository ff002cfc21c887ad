import AIClients
import Analytics
import Audio
import CRM
import CallPipeCore
import Foundation
import Hummingbird

/// `GET /api/calls/{id}`: the whole call.
struct CallDetail: ResponseEncodable {
    var call: StoredCall
    var recordings: [StoredRecording]
    var analysis: AudioAnalysis?
    var transcript: Transcript
    /// Talk speed and questions per party (docs/ARCHITECTURE.md §8).
    var conversation: ConversationMetrics
    var insights: CallInsights?
    var summaryVersion: Int?
    var isFinal: Bool
    var jobs: [JobStatus]
    var crmDeliveries: [CRMDelivery]
    /// What was redacted (kinds, counts, spans); null when the call was not redacted.
    var redaction: CallRedactionView?

    enum CodingKeys: String, CodingKey {
        case recordings, analysis, transcript, conversation, insights
        case summaryVersion = "summary_version"
        case isFinal = "is_final"
        case jobs
        case crmDeliveries = "crm_deliveries"
        case redaction
    }

    /// The call's own fields first (`id`, `session_id`, `status`, ...), then its outputs.
    func encode(to encoder: any Encoder) throws {
        try call.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordings, forKey: .recordings)
        try container.encode(analysis, forKey: .analysis)
        try container.encode(transcript, forKey: .transcript)
        try container.encode(conversation, forKey: .conversation)
        try container.encode(insights, forKey: .insights)
        try container.encode(summaryVersion, forKey: .summaryVersion)
        try container.encode(isFinal, forKey: .isFinal)
        try container.encode(jobs, forKey: .jobs)
        try container.encode(crmDeliveries, forKey: .crmDeliveries)
        try container.encode(redaction, forKey: .redaction)
    }
}

/// A pipeline stage's state, as a call shows it.
struct JobStatus: Codable {
    var stage: String
    var state: String
    var attempts: Int
    var recordingID: String?
    var lastError: String?

    init(_ job: PipelineJob) {
        stage = job.stage.rawValue
        state = job.state.rawValue
        attempts = job.attempts
        recordingID = job.recordingID
        lastError = job.lastError
    }

    enum CodingKeys: String, CodingKey {
        case stage, state, attempts
        case recordingID = "recording_id"
        case lastError = "last_error"
    }
}

/// `POST /api/calls/{id}/audio` → 202.
struct UploadAccepted: ResponseEncodable {
    var recordingID: String
    var callID: String
    var sequence: Int
    var status: String
    var duplicate: Bool

    enum CodingKeys: String, CodingKey {
        case recordingID = "recording_id"
        case callID = "call_id"
        case sequence, status, duplicate
    }
}

/// `GET /api/calls/{id}/summary`.
struct CallSummary: ResponseEncodable {
    var callID: String
    var status: String
    var version: Int?
    var isFinal: Bool
    var insights: CallInsights?
    var talkTime: [String: SpeakerTalkTime]?

    enum CodingKeys: String, CodingKey {
        case callID = "call_id"
        case status, version
        case isFinal = "is_final"
        case insights
        case talkTime = "talk_time"
    }
}

/// `GET /api/calls/history`.
struct HistoryPage: ResponseEncodable {
    /// A call's own fields and, under `metrics`, its duration, talk, sentiment and outcome.
    struct Entry: Encodable {
        var call: StoredCall
        var metrics: CallRowMetrics

        enum CodingKeys: String, CodingKey { case metrics }

        func encode(to encoder: any Encoder) throws {
            try call.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metrics, forKey: .metrics)
        }
    }

    var calls: [Entry]
    var page: Int
    var pageSize: Int
    var total: Int

    enum CodingKeys: String, CodingKey {
        case calls, page
        case pageSize = "page_size"
        case total
    }
}

/// `GET /api/calls/search`.
struct SearchResults: ResponseEncodable {
    struct Hit: Codable {
        var callID: String
        var kind: String
        var snippet: String

        enum CodingKeys: String, CodingKey {
            case callID = "call_id"
            case kind, snippet
        }
    }

    var query: String
    var results: [Hit]
}

extension StoredCall: ResponseEncodable {}
extension CRMDelivery: ResponseEncodable {}
extension DashboardReport: ResponseEncodable {}
