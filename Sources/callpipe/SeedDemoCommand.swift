import ArgumentParser
import CallPipeCore
import Configuration
import DemoData
import Foundation
import PostgresStore

/// `callpipe seed-demo [--days N] [--calls-per-day N] [--vendor-calls N] [--replace] [--data-dir D]`:
/// fills the database with realistic demo calls, marked as demo, so the dashboard has something to
/// show; with `--vendor-calls`, also calls imported from the mock vendors (docs/connectors.md).
struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo", abstract: "Fill the database with realistic demo calls (marked as demo).")

    @Option(help: "Days of calls, ending today.")
    var days = 7

    @Option(help: "Calls on a weekday (a third of that at weekends).")
    var callsPerDay = 60

    @Option(help: "Dialpad calls and ElevenLabs conversations (each) imported from the mock vendors as demo calls.")
    var vendorCalls = 0

    @Flag(help: "Delete the demo calls already there first.")
    var replace = false

    @Option(help: "Directory of the database (CALLPIPE_DATA_DIR).")
    var dataDir: String?

    func validate() throws {
        guard (1...3_650).contains(days) else { throw ValidationError("--days must be 1 to 3650") }
        guard (1...100_000).contains(callsPerDay) else { throw ValidationError("--calls-per-day must be 1 to 100000") }
        guard (0...100_000).contains(vendorCalls) else { throw ValidationError("--vendor-calls must be 0 to 100000") }
    }

    func run() async throws {
        let reader = try await ConfigurationReader.make()
        let storage: StorageConfiguration
        do {
            storage = try StorageConfiguration(reader: reader, dataDirectory: dataDir)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        let directory = storage.databaseKind == "postgres" ? "the database" : storage.dataDirectory
        // A seed per run, so seeding twice adds new calls instead of colliding with the first ones.
        let seed = UInt64(Date().timeIntervalSince1970 * 1_000)
        let calls = DemoCallGenerator(callsPerDay: callsPerDay, seed: seed).calls(days: days)
            .map { demo -> DemoCall in
                var demo = demo
                demo.call.id += "_\(String(seed, radix: 36))"
                return demo
            }
        try await ConfiguredStore.with(storage, logger: PostgresCallStore.quietLogger) { store in
            if replace {
                let removed = try await store.deleteDemoCalls()
                print("Removed \(removed) demo calls.")
            }
            do {
                try await store.insertDemoCalls(calls)
                guard vendorCalls > 0 else { return }
                for run in try await DemoVendorImport.run(vendorCalls, days: days, seed: seed, store: store) {
                    print(
                        "Imported \(run.callsNew + run.callsUpdated) \(run.kind.displayName) calls from its mock as demo calls (\(run.status.rawValue))."
                    )
                }
            } catch let error as CallPipeError {
                throw CommandFailure(message: "cannot store the demo calls: \(error.message)", exitCode: 1)
            }
        }
        let agents = Set(calls.map(\.call.agentID)).count
        print("Added \(calls.count) demo calls over \(days) days for \(agents) agents to \(directory).")
    }
}
