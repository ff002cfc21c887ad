import CallPipeCore
import Connectors
import Foundation
import Logging
import MockVendors

/// `seed-demo --vendor-calls N`: the mock Dialpad's calls and the mock ElevenLabs' conversations
/// (N each over the demo's days) imported through a real sync (pages, mapping, the sync log) as
/// demo calls, so the dashboard's Sources, agent activity and voice-bot views have data; without
/// their audio (nothing for the pipeline to do).
enum DemoVendorImport {
    static func run(
        _ count: Int, days: Int, seed: UInt64, store: any ConnectorRepository
    ) async throws -> [SyncRun] {
        let now = Date()
        let window = now.addingTimeInterval(-Double(days) * 86_400)..<now
        let key = "demo-key"
        let dialpad = MockDialpadState(apiKey: key, calls: count, window: window, seed: seed)
        let elevenLabs = MockElevenLabsState(apiKey: key, conversations: count, window: window, seed: seed &+ 1)
        var quiet = Logger(label: "seed-demo")
        quiet.logLevel = .error
        var sync = ConnectorSync(
            store: store, storage: LocalRecordingStorage(directory: ""), recordingsDirectory: "", holder: "seed-demo",
            logger: quiet)
        sync.importsDemoCalls = true
        return try await MockDialpad.run(state: dialpad, logger: quiet) { _, dialpadURL in
            try await MockElevenLabs.run(state: elevenLabs, logger: quiet) { _, elevenLabsURL in
                let sources: [any ConnectorSource] = [
                    WithoutAudio(
                        source: DialpadSource(
                            client: DialpadClient(
                                configuration: .init(
                                    baseURL: dialpadURL, apiKey: key, departmentID: dialpad.departmentID)))),
                    WithoutAudio(
                        source: ElevenLabsSource(
                            client: ElevenLabsClient(
                                configuration: .init(baseURL: elevenLabsURL, apiKey: key, agentID: elevenLabs.agentID)
                            ))),
                ]
                var runs: [SyncRun] = []
                for source in sources {
                    let (run, started) = try await store.startSyncRun(
                        SyncRun(
                            kind: source.kind, trigger: .demo, window: window, startedAt: Date(), holder: "seed-demo",
                            leaseUntil: Date().addingTimeInterval(600)))
                    guard started else {
                        throw CommandFailure(
                            message:
                                "a \(source.kind.rawValue) sync is running (\(run.id)); seed again when it has ended",
                            exitCode: 1)
                    }
                    runs.append(try await sync.run(run, source: source))
                }
                return runs
            }
        }
    }

    /// A vendor's calls without their audio.
    struct WithoutAudio: ConnectorSource {
        let source: any ConnectorSource

        var kind: ConnectorKind { source.kind }
        var requestsUsed: Int { source.requestsUsed }

        func page(in window: Range<Date>, cursor: String?) async throws(ConnectorError) -> SourcePage {
            var page = try await source.page(in: window, cursor: cursor)
            for index in page.calls.indices {
                page.calls[index].hasAudio = false
                page.calls[index].recordingURL = nil
            }
            return page
        }

        func audio(of call: ImportedCall) async throws(ConnectorError) -> Data {
            throw ConnectorError(.rejected, "demo calls have no audio")
        }
    }
}
