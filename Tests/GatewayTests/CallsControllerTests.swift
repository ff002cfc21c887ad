import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CallPipeCore
@testable import Gateway
@testable import SQLiteStore

@Suite("Call routes", .timeLimit(.minutes(3)))
struct CallsControllerTests {
    static func startCall(_ client: some TestClientProtocol, _ app: GatewayTestApp, as who: String = "ann") async throws
        -> String
    {
        try await client.execute(
            uri: "/api/calls/start", method: .post, headers: app.headers(who, [.contentType: "application/json"]),
            body: ByteBuffer(
                string: #"{"customer_id":"cust-9","direction":"inbound","metadata":{"zendesk_ticket":"42"}}"#)
        ) { response throws in
            #expect(response.status == .created)
            return try GatewayTestApp.json(response)["id"] as! String
        }
    }

    @Test func requiresAKeyAndChecksRoles() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: "/api/calls/history", method: .get) { response throws in
                #expect(response.status == .unauthorized && response.headers[.wwwAuthenticate] == "Bearer")
                #expect(try GatewayTestApp.errorCode(response) == "unauthorized")
            }
            try await client.execute(
                uri: "/api/calls/history", method: .get, headers: [.authorization: "Bearer cp_agent_nope"]
            ) {
                #expect($0.status == .unauthorized)
            }
            // Keys in URLs end up in logs and histories: only WebSocket upgrades take ?token=.
            try await client.execute(uri: "/api/calls/history?token=\(app.keys["supervisor"]!)", method: .get) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/calls/start", method: .post, headers: app.headers("supervisor"),
                body: ByteBuffer(string: #"{"agent_id":"ann"}"#)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/api/calls/start", method: .post, headers: app.headers("ann"),
                body: ByteBuffer(string: #"{"agent_id":"bob"}"#)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/no/such/route", method: .get, headers: app.headers("admin")) {
                response throws in
                #expect(response.status == .notFound)
                #expect(try GatewayTestApp.errorCode(response) == "not_found")
            }
        }
    }

    @Test(arguments: [
        (#"{"agent_id": 5}"#, "invalid_json"), ("{not json", "invalid_json"),
        (#"{"direction":"sideways"}"#, "invalid_field"),
        (#"{"channel_map":["agent","dog"]}"#, "invalid_field"), ("", "invalid_json"),
    ])
    func rejectsBadCallStarts(body: String, code: String) async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(
                uri: "/api/calls/start", method: .post, headers: app.headers("ann"), body: ByteBuffer(string: body)
            ) { response throws in
                #expect(response.status == .badRequest)
                #expect(try GatewayTestApp.errorCode(response) == code)
            }
        }
    }

    @Test func acceptsRawAndMultipartUploadsOnceEach() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            let id = try await Self.startCall(client, app)
            try await client.execute(
                uri: "/api/calls/\(id)/audio", method: .post,
                headers: app.headers(
                    "ann", [.contentType: "audio/mpeg", HTTPField.Name("Idempotency-Key")!: "upload-1"]),
                body: try GatewayTestApp.fixture("call.mp3")
            ) { response throws in
                #expect(response.status == .accepted)
                let json = try GatewayTestApp.json(response)
                #expect(
                    json["status"] as? String == "queued" && json["sequence"] as? Int == 1
                        && json["duplicate"] as? Bool == false)
            }
            try await client.execute(
                uri: "/api/calls/\(id)/audio", method: .post,
                headers: app.headers(
                    "ann", [.contentType: "audio/mpeg", HTTPField.Name("Idempotency-Key")!: "upload-1"]),
                body: try GatewayTestApp.fixture("call.mp3")
            ) { response throws in
                #expect(response.status == .accepted)
                #expect(try GatewayTestApp.json(response)["duplicate"] as? Bool == true)
            }
            var form = ByteBuffer(string: "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
            form.writeString(
                "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"call.opus\"\r\nContent-Type: audio/ogg\r\n\r\n"
            )
            var opus = try GatewayTestApp.fixture("call.opus")
            form.writeBuffer(&opus)
            form.writeString("\r\n--XyZ--\r\n")
            try await client.execute(
                uri: "/api/calls/\(id)/audio", method: .post,
                headers: app.headers("ann", [.contentType: "multipart/form-data; boundary=XyZ"]), body: form
            ) { response throws in
                #expect(response.status == .accepted, "\(String(buffer: response.body))")
                #expect(try GatewayTestApp.json(response)["sequence"] as? Int == 2)
            }
            let recordings = try await app.store.recordings(callID: id)
            #expect(recordings.map(\.format) == ["mp3", "ogg"] && recordings.map(\.codec) == ["mp3", "opus"])
            #expect(recordings.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
            let opusSize = try Data(contentsOf: GatewayTestApp.fixtures.appendingPathComponent("call.opus")).count
            #expect(recordings[1].bytes == Int64(opusSize))
            #expect(try await app.store.jobs(callID: id).count == 2)
        }
    }

    @Test func refusesHostileRecordingsWithTheReasonAndNoServerPath() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            let id = try await Self.startCall(client, app)
            let cases: [(ByteBuffer, String)] = [
                (Self.silentWAV(rate: 2_000, channels: 1), "the recording: the audio's sample rate is 2000 Hz"),
                (Self.silentWAV(rate: 8_000, channels: 9), "the recording: the audio has 9 channels"),
                (try GatewayTestApp.fixture("hostile/playlist.m3u8"), "Apple HTTP Live Streaming (hls)"),
            ]
            for (body, reason) in cases {
                try await client.execute(
                    uri: "/api/calls/\(id)/audio", method: .post,
                    headers: app.headers("ann", [.contentType: "application/octet-stream"]), body: body
                ) { response throws in
                    #expect(response.status == .unsupportedMediaType)
                    let error = try #require(try GatewayTestApp.json(response)["error"] as? [String: Any])
                    let message = try #require(error["message"] as? String)
                    #expect(message.contains(reason), "\(message)")
                    #expect(!message.contains(app.configuration.storage.dataDirectory) && !message.contains("/"))
                }
            }
            #expect(try await app.store.recordings(callID: id).isEmpty)
        }
    }

    /// One second of 16-bit silence behind a WAV header declaring any rate and channel count.
    static func silentWAV(rate: Int, channels: Int) -> ByteBuffer {
        func le(_ value: Int, _ bytes: Int) -> [UInt8] {
            (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        let size = rate * channels * 2
        var bytes = Array("RIFF".utf8) + le(36 + size, 4) + Array("WAVEfmt ".utf8) + le(16, 4) + le(1, 2)
        bytes += le(channels, 2) + le(rate, 4) + le(size, 4) + le(channels * 2, 2) + le(16, 2)
        bytes += Array("data".utf8) + le(size, 4) + [UInt8](repeating: 0, count: size)
        return ByteBuffer(bytes: bytes)
    }

    @Test func refusesBadUploadsWithTheirOwnStatus() async throws {
        let app = try await GatewayTestApp(maxUploadBytes: 100_000)
        try await app.test { client in
            let id = try await Self.startCall(client, app)
            let mp3 = try Data(contentsOf: GatewayTestApp.fixtures.appendingPathComponent("excerpt-alaw.wav"))
            let cases: [(String, ByteBuffer, HTTPResponse.Status, String)] = [
                (
                    "audio/mpeg", ByteBuffer(string: "this is not audio at all"), .unsupportedMediaType,
                    "unsupported_audio"
                ),
                ("audio/wav", ByteBuffer(bytes: mp3.prefix(mp3.count / 2)), .unprocessableContent, "unreadable_audio"),
                ("application/json", ByteBuffer(string: "{}"), .unsupportedMediaType, "unsupported_media_type"),
                ("audio/wav", ByteBuffer(), .badRequest, "empty_body"),
                ("audio/mpeg", try GatewayTestApp.fixture("call.mp3"), .contentTooLarge, "too_large"),
                (
                    "multipart/form-data; boundary=B",
                    ByteBuffer(string: "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--B--\r\n"),
                    .badRequest, "missing_file"
                ),
            ]
            for (type, body, status, code) in cases {
                try await client.execute(
                    uri: "/api/calls/\(id)/audio", method: .post, headers: app.headers("ann", [.contentType: type]),
                    body: body
                ) { response throws in
                    #expect(response.status == status, "\(type): \(String(buffer: response.body))")
                    #expect(try GatewayTestApp.errorCode(response) == code)
                }
            }
            #expect(try await app.store.recordings(callID: id).isEmpty)
            let leftovers = try FileManager.default.contentsOfDirectory(
                atPath: app.configuration.uploads.directory + "/\(id)")
            #expect(leftovers.isEmpty, "\(leftovers)")
            for (uri, who, status) in [
                ("/api/calls/call_unknown/audio", "ann", HTTPResponse.Status.notFound),
                ("/api/calls/\(id)/audio", "bob", .notFound),
                ("/api/calls/..%2F..%2Fetc/audio", "ann", .notFound),
                ("/api/calls/\(id)/audio", "supervisor", .forbidden),
            ] {
                try await client.execute(
                    uri: uri, method: .post, headers: app.headers(who, [.contentType: "audio/wav"]),
                    body: ByteBuffer(bytes: mp3)
                ) {
                    #expect($0.status == status, "\(uri) as \(who)")
                }
            }
            try await client.execute(uri: "/api/calls/\(id)/end", method: .post, headers: app.headers("ann")) {
                #expect($0.status == .ok)
            }
            try await client.execute(
                uri: "/api/calls/\(id)/audio", method: .post, headers: app.headers("ann", [.contentType: "audio/wav"]),
                body: ByteBuffer(bytes: mp3)
            ) { response throws in
                #expect(response.status == .conflict)
                #expect(try GatewayTestApp.errorCode(response) == "call_ended")
            }
        }
    }

    @Test func servesHistorySearchAndTranscriptsToThoseAllowed() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            let annCall = try await Self.startCall(client, app, as: "ann")
            _ = try await Self.startCall(client, app, as: "bob")
            try await TranscriptSeeder.seed(app.store, callID: annCall)
            try await client.execute(
                uri: "/api/calls/history?page_size=1", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                let json = try GatewayTestApp.json(response)
                #expect(
                    json["total"] as? Int == 2 && (json["calls"] as? [Any])?.count == 1
                        && json["page_size"] as? Int == 1)
            }
            try await client.execute(uri: "/api/calls/history", method: .get, headers: app.headers("bob")) {
                response throws in
                #expect((try GatewayTestApp.json(response)["total"]) as? Int == 1)
            }
            for query in ["page=0", "page_size=9999", "status=bogus", "from=yesterday"] {
                try await client.execute(
                    uri: "/api/calls/history?\(query)", method: .get, headers: app.headers("admin")
                ) {
                    #expect($0.status == .badRequest, "\(query)")
                }
            }
            try await client.execute(
                uri: "/api/calls/search?q=router", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                let results = try GatewayTestApp.json(response)["results"] as? [[String: Any]]
                #expect(results?.first?["call_id"] as? String == annCall)
                #expect((results?.first?["snippet"] as? String)?.contains("[router]") == true)
            }
            try await client.execute(uri: "/api/calls/search?q=router", method: .get, headers: app.headers("bob")) {
                response throws in
                #expect((try GatewayTestApp.json(response)["results"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/api/calls/search?q=router", method: .get, headers: app.headers("ann")) {
                response throws in
                let results = try GatewayTestApp.json(response)["results"] as? [[String: Any]]
                let ids = results?.compactMap { $0["call_id"] as? String } ?? []
                #expect(!ids.isEmpty && ids.allSatisfy { $0 == annCall })
            }
            try await client.execute(uri: "/api/calls/search?q=", method: .get, headers: app.headers("bob")) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/calls/\(annCall)", method: .get, headers: app.headers("bob")) {
                #expect($0.status == .notFound)
            }
            try await client.execute(
                uri: "/api/calls/\(annCall)/transcript?format=srt", method: .get, headers: app.headers("ann")
            ) { response throws in
                #expect(response.headers[.contentType]?.hasPrefix("application/x-subrip") == true)
                #expect(
                    String(buffer: response.body).hasPrefix(
                        "1\n00:00:00,600 --> 00:00:05,380\nagent: Thank you for calling."))
            }
            try await client.execute(
                uri: "/api/calls/\(annCall)/transcript?format=vtt", method: .get, headers: app.headers("ann")
            ) {
                #expect(String(buffer: $0.body).hasPrefix("WEBVTT\n\n00:00:00.600 --> 00:00:05.380\n<v agent>"))
            }
            try await client.execute(
                uri: "/api/calls/\(annCall)/transcript?format=doc", method: .get, headers: app.headers("ann")
            ) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/calls/\(annCall)", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let json = try GatewayTestApp.json(response)
                #expect(json["id"] as? String == annCall && json["agent_id"] as? String == "ann")
                #expect(((json["transcript"] as? [String: Any])?["segments"] as? [Any])?.count == 2)
                #expect(json["is_final"] as? Bool == false && json["summary_version"] as? Int == 1)
            }
            try await client.execute(
                uri: "/api/calls/\(annCall)/summary", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                #expect(
                    (try GatewayTestApp.json(response)["insights"] as? [String: Any])?["analyzer"] as? String
                        == "heuristic")
            }
        }
    }
}
