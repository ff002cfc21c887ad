package import CallPipeCore
package import Foundation

/// How the connectors run on this node (docs/connectors.md, docs/configuration.md).
package struct ConnectorServiceConfiguration: Sendable {
    /// The vendors' API base URLs when a connector's settings name none:
    /// `CALLPIPE_DIALPAD_URL` / `CALLPIPE_ELEVENLABS_URL`, else the vendors' own (or the dev-mode mocks').
    package var defaultBaseURLs: [ConnectorKind: URL] = [
        .dialpad: DialpadConfiguration.defaultBaseURL, .elevenlabs: ElevenLabsConfiguration.defaultBaseURL,
    ]
    /// Headers added to requests to base URLs under `mockBaseURL` (the dev-mode mocks mounted in
    /// this server want its admin key); never sent anywhere else.
    package var mockBaseURL: String?
    package var mockHeaders: [(String, String)] = []
    /// Requests a run may make (`CALLPIPE_CONNECTOR_REQUEST_BUDGET`).
    package var requestBudget = 10_000
    /// Per request, connect to last byte (`CALLPIPE_CONNECTOR_TIMEOUT`).
    package var timeout: Double = 60
    /// When the previous month is archived.
    package var archiveSchedule = CronSchedule.monthlyArchive
    /// How often schedules are looked at.
    package var tick: Duration = .seconds(30)
    /// A run's claim; renewed with every page.
    package var lease: TimeInterval = 120
    /// At start, take over every run left running, whatever its lease: right when this node is
    /// the only one (SQLite), where a run left running can only be this node's before it stopped.
    package var resumeAllAtStart = false
    /// This node's name on the runs and schedule firings it claims.
    package var holder = ProcessInfo.processInfo.hostName + ":" + String(ProcessInfo.processInfo.processIdentifier)

    package init() {}

    /// The base URL a connector with `settings` talks to.
    package func baseURL(_ settings: ConnectorSettings) -> URL {
        settings.baseURL.flatMap(URL.init(string:)) ?? defaultBaseURLs[settings.kind]!
    }

    /// The headers a request to `url` gets besides the key.
    package func extraHeaders(for url: URL) -> [(String, String)] {
        guard let mockBaseURL, url.absoluteString.hasPrefix(mockBaseURL) else { return [] }
        return mockHeaders
    }
}
