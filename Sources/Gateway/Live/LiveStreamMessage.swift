import Audio
import CallPipeCore
import Foundation
import Live

/// A text frame of a live stream, parsed without any session state: what ``LiveStreamConnection``
/// acts on. Every number in it is range-checked here, so nothing a client sends can make later
/// arithmetic trap; the fuzz targets under `Fuzz/` feed it arbitrary bytes.
enum LiveStreamMessage: Equatable {
    /// `protocol=pcm`'s start, with its validated format.
    case start(LiveAudioFormat)
    /// Twilio's start: the tracks the stream carries, and its ids for the log.
    case twilioStart(tracks: [String], streamSID: String?, callSID: String?)
    /// One Twilio payload, decoded from μ-law; `position` in samples (8 per ms of `timestamp`).
    case media(track: String, position: Int?, samples: [Float])
    /// The end of the stream.
    case stop
    /// `connected`, `mark`, `dtmf`: nothing to do.
    case ignored

    /// The largest Twilio `timestamp` accepted, in ms: a day, far past any call.
    static let maxTimestamp = 86_400_000

    /// A `protocol=pcm` control message: `start` (with `sample_rate`, `channels`, `encoding`) or `stop`.
    static func pcm(_ text: String, decoder: JSONDecoder = JSONDecoder()) throws(GatewayError) -> LiveStreamMessage {
        let control: PCMStreamMessage
        do {
            control = try decoder.decode(PCMStreamMessage.self, from: Data(text.utf8))
        } catch {
            throw GatewayError(.streamData, "a text frame is not a JSON control message with an \"event\"")
        }
        switch control.event {
        case "start":
            guard let sampleRate = control.sampleRate else {
                throw GatewayError(.streamProtocol, "the start message needs sample_rate")
            }
            guard let encoding = LiveAudioFormat.Encoding(rawValue: control.encoding ?? "pcm_s16le") else {
                throw GatewayError(.streamProtocol, "encoding must be pcm_s16le or mulaw")
            }
            do {
                return .start(
                    try LiveAudioFormat(encoding: encoding, sampleRate: sampleRate, channels: control.channels ?? 1)
                        .validated())
            } catch {
                throw GatewayError(.streamProtocol, error.message)
            }
        case "stop":
            return .stop
        default:
            throw GatewayError(.streamProtocol, "unknown event \"\(control.event.prefix(40))\"; expected start or stop")
        }
    }

    /// A Twilio Media Streams message; `media` goes through ``TwilioMediaScanner`` when it can.
    static func twilio(_ text: String, decoder: JSONDecoder = JSONDecoder()) throws(GatewayError) -> LiveStreamMessage {
        if let media = TwilioMediaScanner.scan(text) {
            return .media(track: media.track, position: try position(media.timestamp), samples: media.samples)
        }
        let twilio: TwilioMessage
        do {
            twilio = try decoder.decode(TwilioMessage.self, from: Data(text.utf8))
        } catch {
            throw GatewayError(.streamData, "a message is not a Twilio Media Streams JSON message")
        }
        switch twilio.event {
        case "connected", "mark", "dtmf":
            return .ignored
        case "start":
            guard let start = twilio.start else {
                throw GatewayError(.streamProtocol, "start without its start object")
            }
            if let format = start.mediaFormat {
                guard format.encoding.lowercased() == "audio/x-mulaw", format.sampleRate == 8_000, format.channels == 1
                else {
                    throw GatewayError(
                        .streamProtocol,
                        "mediaFormat \(format.encoding.prefix(30)) \(format.sampleRate) Hz ×\(format.channels) is not Twilio's audio/x-mulaw 8000 Hz mono"
                    )
                }
            }
            let tracks = start.tracks ?? ["inbound", "outbound"]
            guard !tracks.isEmpty, tracks.allSatisfy({ $0 == "inbound" || $0 == "outbound" }) else {
                throw GatewayError(.streamProtocol, "tracks must be inbound and/or outbound")
            }
            return .twilioStart(tracks: tracks, streamSID: start.streamSid ?? twilio.streamSid, callSID: start.callSid)
        case "media":
            guard let media = twilio.media else {
                throw GatewayError(.streamProtocol, "media without its media object")
            }
            guard let bytes = Data(base64Encoded: media.payload) else {
                throw GatewayError(.streamData, "a media payload is not valid base64")
            }
            var timestamp: Int?
            if let text = media.timestamp {
                guard let value = QueryValue.integer(text) else { throw timestampError }
                timestamp = value
            }
            var samples: [Float] = []
            samples.reserveCapacity(bytes.count)
            MuLaw.decode(bytes, into: &samples)
            return .media(track: media.track ?? "inbound", position: try position(timestamp), samples: samples)
        case "stop":
            return .stop
        default:
            throw GatewayError(.streamProtocol, "unknown Twilio event \"\(twilio.event.prefix(40))\"")
        }
    }

    private static func position(_ timestamp: Int?) throws(GatewayError) -> Int? {
        guard let timestamp else { return nil }
        guard (0...maxTimestamp).contains(timestamp) else { throw timestampError }
        return timestamp * 8
    }

    private static var timestampError: GatewayError {
        GatewayError(.streamData, "a media timestamp must be a whole number of ms from 0 to \(maxTimestamp)")
    }
}
