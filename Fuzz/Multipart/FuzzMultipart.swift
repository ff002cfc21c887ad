import CallPipeCore
import Foundation

@testable import Gateway

/// A scratch directory of this process, for the body and the extracted part.
private let scratch: String = {
    let path = NSTemporaryDirectory() + "callpipe-fuzz-multipart-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// libFuzzer target: an upload's multipart body. The input's first line is the `Content-Type`
/// (the boundary is taken from it as the upload route does); the rest is the body, written to a
/// file and given to ``MultipartFileExtractor`` like a streamed upload. Any trap is a finding;
/// the extracted part must be exactly as long as it says and no longer than the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let newline = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.endIndex
    let contentType = String(decoding: input[..<newline], as: UTF8.self)
    let boundary = CallsController.boundary(of: contentType)
    guard !boundary.isEmpty else { return 0 }
    let body = Data(input[min(newline + 1, input.endIndex)...])
    let source = scratch + "/body"
    let target = scratch + "/part"
    try? FileManager.default.removeItem(atPath: target)
    guard FileManager.default.createFile(atPath: source, contents: body) else { return 0 }
    if let part = try? MultipartFileExtractor.extract(
        from: source, boundary: boundary, field: "file", to: target, freeSpace: FreeSpaceGuard(minimumFreeBytes: 0))
    {
        let written = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? -1
        precondition(part.bytes >= 0 && Int(part.bytes) == written && written <= body.count)
    }
    return 0
}
