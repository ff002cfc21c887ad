import Analytics
import AsyncHTTPClient
import Audio
import CallPipeCore
import Configuration
import Connectors
import Foundation
import Gateway
import Hummingbird
import Logging
import MockVendors
import PostgresStore

/// The connectors of `serve` and `sync` (docs/connectors.md): the service over the configured
/// store, its secrets (`CALLPIPE_SECRET_KEY` or `<data dir>/secret.key`), the vendors' base URLs
/// (`CALLPIPE_DIALPAD_URL`, `CALLPIPE_ELEVENLABS_URL`) and limits; in dev mode, mock Dialpad and
/// ElevenLabs servers mounted under `/_mock` (behind the admin key) with connectors pointed at
/// them, so a first run can sync without a vendor account.
struct ConnectorSetup {
    let service: ConnectorService
    let mocks: MockVendorRoutes?
    private let host: String
    private let adminKey: String?
    private let mockedKinds: [ConnectorKind]

    static let mockKeys: [ConnectorKind: String] = [.dialpad: "mock-dialpad-key", .elevenlabs: "mock-elevenlabs-key"]

    init(
        store: any ConfiguredStore.Store, storage: any RecordingStorage, reader: ConfigReader,
        dataDirectory: String, recordingsDirectory: String, decoder: AudioFileDecoder, host: String,
        devAdminKey: String?, client: HTTPClient = .shared, logger: Logger
    ) throws(CommandFailure) {
        let secrets: SecretBox
        do {
            secrets = try SecretBox.load(
                environmentValue: reader.string(forKey: "callpipe.secret.key"), dataDirectory: dataDirectory)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        var configuration = ConnectorServiceConfiguration()
        var explicit: Set<ConnectorKind> = []
        let urls = [
            ConnectorKind.dialpad: reader.string(forKey: "callpipe.dialpad.url"),
            .elevenlabs: reader.string(forKey: "callpipe.elevenlabs.url"),
        ]
        for (kind, text) in urls {
            guard let text, !text.isEmpty else { continue }
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw CommandFailure(
                    message: "CALLPIPE_\(kind.rawValue.uppercased())_URL must be an http or https URL", exitCode: 2)
            }
            configuration.defaultBaseURLs[kind] = url
            explicit.insert(kind)
        }
        if let text = reader.string(forKey: "callpipe.connector.request.budget") {
            guard let budget = Int(text), (1...10_000_000).contains(budget) else {
                throw CommandFailure(
                    message: "CALLPIPE_CONNECTOR_REQUEST_BUDGET must be a whole number from 1 to 10000000", exitCode: 2)
            }
            configuration.requestBudget = budget
        }
        if let text = reader.string(forKey: "callpipe.connector.timeout.s") {
            guard let seconds = Double(text), (1...600).contains(seconds) else {
                throw CommandFailure(message: "CALLPIPE_CONNECTOR_TIMEOUT_S must be 1 to 600 seconds", exitCode: 2)
            }
            configuration.timeout = seconds
        }
        // One SQLite node: a run left running is this node's from before it stopped.
        configuration.resumeAllAtStart = !(store is PostgresCallStore)
        let sync = ConnectorSync(
            store: store, storage: storage, recordingsDirectory: recordingsDirectory, probe: decoder,
            holder: configuration.holder, logger: logger)
        let archives = ArchiveKeeper(
            store: store, storage: storage, directory: (dataDirectory as NSString).appendingPathComponent("archives"))
        service = ConnectorService(
            store: store, secrets: secrets, configuration: configuration, sync: sync, archives: archives,
            client: client, logger: logger)
        self.host = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
        adminKey = devAdminKey
        mockedKinds = ConnectorKind.allCases.filter { !explicit.contains($0) }
        if devAdminKey != nil, reader.bool(forKey: "callpipe.connector.mock", default: true), !mockedKinds.isEmpty {
            let now = Date()
            let window = now.addingTimeInterval(-60 * 86_400)..<now
            mocks = MockVendorRoutes(
                dialpad: MockDialpad(
                    state: MockDialpadState(apiKey: Self.mockKeys[.dialpad]!, calls: 1_500, window: window)),
                elevenLabs: MockElevenLabs(
                    state: MockElevenLabsState(
                        apiKey: Self.mockKeys[.elevenlabs]!, conversations: 1_500, window: window)))
        } else {
            mocks = nil
        }
    }

    var adminRoutes: [any AdminRoutes] { mocks.map { [$0] } ?? [] }

    /// Once the server listens: the mocks' base URL (the port may have been 0), and connectors
    /// never set up before pointed at them with the mocks' keys, disabled until the user enables
    /// them or presses "Run now".
    func serverRunning(port: Int) async throws {
        guard let mocks, let adminKey else { return }
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/_mock"
        service.useMocks(baseURL: base, headers: [("X-CallPipe-Key", adminKey)], for: mockedKinds)
        await mocks.dialpad.state.setRecordingBaseURL("\(base)/dialpad")
        for kind in mockedKinds where try await service.store.connectorSettings(kind) == nil {
            let target = kind == .dialpad ? mocks.dialpad.state.departmentID : mocks.elevenLabs.state.agentID
            _ = try await service.update(kind, ConnectorUpdate(apiKey: Self.mockKeys[kind], targetID: target))
        }
    }
}

/// The mock vendors mounted into a dev-mode server under `/_mock/dialpad` and
/// `/_mock/elevenlabs`, behind an admin key.
struct MockVendorRoutes: AdminRoutes {
    let dialpad: MockDialpad
    let elevenLabs: MockElevenLabs

    var pathPrefix: String { "_mock" }

    func register(on group: RouterGroup<GatewayRequestContext>) {
        dialpad.register(on: group.group("dialpad"))
        elevenLabs.register(on: group.group("elevenlabs"))
    }
}
