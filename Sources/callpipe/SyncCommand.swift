import ArgumentParser
import Audio
import CallPipeCore
import Connectors
import Foundation
import Gateway
import Logging

/// `callpipe sync KIND [--from DATE] [--to DATE]`: one sync of a connector, here and now, with the
/// settings saved through the API (docs/connectors.md). Prints the run as the sync log shows it;
/// exits 1 when the run failed or paused. The imported recordings are processed by the server's
/// workers.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Pull calls from a connector (dialpad or elevenlabs) now.")

    @Argument(help: "dialpad or elevenlabs.")
    var kind: String

    @Option(help: "Start of the window (ISO 8601 or YYYY-MM-DD, UTC); default: where the last run ended.")
    var from: String?

    @Option(help: "End of the window (exclusive); default: now.")
    var to: String?

    @Option(help: "Directory for the database and recordings (CALLPIPE_DATA_DIR).")
    var dataDir: String?

    func validate() throws {
        guard ConnectorKind(rawValue: kind) != nil else { throw ValidationError("KIND must be dialpad or elevenlabs") }
        if let from, Self.date(from) == nil { throw ValidationError("--from must be ISO 8601 or YYYY-MM-DD") }
        if let to, Self.date(to) == nil { throw ValidationError("--to must be ISO 8601 or YYYY-MM-DD") }
    }

    static func date(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text + "T00:00:00Z", strategy: .iso8601)
    }

    func run() async throws {
        let kind = ConnectorKind(rawValue: kind)!
        let reader = try await ConfigurationReader.make()
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration(reader: reader, dataDirectory: dataDir)
        } catch {
            throw CommandFailure(message: String(describing: error), exitCode: 2)
        }
        var logger = Logger(label: "callpipe")
        logger.logLevel = .warning
        let storage = try await ConfiguredRecordingStorage.make(
            reader: reader, dataDirectory: configuration.storage.dataDirectory,
            recordingsDirectory: configuration.uploads.directory, logger: logger)
        let run = try await ConfiguredStore.with(configuration.storage, logger: logger) { store in
            let setup = try ConnectorSetup(
                store: store, storage: storage, reader: reader, dataDirectory: configuration.storage.dataDirectory,
                recordingsDirectory: configuration.uploads.directory,
                decoder: AudioFileDecoder(configuration: configuration.decoding), host: configuration.host,
                devAdminKey: nil, logger: logger)
            let now = Date()
            var window: Range<Date>?
            if from != nil || to != nil {
                let end = to.flatMap(Self.date) ?? now
                var start = from.flatMap(Self.date)
                if start == nil { start = try await setup.service.defaultWindow(kind, now: end).lowerBound }
                guard let start else { throw CommandFailure(message: "--from is missing", exitCode: 2) }
                guard start < end else { throw CommandFailure(message: "--from must be before --to", exitCode: 2) }
                window = start..<end
            }
            do {
                return try await setup.service.runSync(kind, window: window, trigger: .cli)
            } catch let error as CallPipeError where error.code == .invalid || error.code == .conflict {
                throw CommandFailure(message: error.message, exitCode: 2)
            }
        }
        let formatter = ISO8601DateFormatter()
        print(
            """
            \(run.id) \(run.kind.rawValue) \(run.status.rawValue): \(formatter.string(from: run.windowFrom)) to \(formatter.string(from: run.windowTo))
            pages \(run.pages), requests \(run.requests), calls new \(run.callsNew), updated \(run.callsUpdated), failed \(run.callsFailed)
            """)
        if let error = run.error { print("error: \(error)") }
        if run.status != .succeeded { throw CommandFailure(message: "the sync \(run.status.rawValue)", exitCode: 1) }
    }
}
