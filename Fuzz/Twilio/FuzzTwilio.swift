import Foundation
import Live

@testable import Gateway

/// libFuzzer target: a Twilio Media Streams connection's text frames (one per line of the input)
/// through the parser the server uses (``LiveStreamMessage/twilio(_:decoder:)``: the scanner's
/// fast path, then `JSONDecoder`) and the track aligner, as `LiveStreamConnection` drives them.
/// Any trap is a finding; thrown errors are the expected answer to bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTwilio(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let decoder = JSONDecoder()
    var aligner: LiveTrackAligner?
    var channels: [String: Int] = [:]
    for line in input.split(separator: UInt8(ascii: "\n")).prefix(64) {
        let text = String(decoding: line, as: UTF8.self)
        guard let message = try? LiveStreamMessage.twilio(text, decoder: decoder) else { continue }
        switch message {
        case .twilioStart(let tracks, _, _):
            precondition(!tracks.isEmpty && tracks.allSatisfy { $0 == "inbound" || $0 == "outbound" })
            channels = ["outbound": 0, "inbound": 1]
            var fresh = LiveTrackAligner(channels: 2, sampleRate: 8_000)
            for (track, channel) in channels where !tracks.contains(track) { fresh.markSilent(channel) }
            aligner = fresh
        case .media(let track, let position, let samples):
            precondition(position.map { $0 >= 0 && $0 <= LiveStreamMessage.maxTimestamp * 8 } ?? true)
            precondition(samples.allSatisfy { $0.isFinite && abs($0) <= 1 })
            guard var current = aligner, let channel = channels[track] else { continue }
            try? current.add(samples, channel: channel, at: position ?? current.emitted)
            if let block = current.take() { precondition(block.count == 2 && block[0].count == block[1].count) }
            aligner = current
        case .start, .stop, .ignored:
            continue
        }
    }
    if var aligner, let rest = aligner.drain() { precondition(rest[0].count == rest[1].count) }
    return 0
}
