import Audio
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// The fake's two endpoints.
struct FakeOpenAIRoutes: Sendable {
    let state: FakeOpenAIState
    let apiKey: String

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/audio/transcriptions") { request, _ in try await handle(request, kind: .transcription) }
        router.post("/v1/chat/completions") { request, _ in try await handle(request, kind: .chat) }
    }

    enum Kind { case transcription, chat }

    private func handle(_ request: Request, kind: Kind) async throws -> Response {
        let body = Data(buffer: try await request.body.collect(upTo: 30 * 1_024 * 1_024))
        let contentType = request.headers[.contentType] ?? ""
        var recorded = FakeOpenAIState.Recorded(
            path: request.uri.path, authorization: request.headers[.authorization], parts: [], body: body)
        var violations: [String] = []
        if recorded.authorization != "Bearer \(apiKey)" { violations.append("missing or wrong bearer key") }
        switch kind {
        case .transcription:
            if let parts = MultipartParser.parse(body, contentType: contentType) {
                recorded.parts = parts
                violations += FakeOpenAIValidation.transcription(parts)
            } else {
                violations.append("transcription body is not multipart/form-data")
            }
        case .chat:
            violations += recorded.json.map(FakeOpenAIValidation.chat) ?? ["chat body is not JSON"]
        }
        let behaviour = await state.begin(recorded, violations: violations)
        let latency = await state.latency
        do {
            if latency > 0 { try await Task.sleep(for: .milliseconds(Int(latency * 1_000))) }
            let response = try await respond(behaviour, kind: kind, recorded: recorded, violations: violations)
            await state.end()
            return response
        } catch {
            await state.end()
            throw error
        }
    }

    private func respond(
        _ behaviour: FakeOpenAIState.Behaviour, kind: Kind, recorded: FakeOpenAIState.Recorded, violations: [String]
    ) async throws -> Response {
        if !violations.isEmpty {
            return json(
                400, #"{"error":{"message":"\#(violations.joined(separator: "; "))","type":"invalid_request_error"}}"#)
        }
        switch behaviour {
        case .status(let status, let body, let headers):
            var response = json(status, body)
            for (name, value) in headers { response.headers[HTTPField.Name(name)!] = value }
            return response
        case .delay(let seconds):
            try await Task.sleep(for: .milliseconds(Int(seconds * 1_000)))
        case .stalledBody(let seconds):
            let answer = try await answerBody(kind: kind, behaviour: .answer, recorded: recorded)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: String(answer.prefix(10))))
                    try await Task.sleep(for: .milliseconds(Int(seconds * 1_000)))
                    try await writer.write(ByteBuffer(string: String(answer.dropFirst(10))))
                    try await writer.finish(nil)
                })
        case .truncatedJSON:
            let answer = try await answerBody(kind: kind, behaviour: .answer, recorded: recorded)
            return json(200, String(answer.prefix(answer.count / 2)))
        case .hugeBody:
            return json(200, #"{"text":""# + String(repeating: "x", count: 9 * 1_024 * 1_024) + #""}"#)
        default:
            break
        }
        return json(200, try await answerBody(kind: kind, behaviour: behaviour, recorded: recorded))
    }

    private func answerBody(kind: Kind, behaviour: FakeOpenAIState.Behaviour, recorded: FakeOpenAIState.Recorded)
        async throws -> String
    {
        switch kind {
        case .transcription:
            let file = recorded.parts.first { $0.name == "file" }
            let duration = Self.duration(of: file)
            let text = await state.text(for: file?.filename ?? "") ?? "transcribed \(file?.filename ?? "audio")"
            return FakeOpenAIAnswers.transcription(
                text: text, duration: duration, model: recorded.field("model") ?? "",
                format: recorded.field("response_format") ?? "json",
                words: recorded.parts.contains { $0.name == "timestamp_granularities[]" && $0.text == "word" })
        case .chat:
            return FakeOpenAIAnswers.chat(behaviour: behaviour, request: recorded.json ?? [:])
        }
    }

    private func json(_ status: Int, _ body: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The uploaded audio's duration, read with libsndfile (FLAC and WAV uploads).
    static func duration(of file: MultipartPart?) -> Double {
        guard let file else { return 0 }
        if let seconds = wavDuration(file.data) { return seconds }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fake-upload-\(UUID().uuidString)-\(file.filename ?? "a.wav")")
        defer { try? FileManager.default.removeItem(at: url) }
        guard (try? file.data.write(to: url)) != nil, let reader = try? SoundFileReader(path: url.path) else {
            return 0
        }
        return Double(reader.frames) / Double(reader.sampleRate)
    }

    /// A RIFF WAV's duration from its `fmt ` and `data` chunks, without decoding (the live
    /// benchmark sends hundreds a second); `nil` for anything else.
    static func wavDuration(_ data: Data) -> Double? {
        let bytes = [UInt8](data.prefix(4_096))
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8)
        else { return nil }
        func uint32(_ offset: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        var offset = 12
        var byteRate = 0
        while offset + 8 <= bytes.count {
            let size = uint32(offset + 4)
            if bytes[offset..<offset + 4].elementsEqual("fmt ".utf8), offset + 20 <= bytes.count {
                byteRate = uint32(offset + 16)
            } else if bytes[offset..<offset + 4].elementsEqual("data".utf8) {
                guard byteRate > 0 else { return nil }
                return Double(min(size, data.count - offset - 8)) / Double(byteRate)
            }
            offset += 8 + size + size % 2
        }
        return nil
    }
}
