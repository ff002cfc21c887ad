import Audio
import Foundation

/// A scratch file of this process for the input.
private let path: String = {
    let directory = NSTemporaryDirectory() + "callpipe-fuzz-decoder-\(getpid())"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory + "/input"
}()

/// libFuzzer target: a recording's path through the audio stage. The input is written to a file,
/// probed as an upload is (``AudioFileDecoder/probe(_:)``), then analysed end to end
/// (``RecordingAnalyzer/analyze(_:)``: FFmpeg decoding, voice activity, talk time). Errors are the
/// expected answer to a broken file; a trap, an abort or running out of memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    let done = DispatchSemaphore(value: 0)
    // libFuzzer calls synchronously; the decoder's API is async (it runs on NIO's thread pool).
    Task {
        if (try? await AudioFileDecoder().probe(path)) != nil {
            if let analysis = try? await RecordingAnalyzer().analyze(path) {
                precondition(analysis.durationS.isFinite && analysis.durationS >= 0)
            }
        }
        done.signal()
    }
    done.wait()
    return 0
}
