import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing

/// Redaction on a real `callpipe serve` with the offline default (the local Whisper server): the
/// billing call (`Fixtures/audio/pii-call.mp3`, a card number, a date of birth and an e-mail said
/// aloud) uploaded and streamed live. None of them may be found in the database files (FTS
/// included), the API's answers and exports, search, the rooms' events, the mock CRM's requests,
/// the server's log or — transcribed again — the recording; the typed tokens stand in their place.
@Suite(
    "Redaction end to end",
    .enabled(
        if: FileManager.default.isExecutableFile(
            atPath: CallPipeBinary.fixtures.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("tools/local-whisper/.venv/bin/python").path),
        "tools/local-whisper/.venv is missing: run scripts/setup"),
    .serialized, .timeLimit(.minutes(3)))
struct RedactionEndToEndTests {
    static let fixture = CallPipeBinary.fixtures.appendingPathComponent("pii-call.mp3")

    /// What the call must not show anywhere: the card's digits (however grouped), the e-mail's
    /// parts, the birth year. `text` is anything read back; `strict` adds the year and the month
    /// (for texts that are only what was said — a database file also holds numbers of its own).
    static func leaks(in text: String, strict: Bool = true) -> [String] {
        var found: [String] = []
        let digits = text.filter(\.isNumber)
        if digits.contains("42424242") { found.append("card digits") }
        let lower = text.lowercased()
        for word in ["smith", "gmail"] where lower.contains(word) { found.append("e-mail: \(word)") }
        if strict, text.contains("1985") { found.append("birth year") }
        if strict, lower.contains("march 3") { found.append("birth date") }
        return found
    }

    @Test func anUploadedCallKeepsNoneOfItAnywhere() async throws {
        try await upload(environment: [:])
    }

    /// The same call with the audio kept as it was (`text`): the checks that must then fail do —
    /// the recording, transcribed again, still says the card's digits (so the check above can fail).
    @Test func withTextOnlyTheRecordingStillSaysItAndTheChecksSeeIt() async throws {
        await withKnownIssue("CALLPIPE_REDACT=text leaves the audio as it was") {
            try await upload(environment: ["CALLPIPE_REDACT": "text"])
        }
    }

