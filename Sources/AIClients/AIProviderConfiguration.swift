package import Configuration

/// Which AI service transcribes and analyses calls, and how to reach it (docs/ARCHITECTURE.md §7).
///
/// `openai` talks to the OpenAI API or any OpenAI-compatible server at `baseURL`; `local` uses the
/// bundled offline Whisper server and the heuristic analyzer, and needs no key. The key is
/// marked secret for swift-configuration and never printed: `description` masks it.
package struct AIProviderConfiguration: Sendable, Equatable, CustomStringConvertible {
    package enum Provider: String, Sendable, Equatable, CaseIterable {
        case openai
        case local
    }

    /// The OpenAI API's own address, the default base URL.
    package static let officialBaseURL = "https://api.openai.com/v1"

    package var provider: Provider
    package var apiKey: String?
    package var baseURL: String
    package var transcriptionModel: String
    package var analysisModel: String
    /// An extra trusted CA certificate (PEM) for self-hosted OpenAI-compatible servers.
    package var caFile: String?
    /// Where the bundled offline transcription server lives, when not in the checkout's
    /// `tools/local-whisper`.
    package var localWhisperDirectory: String?
    /// Requests in flight at once for live calls' utterances (`CALLPIPE_LIVE_AI_CONCURRENCY`),
    /// apart from the post-call pipeline's so neither starves the other.
    package var liveConcurrency = 64

    package init(
        provider: Provider = .local, apiKey: String? = nil, baseURL: String = "https://api.openai.com/v1",
        transcriptionModel: String = "whisper-1", analysisModel: String = "gpt-4o-mini", caFile: String? = nil,
        localWhisperDirectory: String? = nil
    ) {
        self.provider = provider
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.transcriptionModel = transcriptionModel
        self.analysisModel = analysisModel
        self.caFile = caFile
        self.localWhisperDirectory = localWhisperDirectory
    }

    /// Reads `CALLPIPE_AI_PROVIDER`, `OPENAI_API_KEY`, `OPENAI_BASE_URL`,
    /// `CALLPIPE_TRANSCRIPTION_MODEL`, `CALLPIPE_ANALYSIS_MODEL`, `CALLPIPE_CA_FILE` and
    /// `CALLPIPE_LOCAL_WHISPER_DIR` and `CALLPIPE_LIVE_AI_CONCURRENCY`.
    /// The provider defaults to `openai` when a key is set, else `local`.
    package init(reader: ConfigReader) throws(AIClientError) {
        let key = reader.string(forKey: "openai.api.key", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        let providerName = reader.string(forKey: "callpipe.ai.provider") ?? (key == nil ? "local" : "openai")
        guard let provider = Provider(rawValue: providerName.lowercased()) else {
            throw AIClientError(
                .configuration,
                "CALLPIPE_AI_PROVIDER is \"\(providerName)\"; use one of: "
                    + Provider.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let baseURL = reader.string(forKey: "openai.base.url", default: Self.officialBaseURL)
        // Self-hosted compatible servers often need no key; the OpenAI API always does.
        if provider == .openai, key == nil, baseURL == Self.officialBaseURL {
            throw AIClientError(
                .configuration, "CALLPIPE_AI_PROVIDER is openai but OPENAI_API_KEY is not set; set the key or use local"
            )
        }
        self.init(
            provider: provider, apiKey: key, baseURL: baseURL,
            transcriptionModel: reader.string(forKey: "callpipe.transcription.model", default: "whisper-1"),
            analysisModel: reader.string(forKey: "callpipe.analysis.model", default: "gpt-4o-mini"),
            caFile: reader.string(forKey: "callpipe.ca.file"),
            localWhisperDirectory: reader.string(forKey: "callpipe.local.whisper.dir"))
        do {
            liveConcurrency = try reader.integer(
                "callpipe.live.ai.concurrency", "CALLPIPE_LIVE_AI_CONCURRENCY", in: 1...4_096, default: liveConcurrency)
        } catch {
            throw AIClientError(.configuration, String(describing: error))
        }
    }

    /// The key as logs and responses may show it: `sk-…abcd`, or `none`.
    package var maskedAPIKey: String {
        guard let apiKey else { return "none" }
        guard apiKey.count > 12 else { return "***" }
        return "\(apiKey.prefix(3))…\(apiKey.suffix(4))"
    }

    package var description: String {
        "AIProviderConfiguration(provider: \(provider.rawValue), baseURL: \(baseURL), "
            + "transcriptionModel: \(transcriptionModel), analysisModel: \(analysisModel), apiKey: \(maskedAPIKey))"
    }
}
