import CallPipeCore
import DemoData
import Foundation
import Gateway
import Logging
import PostgresStore
import SQLiteStore

/// The store `CALLPIPE_DATABASE_URL` names (docs/configuration.md, "Database"): unset or
/// `sqlite://PATH`, the embedded SQLite file (by default `callpipe.sqlite` in the data directory);
/// `postgres://…`, a PostgreSQL database several nodes can share, migrated at start.
enum ConfiguredStore {
    /// Every role the server and the commands use.
    typealias Store = CallStore & DemoCallStore & ConnectorRepository

    /// Opens the configured store, runs `body` with it (with PostgreSQL's connection pool running
    /// beside it) and closes it. A URL that cannot be read, or a database that cannot be reached, is
    /// a `CommandFailure` with exit code 2 (configuration) or 1.
    static func with<Result>(
        _ storage: StorageConfiguration, nodeID: String? = nil, logger: Logger,
        _ body: (any Store) async throws -> Result
    ) async throws -> Result {
        if storage.databaseKind == "postgres" {
            let url: PostgresDatabaseURL
            let store: PostgresCallStore
            do {
                url = try PostgresDatabaseURL(storage.databaseURL)
                store =
                    try nodeID.map { try PostgresCallStore(url: url, nodeID: $0, logger: logger) }
                    ?? PostgresCallStore(url: url, logger: logger)
            } catch let error as CallPipeError {
                throw CommandFailure(message: error.message, exitCode: 2)
            }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                do {
                    try await store.migrate()
                } catch let error as CallPipeError {
                    throw CommandFailure(message: error.message, exitCode: 1)
                }
                logger.info("Database", metadata: ["database.url": "\(url)", "node.id": "\(store.nodeID)"])
                return try await body(store)
            }
        }
        let path = try sqlitePath(storage)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            return try await body(try SQLiteCallStore(path: path))
        } catch let error as CallPipeError where error.code == .storage {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
    }

    /// `sqlite://PATH` (relative or absolute), or the data directory's `callpipe.sqlite`.
    static func sqlitePath(_ storage: StorageConfiguration) throws -> String {
        let url = storage.databaseURL
        guard url.hasPrefix("sqlite://") else {
            throw CommandFailure(
                message: "CALLPIPE_DATABASE_URL must be sqlite://PATH or postgres://USER:PASS@HOST:PORT/DB", exitCode: 2
            )
        }
        let path = String(url.dropFirst("sqlite://".count))
        guard !path.isEmpty else {
            throw CommandFailure(message: "CALLPIPE_DATABASE_URL sqlite:// has no path", exitCode: 2)
        }
        return path
    }
}
