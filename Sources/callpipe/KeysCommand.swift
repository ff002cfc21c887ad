import ArgumentParser
import Configuration
import Foundation
import Pipeline

/// `callpipe keys create --role agent|supervisor|admin [--agent-id A] [--data-dir D]`.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage API keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Issue an API key; it is printed once, alone on the last line.")

        @Option(help: "agent, supervisor or admin.")
        var role: String

        @Option(help: "The agent an agent key belongs to (required for --role agent).")
        var agentID: String?

        @Option(help: "A note on what the key is for.")
        var label: String?

        @Option(help: "Directory of the database (CALLPIPE_DATA_DIR).")
        var dataDir: String?

        func validate() throws {
            guard let role = StoredAPIKey.Role(rawValue: role) else {
                throw ValidationError("--role must be agent, supervisor or admin")
            }
            if role == .agent, agentID?.isEmpty ?? true { throw ValidationError("an agent key needs --agent-id") }
        }

        func run() async throws {
            let reader = try await ConfigurationReader.make()
            let directory = dataDir ?? reader.string(forKey: "callpipe.data.dir", default: "./data")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let store = try SQLiteCallStore(path: (directory as NSString).appendingPathComponent("callpipe.sqlite"))
            let (key, record) = APIKeys.make(role: StoredAPIKey.Role(rawValue: role)!, agentID: agentID, label: label)
            try await store.insertAPIKey(record)
            print(
                "Created a \(role) key\(agentID.map { " for agent \($0)" } ?? "") (id \(record.id)). It is shown only now:"
            )
            print(key)
        }
    }
}
