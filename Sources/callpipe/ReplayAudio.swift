import Audio
import Foundation

/// A recording cut into the 20 ms frames a live client sends, encoded once and shared by every
/// replayed stream: base64 μ-law per track for Twilio, interleaved PCM16 for `protocol=pcm`.
struct ReplayAudio: Sendable {
    enum StreamProtocol: String, Sendable {
        case pcm, twilio
    }

    /// Twilio: base64 payloads per frame, `outbound` (agent, channel 0) and `inbound` (customer,
    /// channel 1; a mono file is all inbound).
    var twilioFrames: [(outbound: String?, inbound: String)] = []
    /// PCM: one binary frame per 20 ms.
    var pcmFrames: [[UInt8]] = []
    var sampleRate: Int
    var channels: Int
    var frameCount: Int { max(twilioFrames.count, pcmFrames.count) }
    static let frameDuration = 0.02

    /// Decodes `path` with FFmpeg for `streamProtocol`: 8 kHz μ-law for Twilio, 16 kHz PCM16 (the
    /// file's channels, at most two) for pcm.
    static func load(_ path: String, for streamProtocol: StreamProtocol) async throws -> ReplayAudio {
        let rate = streamProtocol == .twilio ? 8_000 : 16_000
        let decoder = AudioFileDecoder(configuration: .init(targetSampleRate: rate))
        return try await decoder.withSession(path) { session in
            var planar = [[Float]](repeating: [], count: min(2, session.info.channels))
            try session.forEachChunk { chunk in
                for channel in planar.indices { planar[channel].append(contentsOf: chunk.channels[channel]) }
            }
            return make(planar, sampleRate: rate, for: streamProtocol)
        }
    }

    static func make(_ planar: [[Float]], sampleRate: Int, for streamProtocol: StreamProtocol) -> ReplayAudio {
        var audio = ReplayAudio(sampleRate: sampleRate, channels: planar.count)
        let frame = Int(Double(sampleRate) * frameDuration)
        let total = planar.first?.count ?? 0
        var start = 0
        while start < total {
            let end = min(start + frame, total)
            switch streamProtocol {
            case .twilio:
                let encode = { (channel: Int) in
                    Data((start..<end).map { MuLaw.encode(planar[channel][$0]) }).base64EncodedString()
                }
                audio.twilioFrames.append(
                    planar.count > 1 ? (outbound: encode(0), inbound: encode(1)) : (outbound: nil, inbound: encode(0)))
            case .pcm:
                var bytes: [UInt8] = []
                bytes.reserveCapacity((end - start) * planar.count * 2)
                for index in start..<end {
                    for channel in planar.indices {
                        let value = UInt16(bitPattern: Int16(max(-1, min(1, planar[channel][index])) * 32_767))
                        bytes.append(UInt8(value & 0xFF))
                        bytes.append(UInt8(value >> 8))
                    }
                }
                audio.pcmFrames.append(bytes)
            }
            start = end
        }
        return audio
    }
}
