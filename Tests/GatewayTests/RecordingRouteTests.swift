import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

@Suite("GET /api/calls/{id}/recording", .timeLimit(.minutes(3)))
struct RecordingRouteTests {
    static let mp3 = (try? Data(contentsOf: GatewayTestApp.fixtures.appendingPathComponent("call.mp3"))) ?? Data()

    /// A call of ann's with the call fixture uploaded.
    static func uploadedCall(_ client: some TestClientProtocol, _ app: GatewayTestApp) async throws -> String {
        let id = try await CallsControllerTests.startCall(client, app)
        try await client.execute(
            uri: "/api/calls/\(id)/audio", method: .post, headers: app.headers("ann", [.contentType: "audio/mpeg"]),
            body: ByteBuffer(bytes: mp3)
        ) { #expect($0.status == .accepted) }
        return id
    }

    @Test func servesTheWholeRecordingWithItsAudioTypeAndAStrongETag() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            let id = try await Self.uploadedCall(client, app)
            let eTag = try await client.execute(
                uri: "/api/calls/\(id)/recording", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "audio/mpeg")
                #expect(response.headers[.acceptRanges] == "bytes")
                #expect(response.headers[.contentLength] == String(Self.mp3.count))
                #expect(Array(buffer: response.body) == Array(Self.mp3))
                let eTag = try #require(response.headers[.eTag])
                #expect(!eTag.hasPrefix("W/"))
                return eTag
            }
            try await client.execute(
                uri: "/api/calls/\(id)/recording", method: .get, headers: app.headers("ann", [.ifNoneMatch: eTag])
            ) { #expect($0.status == .notModified) }
            // A Range conditional on another version gets the whole file.
            try await client.execute(
                uri: "/api/calls/\(id)/recording", method: .get,
                headers: app.headers("ann", [.range: "bytes=0-9", .ifRange: "\"other\""])
            ) { response in
                #expect(response.status == .ok && response.body.readableBytes == Self.mp3.count)
            }
        }
    }

    @Test(arguments: [
        ("bytes=0-99", 0, 99), ("bytes=1000-", 1_000, -1), ("bytes=-500", -500, -1), ("bytes=100-99999999", 100, -1),
    ])
    func answersARangeWithExactlyThoseBytes(header: String, first: Int, last: Int) async throws {
        let app = try await GatewayTestApp()
        let size = Self.mp3.count
        let from = first < 0 ? size + first : first
        let to = last < 0 ? size - 1 : last
        try await app.test { client in
            let id = try await Self.uploadedCall(client, app)
            try await client.execute(
                uri: "/api/calls/\(id)/recording", method: .get, headers: app.headers("supervisor", [.range: header])
            ) { response in
                #expect(response.status == .partialContent)
                #expect(response.headers[.contentRange] == "bytes \(from)-\(to)/\(size)")
                #expect(response.headers[.contentLength] == String(to - from + 1))
                #expect(Array(buffer: response.body) == Array(Self.mp3[from...to]))
            }
        }
    }

    @Test func refusesARangePastTheEndAndIgnoresOnesItCannotRead() async throws {
        let app = try await GatewayTestApp()
        let size = Self.mp3.count
        try await app.test { client in
            let id = try await Self.uploadedCall(client, app)
            try await client.execute(
                uri: "/api/calls/\(id)/recording", method: .get,
                headers: app.headers("supervisor", [.range: "bytes=\(size)-"])
            ) { response throws in
                #expect(response.status == .rangeNotSatisfiable)
                #expect(response.headers[.contentRange] == "bytes */\(size)")
                #expect(try GatewayTestApp.errorCode(response) == "range_not_satisfiable")
            }
            for header in ["items=0-10", "bytes=0-1,5-9", "bytes=9-2", "bytes=abc"] {
                try await client.execute(
                    uri: "/api/calls/\(id)/recording", method: .get,
                    headers: app.headers("supervisor", [.range: header])
                ) { response in
                    #expect(response.status == .ok, "\(header)")
                    #expect(response.body.readableBytes == size)
                }
            }
        }
    }

    @Test func keepsRecordingsToThoseWhoMayReadTheCall() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            let id = try await Self.uploadedCall(client, app)
            try await client.execute(uri: "/api/calls/\(id)/recording", method: .get) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/api/calls/\(id)/recording", method: .get, headers: app.headers("bob")) {
                response throws in
                #expect(response.status == .notFound, "another agent's call does not exist for bob")
                #expect(response.body.readableBytes < 200)
            }
            try await client.execute(
                uri: "/api/calls/\(id)/recording?recording_id=rec_nope", method: .get, headers: app.headers("ann")
            ) { #expect($0.status == .notFound) }
            let empty = try await CallsControllerTests.startCall(client, app)
            try await client.execute(
                uri: "/api/calls/\(empty)/recording", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("no recording yet"))
            }
            try await client.execute(uri: "/api/calls/nope/recording", method: .get, headers: app.headers("admin")) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test(arguments: [
        ("bytes=0-0", ByteRange.Request.partial(.init(first: 0, last: 0))),
        ("bytes=5-", .partial(.init(first: 5, last: 9))), ("bytes=-3", .partial(.init(first: 7, last: 9))),
        ("bytes=-30", .partial(.init(first: 0, last: 9))), ("bytes=8-20", .partial(.init(first: 8, last: 9))),
        ("bytes=10-", .unsatisfiable), ("bytes=-0", .unsatisfiable), ("bytes=-", .whole), ("bytes=3-1", .whole),
        ("bytes=1-2,4-5", .whole), ("lines=1-2", .whole), ("bytes=x-2", .whole),
    ])
    func parsesRangeHeadersAgainstATenByteFile(header: String, expected: ByteRange.Request) {
        #expect(ByteRange.parse(header, size: 10) == expected)
    }
}
