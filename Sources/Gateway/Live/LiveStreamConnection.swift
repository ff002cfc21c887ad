import Audio
import CallPipeCore
import Foundation
import HummingbirdWebSocket
import Live
import Logging
import NIOCore
import NIOWebSocket

/// One connection of `WS /api/calls/{id}/stream`: parses its protocol's messages, turns them into
/// audio for the call's `LiveSession`, and decides how the connection ends.
///
/// `stop` ends the call. Any other end — the client vanished, or broke the protocol and was closed
/// with a code saying why — leaves the call waiting for a reconnect (which continues it) or for
/// the idle timeout; the audio received so far is in the recording either way.
struct LiveStreamConnection {
    enum StreamProtocol: String, Sendable {
        case pcm, twilio
    }

    let streamProtocol: StreamProtocol
    let call: StoredCall
    let live: LiveSessionManager
    let configuration: LiveStreamConfiguration
    let logger: Logger

    private var session: LiveSession?
    private var generation = 0
    private var aligner: LiveTrackAligner?
    private var pending: [[Float]] = []
    private var trackChannels: [String: Int] = [:]
    private var stopped = false
    private var lastMessage = ContinuousClock.now
    /// When the stream started (its `start` message): timestamps may not run far ahead of it.
    private var startedAt: ContinuousClock.Instant?
    /// Samples each Twilio track has sent on this connection.
    private var receivedFrames = [0, 0]
    private var allowance: Double
    private let decoder = JSONDecoder()
    /// Marks the binary frames of Twilio media that `TwilioMediaFramer` gathered on the event
    /// loop: random per connection, so a client's own binary frame is never taken for one.
    let mediaToken: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }

    init(
        streamProtocol: StreamProtocol, call: StoredCall, live: LiveSessionManager,
        configuration: LiveStreamConfiguration, logger: Logger
    ) {
        self.streamProtocol = streamProtocol
        self.call = call
        self.live = live
        self.configuration = configuration
        self.logger = logger
        allowance = Double(configuration.maxMessagesPerSecond) * 3
    }

    /// Reads the stream to its end; returns the close code and reason to send, if any. `finish`
    /// must follow (after the caller has claimed the close when there is one).
    mutating func run(_ messages: WebSocketInboundMessageStream) async -> (WebSocketErrorCode, String)? {
        var close: (WebSocketErrorCode, String)?
        do {
            for try await message in messages {
                // Gathered Twilio media count per message inside (handleTwilio).
                if streamProtocol == .pcm || message.isText { try countMessage() }
                switch streamProtocol {
                case .pcm: try await handlePCM(message)
                case .twilio: try await handleTwilio(message)
                }
                if stopped { break }
            }
        } catch let error as GatewayError {
            close = (Self.closeCode(error.code), error.message)
        } catch let error as CallPipeError {
            // 1013 "try again later" (RFC 6455 registry) when a race took the last live-call slot.
            close = (
                error.code == .conflict
                    ? .policyViolation : error.code == .capacity ? .unknown(1013) : .unexpectedServerError,
                error.message
            )
        } catch {
            // The connection failed (reset, too large a frame): nothing to send; the call waits.
            logger.info("Live stream connection lost", metadata: ["call.id": "\(call.id)", "error": "\(error)"])
        }
        if let close {
            logger.warning(
                "Live stream closed", metadata: ["call.id": "\(call.id)", "code": "\(close.0)", "reason": "\(close.1)"])
        }
        return close.map { ($0.0, Self.shortened(ServerPaths.redact($0.1))) }
    }

    /// Hands on the audio gathered, then ends the call (`stop`) or leaves it to a reconnect.
    mutating func finish() async {
        guard let session else { return }
        if var aligner, let rest = aligner.drain() {
            try? await send(rest, flush: true)
        } else {
            try? await send([], flush: true)
        }
        if stopped {
            await session.end(.stopped)
        } else {
            await session.detach(generation: generation)
        }
    }

    /// A token bucket: bursts of up to three seconds' allowance (a client catching up after a
    /// network hiccup), `maxMessagesPerSecond` sustained.
    private mutating func countMessage() throws(GatewayError) {
        let now = ContinuousClock.now
        let rate = Double(configuration.maxMessagesPerSecond)
        allowance = min(rate * 3, allowance + LiveStreamConnection.seconds(now - lastMessage) * rate)
        lastMessage = now
        allowance -= 1
        guard allowance >= 0 else {
            throw GatewayError(
                .streamProtocol, "more than \(configuration.maxMessagesPerSecond) messages a second; send 20 ms frames")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    // MARK: - protocol=pcm

    private mutating func handlePCM(_ message: WebSocketMessage) async throws {
        switch message {
        case .binary(let buffer):
            guard let session else {
                throw GatewayError(
                    .streamProtocol, "audio before the start message; send {\"event\":\"start\",...} first")
            }
            if pending.count != session.format.channels {
                pending = Array(repeating: [], count: session.format.channels)
            }
            do {
                try buffer.withUnsafeReadableBytes { (bytes) throws(CallPipeError) in
                    try session.format.decode(bytes, appendingTo: &pending)
                }
            } catch {
                throw GatewayError(.streamData, error.message)
            }
            try await send([])
        case .text(let text):
            switch try LiveStreamMessage.pcm(text, decoder: decoder) {
            case .start(let format):
                guard session == nil else { throw GatewayError(.streamProtocol, "a second start message") }
                try await begin(format)
            case .stop:
                guard session != nil else { throw GatewayError(.streamProtocol, "stop before start") }
                stopped = true
            default:
                return
            }
        }
    }

    // MARK: - protocol=twilio

    private mutating func handleTwilio(_ message: WebSocketMessage) async throws {
        let text: String
        switch message {
        case .text(let value):
            text = value
        case .binary(let buffer):
            guard let records = TwilioMediaRecords.read(buffer, token: mediaToken) else {
                throw GatewayError(.streamUnsupported, "Twilio Media Streams send JSON text frames, not binary")
            }
            for record in records {
                try countMessage()
                try await handleMedia(channel: record.channel, position: record.position, samples: record.samples)
            }
            return
        }
        switch try LiveStreamMessage.twilio(text, decoder: decoder) {
        case .ignored, .start:
            return
        case .twilioStart(let tracks, let streamSID, let callSID):
            guard session == nil else { throw GatewayError(.streamProtocol, "a second start message") }
            // docs/ARCHITECTURE.md §2: outbound is the agent (channel 0), inbound the customer (channel 1).
            trackChannels = ["outbound": 0, "inbound": 1]
            var aligner = LiveTrackAligner(channels: 2, sampleRate: 8_000)
            for (track, channel) in trackChannels where !tracks.contains(track) { aligner.markSilent(channel) }
            self.aligner = aligner
            logger.info(
                "Twilio stream started",
                metadata: [
                    "call.id": "\(call.id)", "twilio.stream_sid": "\(streamSID ?? "")",
                    "twilio.call_sid": "\(callSID ?? "")", "twilio.tracks": "\(tracks.joined(separator: ","))",
                ])
            try await begin(.twilio)
        case .media(let track, let position, let samples):
            guard session != nil, aligner != nil else { throw GatewayError(.streamProtocol, "media before start") }
            guard let channel = trackChannels[track] else {
                throw GatewayError(.streamProtocol, "unknown track \"\(track.prefix(20))\"")
            }
            try await handleMedia(channel: channel, position: position, samples: samples)
        case .stop:
            guard session != nil else { throw GatewayError(.streamProtocol, "stop before start") }
            stopped = true
        }
    }

    /// Places one track's payload (channel 0 outbound, 1 inbound) on the stream's timeline (at
    /// `position`, 8 samples per ms of its `timestamp`: a missing chunk leaves a gap that becomes
    /// silence) and passes on what is aligned.
    private mutating func handleMedia(channel: Int, position: Int?, samples: [Float]) async throws {
        // Taken out and put back, so the aligner's buffers are mutated in place, never copied.
        guard session != nil, var aligner = self.aligner.take() else {
            throw GatewayError(.streamProtocol, "media before start")
        }
        let block: [[Float]]?
        do {
            defer { self.aligner = aligner }
            guard receivedFrames.indices.contains(channel) else {
                throw GatewayError(.streamProtocol, "media of an unknown track")
            }
            if let position { try checkLeap(position, receivedFrames: receivedFrames[channel]) }
            receivedFrames[channel] += samples.count
            do {
                try aligner.add(samples, channel: channel, at: position ?? aligner.emitted)
            } catch {
                throw GatewayError(.streamData, error.message)
            }
            block = aligner.take()
        }
        if let block { try await send(block) }
    }

    /// A Twilio track's timestamps (here as a sample `position`; their range is checked where
    /// they are parsed) may not run so far ahead of the audio the track actually sent that the
    /// silence filling the difference grows faster than `maxGapSpeed` times real time (beyond a
    /// head start of `timestampSlack` seconds). Lost packets leave small gaps; a client leaping
    /// forward to make the recording grow is closed. Audio sent faster than real time (a replay)
    /// leaves no gap and is not limited here.
    private func checkLeap(_ position: Int, receivedFrames: Int) throws(GatewayError) {
        let gap = Double(position - receivedFrames) / 8_000
        let elapsed = startedAt.map { Self.seconds(ContinuousClock.now - $0) } ?? 0
        guard gap <= elapsed * configuration.maxGapSpeed + configuration.timestampSlack else {
            throw GatewayError(
                .streamData,
                "media timestamps leap \(Int(gap)) s ahead of the audio sent \(Int(elapsed)) s into the stream; only lost packets may leave gaps"
            )
        }
    }

    /// Hands audio to the session in blocks of at least 100 ms: five times fewer hops into the
    /// session and detector calls than 20 ms frames, for at most 80 ms more endpointing delay.
    private mutating func send(_ planar: [[Float]], flush: Bool = false) async throws {
        guard let session else { return }
        if pending.isEmpty {
            pending = planar
        } else if !planar.isEmpty {
            for channel in pending.indices { pending[channel] += planar[channel] }
        }
        guard flush || (pending.first?.count ?? 0) >= session.format.sampleRate / 10 else { return }
        let block = pending
        pending = Array(repeating: [], count: block.count)
        guard !(block.first?.isEmpty ?? true) else { return }
        // The session (an actor) does its work on the shared pool, never on the event loop.
        let generation = generation
        try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await session.ingest(block, generation: generation)
        }
    }

    private mutating func begin(_ format: LiveAudioFormat) async throws {
        let (session, generation) = try await live.attach(call, format: format)
        // A reconnect continues the call: its timestamps restart, but the call time does not.
        startedAt = ContinuousClock.now
        self.session = session
        self.generation = generation
    }

    static func closeCode(_ code: GatewayError.Code) -> WebSocketErrorCode {
        switch code {
        case .streamData: .dataInconsistentWithMessage
        case .streamUnsupported: .unacceptableData
        case .streamProtocol: .policyViolation
        case .configuration, .storage: .unexpectedServerError
        }
    }

    /// Close reasons are limited to 123 bytes.
    static func shortened(_ reason: String) -> String {
        var result = ""
        for character in reason {
            guard result.utf8.count + String(character).utf8.count <= 120 else { break }
            result.append(character)
        }
        return result
    }
}

extension WebSocketMessage {
    fileprivate var isText: Bool {
        if case .text = self { true } else { false }
    }
}
