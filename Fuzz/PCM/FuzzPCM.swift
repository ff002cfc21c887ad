import Foundation
import Live

@testable import Gateway

/// libFuzzer target: a `protocol=pcm` stream. The input's first line is the text control frame
/// (``LiveStreamMessage/pcm(_:decoder:)``); the rest is cut into binary frames, each length
/// given by one byte (times 7, so odd and even sizes both come up), decoded with the start's format
/// as `LiveStreamConnection` does. Any trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPCM(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let newline = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.endIndex
    let text = String(decoding: input[..<newline], as: UTF8.self)
    guard case .start(let format)? = try? LiveStreamMessage.pcm(text) else { return 0 }
    precondition(LiveAudioFormat.sampleRates.contains(format.sampleRate) && (1...2).contains(format.channels))
    var rest = input[min(newline + 1, input.endIndex)...]
    while let length = rest.first {
        rest = rest.dropFirst()
        let frame = rest.prefix(Int(length) * 7)
        rest = rest.dropFirst(frame.count)
        guard let planar = try? format.decode(frame) else { continue }
        precondition(planar.count == format.channels)
        precondition(planar.allSatisfy { $0.count == frame.count / format.bytesPerFrame })
        precondition(planar.allSatisfy { $0.allSatisfy { $0.isFinite && abs($0) <= 1 } })
    }
    return 0
}
