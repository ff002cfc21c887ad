package import CallPipeCore
import Foundation

/// A conversation as ElevenLabs' list shows it (`GET /v1/convai/conversations`).
package struct ElevenLabsConversationSummary: Decodable, Sendable {
    package var conversation_id: String
    package var agent_id: String
    package var agent_name: String?
    package var start_time_unix_secs: Double
    package var call_duration_secs: Double
    package var message_count: Int?
    /// `initiated`, `in-progress`, `processing`, `done` or `failed`.
    package var status: String
    /// `success`, `failure` or `unknown`.
    package var call_successful: String?
    package var direction: String?
}

/// A page of conversations: more follow while `has_more`, from `next_cursor`.
package struct ElevenLabsConversationPage: Decodable, Sendable {
    package var conversations: [ElevenLabsConversationSummary]
    package var next_cursor: String?
    package var has_more: Bool
}

/// One conversation's details (`GET /v1/convai/conversations/{id}`): the fields a sync and the
/// voice-bot KPIs use; others are ignored.
package struct ElevenLabsConversation: Decodable, Sendable {
    package struct Turn: Decodable, Sendable {
        /// `user` or `agent`.
        package var role: String
        package var message: String?
        package var time_in_call_secs: Double
    }

    package struct PhoneCall: Decodable, Sendable {
        /// `twilio` or `sip_trunking`.
        package var type: String?
        package var direction: String?
        package var agent_number: String?
        package var external_number: String?
        package var call_sid: String?
    }

    package struct Feedback: Decodable, Sendable {
        package var overall_score: String?
        package var rating: Double?
    }

    package struct Failure: Decodable, Sendable {
        package var code: Int?
        package var reason: String?
    }

    package struct Metadata: Decodable, Sendable {
        package var start_time_unix_secs: Double
        package var call_duration_secs: Double
        package var cost: Double?
        package var termination_reason: String?
        package var error: Failure?
        package var feedback: Feedback?
        package var phone_call: PhoneCall?
    }

    package struct Criterion: Decodable, Sendable {
        package var criteria_id: String?
        /// `success`, `failure` or `unknown`.
        package var result: String
        package var rationale: String?
    }

    package struct Analysis: Decodable, Sendable {
        package var call_successful: String?
        package var transcript_summary: String?
        package var evaluation_criteria_results: [String: Criterion]?
    }

    package struct InitiationData: Decodable, Sendable {
        package var dynamic_variables: [String: DynamicValue]?
    }

    /// A dynamic variable's value: text, number, bool or null; only text is used (numbers).
    package struct DynamicValue: Decodable, Sendable {
        package var text: String?

        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            text = try? container.decode(String.self)
        }
    }

    package var conversation_id: String
    package var agent_id: String
    package var status: String
    package var transcript: [Turn]
    package var metadata: Metadata
    package var analysis: Analysis?
    package var conversation_initiation_client_data: InitiationData?
    package var has_audio: Bool

    /// `inbound` or `outbound`: the phone call's, else the list's (`summary`), else inbound.
    package func direction(summary: ElevenLabsConversationSummary? = nil) -> String {
        (metadata.phone_call?.direction ?? summary?.direction) == "outbound" ? "outbound" : "inbound"
    }

    /// The customer's and the bot's numbers: from the phone call (Twilio or SIP trunk), else from
    /// the system dynamic variables (`system__caller_id` calls, `system__called_number` is called:
    /// which is the customer depends on the direction); `nil` when neither has them (refetch the
    /// details later).
    package func numbers(summary: ElevenLabsConversationSummary? = nil) -> (customer: String?, bot: String?) {
        if let call = metadata.phone_call, call.external_number != nil || call.agent_number != nil {
            return (call.external_number, call.agent_number)
        }
        let variables = conversation_initiation_client_data?.dynamic_variables ?? [:]
        let caller = variables["system__caller_id"]?.text
        let called = variables["system__called_number"]?.text
        return direction(summary: summary) == "inbound" ? (caller, called) : (called, caller)
    }

    /// The conversation in CallPipe's terms (`summary`, the list's entry, adds the agent's name and
    /// the direction when the details lack them): the bot is the agent; a failed conversation
    /// counts as missed (nobody was served).
    package func imported(summary: ElevenLabsConversationSummary? = nil) -> ImportedCall {
        let started = Date(timeIntervalSince1970: metadata.start_time_unix_secs)
        return ImportedCall(
            vendor: "elevenlabs", vendorID: conversation_id, direction: direction(summary: summary),
            status: status == "failed" ? .missed : .completed, agentID: agent_id, agentName: summary?.agent_name,
            customerPhone: numbers(summary: summary).customer, startedAt: started,
            endedAt: started.addingTimeInterval(metadata.call_duration_secs), durationS: metadata.call_duration_secs)
    }

    /// The conversation as the voice-bot KPIs read it. A transfer tool ending the call is a
    /// hand-over to a person; a client or remote hang-up without a success is a drop-out; a
    /// `failed` status or an error is a technical error (docs/connectors.md).
    package func session(summary: ElevenLabsConversationSummary? = nil) -> VoiceBotSession {
        let reason = (metadata.termination_reason ?? "").lowercased()
        let outcome =
            VoiceBotSession.Outcome(rawValue: analysis?.call_successful ?? summary?.call_successful ?? "") ?? .unknown
        let technical = status == "failed" || metadata.error != nil
        let hungUp = ["client disconnected", "remote party", "hung up", "user ended"].contains { reason.contains($0) }
        return VoiceBotSession(
            id: conversation_id, startedAt: Date(timeIntervalSince1970: metadata.start_time_unix_secs),
            durationS: metadata.call_duration_secs, direction: direction(summary: summary), outcome: outcome,
            technicalError: technical, transferredToHuman: reason.contains("transfer"),
            droppedOut: hungUp && outcome != .success && !technical,
            botMessages: transcript.filter { $0.role == "agent" && !($0.message ?? "").isEmpty }.count,
            cost: metadata.cost, rating: metadata.feedback?.rating,
            criteria: (analysis?.evaluation_criteria_results ?? [:]).mapValues {
                VoiceBotSession.Outcome(rawValue: $0.result) ?? .unknown
            })
    }
}
