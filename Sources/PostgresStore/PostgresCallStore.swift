package import AIClients
import Analytics
import CRM
package import CallPipeCore
package import DemoData
package import Foundation
package import Logging
package import PostgresNIO
package import ServiceLifecycle

/// Every store role (calls, jobs, live calls, CRM outbox, analytics, API keys) on PostgreSQL through
/// PostgresNIO's connection pool, for several CallPipe nodes sharing one database
/// (docs/ARCHITECTURE.md §15): jobs and deliveries claimed with `FOR UPDATE SKIP LOCKED` under
/// leases, search on a `tsvector` with a GIN index, the same answers as `SQLiteCallStore` (the
/// store contract tests run both).
///
/// A `Service`: its `run()` runs the connection pool, and must be running while the store is used
/// (the server puts it in its service group; `withStore` does it for a command or a test).
package final class PostgresCallStore: CallRepository, JobQueue, LiveCallSink, CRMOutbox, CallAnalytics,
    APIKeyStore, DemoCallStore, Service
{
    let client: PostgresClient
    let logger: Logger
    package let url: PostgresDatabaseURL
    /// This node's name on the jobs and deliveries it claims (`CALLPIPE_NODE_ID`, or made up at start).
    package let nodeID: String

    package init(
        url: PostgresDatabaseURL, nodeID: String = "node-" + UUID().uuidString.prefix(8).lowercased(), logger: Logger
    )
        throws
    {
        self.url = url
        self.nodeID = nodeID
        self.logger = logger
        client = PostgresClient(configuration: try url.clientConfiguration(), backgroundLogger: logger)
    }

    /// Runs the connection pool until cancelled or shut down gracefully.
    package func run() async throws {
        await client.run()
    }

    /// Brings the schema up to date (once, however many nodes start together). Call it with `run()` running.
    package func migrate() async throws {
        do {
            let probe = try await PostgresConnection.connect(
                configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw Self.storageError(error, doing: "connecting to the database \(url)")
        }
        do {
            try await PostgresSchema.migrate(client, logger: logger)
        } catch {
            throw Self.storageError(error, doing: "migrating the database \(url)")
        }
    }

    /// Opens the store at `url`, migrates it, runs `body` with it and closes it.
    package static func withStore<Result: Sendable>(
        url: PostgresDatabaseURL, nodeID: String? = nil, logger: Logger,
        _ body: @Sendable (PostgresCallStore) async throws -> Result
    ) async throws -> Result {
        let store =
            try nodeID.map { try PostgresCallStore(url: url, nodeID: $0, logger: logger) }
            ?? PostgresCallStore(url: url, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            try await store.migrate()
            return try await body(store)
        }
    }

    /// Runs `body` with a client of its own on `url` (no migration): for administration, such as
    /// creating a database.
    package static func withClient<Result: Sendable>(
        _ url: PostgresDatabaseURL, logger: Logger = PostgresCallStore.quietLogger,
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: try url.clientConfiguration(), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Errors only: for short-lived administrative clients.
    package static let quietLogger: Logger = {
        var logger = Logger(label: "callpipe.postgres")
        logger.logLevel = .error
        return logger
    }()

    // MARK: - Access

    /// Runs `body` on one pooled connection, outside a transaction (single reads).
    func read<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.storageError(error, doing: "reading the database")
        }
    }

    /// Runs `body` in one transaction (`READ COMMITTED`): committed when it returns, rolled back
    /// when it throws.
    func write<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw Self.storageError(error, doing: "writing the database")
        }
    }

    /// A `CallPipeError` for whatever PostgresNIO threw: the store's own errors as they are,
    /// the server's message and SQLSTATE for a server error (never the query's values: they may
    /// be personal data), the kind of failure otherwise.
    static func storageError(_ error: any Error, doing what: String) -> any Error {
        if let error = error as? CallPipeError { return error }
        if error is CancellationError { return error }
        if let error = error as? PostgresTransactionError {
            let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            return inner.map { storageError($0, doing: what) } ?? CallPipeError(.storage, "\(what) failed")
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return CallPipeError(.storage, "\(what) failed: \(message)\(state)")
            }
            return CallPipeError(.storage, "\(what) failed: \(error.code)")
        }
        return CallPipeError(.storage, "\(what) failed: \(error)")
    }
}

extension PostgresConnection {
    /// Runs `query` and returns its rows for reading by column name.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Runs a statement; returns the rows it changed (`UPDATE … RETURNING 1` counts them).
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        try await self.query(query, logger: logger).collect().count
    }
}
