import ArgumentParser
import CallPipeCore
import Configuration
import Foundation
import PostgresStore

/// `callpipe keys create|list|revoke`: API keys, managed on the server's database.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage API keys.", subcommands: [Create.self, List.self, Revoke.self])

    /// `--data-dir`, shared by the subcommands.
    struct Location: ParsableArguments {
        @Option(help: "Directory of the database (CALLPIPE_DATA_DIR).")
        var dataDir: String?

        /// Runs `body` with the server's store (`CALLPIPE_DATABASE_URL`, or the data directory's SQLite file).
        func withStore<Result>(_ body: (any APIKeyStore) async throws -> Result) async throws -> Result {
            let reader = try await ConfigurationReader.make()
            let storage: StorageConfiguration
            do {
                storage = try StorageConfiguration(reader: reader, dataDirectory: dataDir)
            } catch {
                throw CommandFailure(message: error.message, exitCode: 2)
            }
            return try await ConfiguredStore.with(storage, logger: PostgresCallStore.quietLogger) { try await body($0) }
        }
    }

    /// `keys create --role agent|supervisor|admin [--agent-id A] [--label L] [--expires-in DAYS]`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Issue an API key; it is printed once, alone on the last line.")

        @Option(help: "agent, supervisor or admin.")
        var role: String

        @Option(help: "The agent an agent key belongs to (required for --role agent).")
        var agentID: String?

        @Option(help: "A note on what the key is for.")
        var label: String?

        @Option(help: "Days until the key stops working (1 to 3650); without it the key does not expire.")
        var expiresIn: Int?

        @OptionGroup var location: Location

        func validate() throws {
            guard let role = StoredAPIKey.Role(rawValue: role) else {
                throw ValidationError("--role must be agent, supervisor or admin")
            }
            if role == .agent, agentID?.isEmpty ?? true { throw ValidationError("an agent key needs --agent-id") }
            if let agentID, agentID.count > 200 { throw ValidationError("--agent-id is at most 200 characters") }
            if let label, label.count > 200 { throw ValidationError("--label is at most 200 characters") }
            if let expiresIn, !(1...3_650).contains(expiresIn) {
                throw ValidationError("--expires-in must be 1 to 3650 days")
            }
        }

        func run() async throws {
            let now = Date()
            let expiry = expiresIn.map { now.addingTimeInterval(Double($0) * 86_400) }
            let (key, record) = APIKeys.make(
                role: StoredAPIKey.Role(rawValue: role)!, agentID: agentID, label: label, now: now, expiresAt: expiry)
            try await location.withStore { try await $0.insertAPIKey(record) }
            let expires = expiry.map { ", expires \($0.formatted(.iso8601))" } ?? ""
            print(
                "Created a \(role) key\(agentID.map { " for agent \($0)" } ?? "") (id \(record.id)\(expires)). It is shown only now:"
            )
            print(key)
        }
    }

    /// `keys list [--json]`: every key's id, role, agent, label and life; never the key itself
    /// (only its hash is stored).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List API keys (not the keys).")

        @Flag(help: "One JSON object per key.")
        var json = false

        @OptionGroup var location: Location

        func run() async throws {
            let keys = try await location.withStore { try await $0.apiKeys() }
            let now = Date()
            if json {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.sortedKeys]
                for key in keys {
                    let entry = KeyListing(key, now: now)
                    print(String(decoding: try encoder.encode(entry), as: UTF8.self))
                }
                return
            }
            print(
                "ID                                    ROLE        AGENT         STATE     EXPIRES               LABEL")
            for key in keys {
                let entry = KeyListing(key, now: now)
                let expires = key.expiresAt.map { $0.formatted(.iso8601) } ?? "never"
                print(
                    [
                        key.id.padding(toLength: 38, withPad: " ", startingAt: 0),
                        key.role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
                        (key.agentID ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0),
                        entry.state.padding(toLength: 10, withPad: " ", startingAt: 0),
                        expires.padding(toLength: 22, withPad: " ", startingAt: 0),
                        key.label ?? "",
                    ].joined())
            }
        }
    }

    /// `keys revoke KEY_ID`: the key stops working at once (its id, or a unique prefix of it).
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API key by id.")

        @Argument(help: "The key's id as `keys list` shows it (a unique prefix is enough).")
        var keyID: String

        @OptionGroup var location: Location

        func validate() throws {
            guard keyID.count >= 4 else { throw ValidationError("give at least 4 characters of the key id") }
        }

        func run() async throws {
            guard let key = try await location.withStore({ try await $0.revokeAPIKey(idPrefix: keyID, now: Date()) })
            else {
                throw CommandFailure(message: "no key with id \(keyID); see callpipe keys list", exitCode: 3)
            }
            print("Revoked the \(key.role.rawValue) key \(key.id)\(key.label.map { " (\($0))" } ?? "")")
        }
    }
}

/// One line of `keys list --json`.
struct KeyListing: Encodable {
    var id: String
    var role: String
    var agentID: String?
    var label: String?
    var createdAt: Date
    var expiresAt: Date?
    var revokedAt: Date?
    var state: String

    init(_ key: StoredAPIKey, now: Date) {
        id = key.id
        role = key.role.rawValue
        agentID = key.agentID
        label = key.label
        createdAt = key.createdAt
        expiresAt = key.expiresAt
        revokedAt = key.revokedAt
        state = key.revokedAt != nil ? "revoked" : key.isUsable(at: now) ? "active" : "expired"
    }

    enum CodingKeys: String, CodingKey {
        case id, role, label, state
        case agentID = "agent_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }
}