    /// With `CALLPIPE_PII_KEEP_ORIGINAL`, the original is kept sealed beside the redacted file:
    /// unreadable as audio, and `callpipe unseal` with the key gives back the uploaded bytes.
    @Test func aSealedOriginalOpensWithItsKeyOnly() async throws {
        let key = Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()
        try await withServer(environment: ["CALLPIPE_PII_KEEP_ORIGINAL": key]) { server, port, admin, _ in
            let client = HTTPClient.shared
            let base = "http://127.0.0.1:\(port)"
            let (_, started) = try await ServerRestartTests.request(
                client, .POST, "\(base)/api/calls/start", key: admin, contentType: "application/json",
                body: Data(#"{"agent_id":"ann"}"#.utf8))
            let callID = try #require(started["id"] as? String)
            _ = try await ServerRestartTests.request(
                client, .POST, "\(base)/api/calls/\(callID)/audio", key: admin, contentType: "audio/mpeg",
                body: try Data(contentsOf: Self.fixture))
            _ = try await ServerRestartTests.request(client, .POST, "\(base)/api/calls/\(callID)/end", key: admin)
            var detail: [String: Any] = [:]
            for _ in 0..<600 {
                (_, detail) = try await ServerRestartTests.request(
                    client, .GET, "\(base)/api/calls/\(callID)", key: admin)
                if ["done", "failed"].contains(detail["status"] as? String) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let audio = (detail["redaction"] as? [String: Any])?["audio"] as? [[String: Any]] ?? []
            #expect(audio.first?["original"] as? String == "sealed", "\(detail["redaction"] ?? "")")
            let directory = server.dataDirectory.appendingPathComponent("recordings/\(callID)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            let sealed = try #require(files.first { $0.hasSuffix(".sealed") }, "\(files)")
            #expect(!files.contains { $0.hasSuffix(".mp3") }, "the plain original is gone: \(files)")
            let sealedPath = directory.appendingPathComponent(sealed).path
            let sealedBytes = try Data(contentsOf: URL(fileURLWithPath: sealedPath))
            #expect(!String(decoding: sealedBytes.prefix(4), as: UTF8.self).hasPrefix("ID3"))
            let out = server.dataDirectory.appendingPathComponent("original.mp3").path
            let wrong = try await CallPipeBinary.run(
                ["unseal", sealedPath, "--out", out],
                environment: ["CALLPIPE_PII_KEEP_ORIGINAL": Data(repeating: 1, count: 32).base64EncodedString()])
            #expect(wrong.status == 1 && wrong.stderr.contains("does not open with this key"), "\(wrong.stderr)")
            #expect(!wrong.stderr.contains(key))
            let opened = try await CallPipeBinary.run(
                ["unseal", sealedPath, "--out", out], environment: ["CALLPIPE_PII_KEEP_ORIGINAL": key])
            #expect(opened.status == 0, "\(opened.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: Self.fixture))
            try await server.stop()
            #expect(
                !((try? String(contentsOf: server.log, encoding: .utf8)) ?? key).contains(key), "the key is not logged")
        }
    }

    func upload(environment: [String: String]) async throws {
        try await withServer(environment: environment) { server, port, key, floor in
            let client = HTTPClient.shared
            let base = "http://127.0.0.1:\(port)"
            let (_, started) = try await ServerRestartTests.request(
                client, .POST, "\(base)/api/calls/start", key: key, contentType: "application/json",
                body: Data(#"{"agent_id":"ann"}"#.utf8))
            let callID = try #require(started["id"] as? String)
            let (status, _) = try await ServerRestartTests.request(
                client, .POST, "\(base)/api/calls/\(callID)/audio", key: key, contentType: "audio/mpeg",
                body: try Data(contentsOf: Self.fixture))
            #expect(status == 202)
            _ = try await ServerRestartTests.request(client, .POST, "\(base)/api/calls/\(callID)/end", key: key)
            try await Self.checkEverywhere(callID: callID, server: server, base: base, key: key, floor: floor)
        }
    }

    @Test func aLiveCallKeepsNoneOfItInItsLinesOrAfter() async throws {
        try await withServer { server, port, key, floor in
            let replay = try await CallPipeBinary.run(
                [
                    "replay", Self.fixture.path, "--server", "http://127.0.0.1:\(port)", "--token", key,
                    "--agent-id", "ann", "--protocol", "pcm", "--speed", "2", "--json",
                ], environment: [:])
            #expect(replay.status == 0, "\(replay.stdout) \(replay.stderr)")
            let events = await floor.frames
            let lines = events.filter {
                $0.contains(#""type":"transcript_update""#) && $0.contains(#""source":"live""#)
            }
            #expect(lines.count >= 5, "live lines: \(lines)")
            #expect(lines.contains { $0.contains("[CARD_NUMBER]") }, "\(lines)")
            for line in lines { #expect(Self.leaks(in: line).isEmpty, "\(line)") }
            let callID = try #require(
                events.lazy.compactMap { frame -> String? in
                    guard frame.contains(#""source":"live""#),
                        let object = try? JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any]
                    else { return nil }
                    return object["session_id"] as? String
                }.first)
            // The live recording is transcribed again after the call; on some machines the tiny
            // model hears "I was born on" as "your data worth, long": the date is then redacted as a
            // card expiry (a date after a card number) — typed either way, and never leaked.
            try await Self.checkEverywhere(
                callID: callID, server: server, base: "http://127.0.0.1:\(port)", key: key, floor: floor,
                dateKinds: ["date_of_birth", "card_expiry"])
        }
    }

    /// Waits for the call to be done and its CRM deliveries delivered, then looks everywhere.
    static func checkEverywhere(
        callID: String, server: ServerRestartTests.ServerProcess, base: String, key: String,
        floor: ReplayCommandTests.Frames, dateKinds: [String] = ["date_of_birth"]
    ) async throws {
        let client = HTTPClient.shared
        var detail: [String: Any] = [:]
        for _ in 0..<600 {
            (_, detail) = try await ServerRestartTests.request(client, .GET, "\(base)/api/calls/\(callID)", key: key)
            let deliveries = detail["crm_deliveries"] as? [[String: Any]] ?? []
            if detail["status"] as? String == "done", deliveries.count == 4,
                deliveries.allSatisfy({ $0["state"] as? String == "delivered" })
            {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(detail["status"] as? String == "done", "\(detail["failure_reason"] ?? "")")
        // The typed tokens stand where the values were, and the call says what was redacted.
        let transcript = (detail["transcript"] as? [String: Any])?["segments"] as? [[String: Any]] ?? []
        let text = transcript.compactMap { $0["text"] as? String }.joined(separator: "\n")
        for token in ["[CARD_NUMBER]", "[EMAIL]"] { #expect(text.contains(token), "\(text)") }
        let dateTokens = dateKinds.map { "[\($0.uppercased())]" }
        #expect(dateTokens.contains { text.contains($0) }, "\(text)")
        #expect(text.contains("card number"), "the agent's words stay: \(text)")
        let redaction = try #require(detail["redaction"] as? [String: Any])
        let counts = redaction["counts"] as? [String: Int] ?? [:]
        #expect(counts["card_number", default: 0] >= 1 && counts["email", default: 0] >= 1)
        #expect(dateKinds.contains { counts[$0, default: 0] >= 1 }, "\(counts)")
        let audio = redaction["audio"] as? [[String: Any]] ?? []
        #expect(audio.count == 1 && audio.first?["original"] as? String == "deleted")
        let recordings = detail["recordings"] as? [[String: Any]] ?? []
        #expect(recordings.allSatisfy { $0["format"] as? String == "flac" }, "the recording is the redacted file")
        let detailText = String(decoding: try JSONSerialization.data(withJSONObject: detail), as: UTF8.self)
        #expect(leaks(in: detailText, strict: false).isEmpty, "call detail")
        #expect(leaks(in: text).isEmpty, "transcript lines: \(text)")
        // Exports and search.
        for format in ["txt", "srt", "vtt"] {
            let body = try await raw(client, "\(base)/api/calls/\(callID)/transcript?format=\(format)", key: key)
            #expect(leaks(in: body).isEmpty, "\(format) export")
        }
        for query in ["4242", "smith", "gmail", "1985"] {
            let (_, hits) = try await ServerRestartTests.request(
                client, .GET, "\(base)/api/calls/search?q=\(query)", key: key)
            #expect((hits["results"] as? [Any] ?? []).isEmpty, "search \(query): \(hits)")
        }
        // The admin audit: decisions and hashes, never the values.
        let audit = try await raw(client, "\(base)/api/calls/\(callID)/redactions", key: key)
        #expect(audit.contains(#""outcome":"card_number""#), "\(audit)")
        #expect(leaks(in: audit, strict: false).isEmpty, "audit")
        // Rooms, CRM requests.
        for frame in await floor.frames { #expect(leaks(in: frame).isEmpty, "room event: \(frame)") }
        let requests = try await raw(client, "\(base)/_mock/requests", key: key)
        #expect(requests.contains(callID), "the mock CRM saw the call")
        #expect(leaks(in: requests).isEmpty, "CRM requests")
        // The recording, transcribed again: the muted stretches say nothing.
        let directory = server.dataDirectory
        let recording = directory.appendingPathComponent("redacted-\(callID).flac")
        try await bytes(client, "\(base)/api/calls/\(callID)/recording", key: key).write(to: recording)
        let heard = try await CallPipeBinary.run(["transcribe", "--json", recording.path], environment: [:])
        #expect(heard.status == 0, "\(heard.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(heard.stdout.utf8)) as? [String: Any] ?? [:]
        let heardLines = ((report["transcript"] as? [String: Any])?["segments"] as? [[String: Any]] ?? [])
            .compactMap { $0["text"] as? String }.joined(separator: "\n")
        #expect(heardLines.contains("card number"), "the rest of the call is still there: \(heardLines)")
        #expect(leaks(in: heardLines).isEmpty, "the redacted recording, transcribed again: \(heardLines)")
        try await server.stop()
        // On disk: only the redacted recording is left, and no file of the data directory holds
        // the card's digits or the e-mail (the database, its WAL, the FTS index).
        let files = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []
        #expect(!files.contains { $0.hasSuffix(".mp3") || $0.hasSuffix(".wav") && $0.contains(callID) }, "\(files)")
        for file in files where !file.hasSuffix(".flac") && !file.hasPrefix("redacted-") {
            let data = (try? Data(contentsOf: directory.appendingPathComponent(file))) ?? Data()
            #expect(leaks(in: String(decoding: data, as: UTF8.self), strict: false).isEmpty, "\(file)")
        }
    }

    /// A GET's body as text.
    static func raw(_ client: HTTPClient, _ url: String, key: String) async throws -> String {
        String(decoding: try await bytes(client, url, key: key), as: UTF8.self)
    }

    static func bytes(_ client: HTTPClient, _ url: String, key: String) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await client.execute(request, timeout: .seconds(30))
        return Data(buffer: try await response.body.collect(upTo: 50 << 20))
    }

    /// A server with the offline default and an admin key, and the floor's events.
    func withServer(
        environment: [String: String] = [:],
        _ body: (ServerRestartTests.ServerProcess, Int, String, ReplayCommandTests.Frames) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyOutput = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path], environment: [:])
        let key = try #require(keyOutput.stdout.split(separator: "\n").last.map(String.init))
        let server = try ServerRestartTests.ServerProcess(
            dataDirectory: directory,
            environment: ["CALLPIPE_AI_PROVIDER": "local", "LOG_LEVEL": "info"].merging(environment) { $1 })
        do {
            let port = try await server.port()
            let floor = ReplayCommandTests.Frames()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.watch(port: port, key: key, into: floor) }
                while await !floor.ready { try await Task.sleep(for: .milliseconds(20)) }
                try await body(server, port, key, floor)
                group.cancelAll()
            }
            try await server.stop()
            let log = (try? String(contentsOf: server.log, encoding: .utf8)) ?? ""
            #expect(Self.leaks(in: log, strict: false).isEmpty, "the server's log")
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// Every event of the floor, until cancelled.
    static func watch(port: Int, key: String, into frames: ReplayCommandTests.Frames) async throws {
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?token=\(key)", logger: Logger(label: "test"))
        {
            inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"join_floor"}"#))
            await frames.setReady()
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .text(let text) = message { await frames.add(text) }
            }
        }
    }
}
