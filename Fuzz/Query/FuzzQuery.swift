import CallPipeCore
import Foundation
import Hummingbird
import HummingbirdCore

@testable import Gateway

/// libFuzzer target: what a client controls in the query and header parsers. The input's lines
/// are a query string (parsed by Hummingbird as a request's, then by the history, analytics and
/// CRM parsers for each role), a `Range` header with a file size, a date, and a number of seconds
/// for the transcript's time format. Any trap is a finding; a range must lie inside the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let lines = input.split(separator: UInt8(ascii: "\n"), maxSplits: 4, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    func line(_ index: Int) -> String { index < lines.count ? lines[index] : "" }

    let parameters = URI("/api/calls/history?" + line(0)).queryParameters
    for caller in FuzzCallers.all {
        if let query = try? HistoryQueryParser.parse(parameters, caller: caller) {
            precondition(CallHistoryQuery.pages.contains(query.page))
            precondition(CallHistoryQuery.pageSizes.contains(query.pageSize))
            precondition(caller.role != .agent || query.agentID == caller.agentID)
        }
        if let query = try? CallFilterParser.parse(parameters, caller: caller) {
            precondition(caller.role != .agent || query.agentID == caller.agentID)
        }
    }
    _ = try? QueryValue.integer(parameters, "limit", in: 1...1_000)
    _ = try? QueryValue.choice(parameters, "format", TranscriptFormat.allCases.map(\.rawValue))

    let fileSize = QueryValue.integer(line(2).prefix(12)) ?? 1_000
    switch ByteRange.parse(line(1), size: fileSize) {
    case .partial(let range):
        precondition(range.first >= 0 && range.first <= range.last && range.last < fileSize)
        precondition(range.length == range.last - range.first + 1)
    case .whole, .unsatisfiable:
        break
    }
    if let date = QueryDate.parse(line(3)) {
        precondition(date.timeIntervalSince1970.isFinite)
    }
    let seconds = Double(line(4)) ?? Double(line(4).utf8.count)
    _ = TranscriptFormat.time(seconds, separator: ".")
    _ = CSVExport.text(line(4))
    return 0
}

/// One caller of each role, the agent with its own id.
enum FuzzCallers {
    static let all = [
        APIIdentity(keyID: "k1", role: .agent, agentID: "ann"), APIIdentity(keyID: "k2", role: .supervisor),
        APIIdentity(keyID: "k3", role: .admin),
    ]
}
