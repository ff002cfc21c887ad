import CallPipeCore
import Foundation
import Hummingbird
import Live
import Testing

@testable import Gateway

/// Every input under `Fuzz/regressions/TARGET` (crashes the fuzzers found, and the crashes of
/// issue 13) and every seed under `Fuzz/corpus/TARGET`, through the parsers its fuzz target drives:
/// each is answered (an error is fine) without a trap — a trap would stop this test process.
@Suite("Fuzz regressions", .timeLimit(.minutes(3)))
struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ target: String) throws -> [(name: String, data: Data)] {
        try ["regressions", "corpus"].flatMap { folder in
            let directory = fuzz.appendingPathComponent("\(folder)/\(target)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return try names.sorted().map {
                ("\(folder)/\($0)", try Data(contentsOf: directory.appendingPathComponent($0)))
            }
        }
    }

    static func lines(_ data: Data) -> [String] {
        data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    @Test func twilioMessagesNeverTrap() throws {
        let inputs = try Self.inputs("twilio")
        #expect(inputs.contains { $0.name.hasPrefix("regressions/") })
        for (name, data) in inputs {
            var aligner = LiveTrackAligner(channels: 2, sampleRate: 8_000)
            for line in Self.lines(data) {
                guard case .media(let track, let position, let samples)? = try? LiveStreamMessage.twilio(line) else {
                    continue
                }
                #expect((0...LiveStreamMessage.maxTimestamp * 8).contains(position ?? 0), "\(name)")
                try? aligner.add(samples, channel: track == "outbound" ? 0 : 1, at: position ?? aligner.emitted)
                _ = aligner.take()
            }
            _ = aligner.drain()
        }
    }

    @Test func pcmStartsAndFramesNeverTrap() throws {
        for (name, data) in try Self.inputs("pcm") {
            let newline = data.firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            guard
                case .start(let format)? = try? LiveStreamMessage.pcm(String(decoding: data[..<newline], as: UTF8.self))
            else { continue }
            #expect(LiveAudioFormat.sampleRates.contains(format.sampleRate), "\(name)")
            _ = try? format.decode(data[newline...].dropFirst())
        }
    }

    @Test func queriesRangesDatesAndTimesNeverTrap() throws {
        let caller = APIIdentity(keyID: "k", role: .supervisor)
        for (name, data) in try Self.inputs("query") {
            let lines = Self.lines(data) + Array(repeating: "", count: 5)
            let parameters = Request(
                head: .init(method: .get, scheme: nil, authority: nil, path: "/api/calls/history?" + lines[0]),
                body: .init(buffer: .init())
            ).uri.queryParameters
            if let query = try? HistoryQueryParser.parse(parameters, caller: caller) {
                #expect(CallHistoryQuery.pages.contains(query.page), "\(name)")
            }
            _ = try? CallFilterParser.parse(parameters, caller: caller)
            let size = QueryValue.integer(lines[2].prefix(12)) ?? 1_000
            if case .partial(let range) = ByteRange.parse(lines[1], size: size) {
                #expect(range.first >= 0 && range.last < size && range.length > 0, "\(name)")
            }
            _ = QueryDate.parse(lines[3])
            _ = TranscriptFormat.time(Double(lines[4]) ?? 0, separator: ".")
        }
    }

    @Test func multipartBodiesNeverTrap() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, data) in try Self.inputs("multipart") {
            let newline = data.firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let boundary = CallsController.boundary(of: String(decoding: data[..<newline], as: UTF8.self))
            guard !boundary.isEmpty else { continue }
            let body = directory.appendingPathComponent("body")
            try Data(data[newline...].dropFirst()).write(to: body)
            let part = try? MultipartFileExtractor.extract(
                from: body.path, boundary: boundary, field: "file", to: directory.appendingPathComponent("part").path,
                freeSpace: FreeSpaceGuard(minimumFreeBytes: 0))
            #expect((part?.bytes ?? 0) <= Int64(data.count), "\(name)")
        }
    }
}
