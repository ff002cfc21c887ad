import AIClients
import Analytics
import CRM
import EngineTestSupport
import Foundation
import Logging
import Testing

@testable import CallPipeCore
@testable import PostgresStore
@testable import SQLiteStore

/// What the store contract tests need of a backend: every role, and bulk inserts for the data sets.
protocol ContractStore: CallRepository, JobQueue, LiveCallSink, CRMOutbox, CallAnalytics, APIKeyStore,
    ConnectorRepository
{
    func insertFinishedCalls(_ calls: [(StoredCall, Transcript)]) async throws
}

extension SQLiteCallStore: ContractStore {}
extension PostgresCallStore: ContractStore {}

/// The backends every store contract test runs on (docs/testing.md, "Store contract"): a
/// throwaway SQLite file, and a new database on the test PostgreSQL cluster.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let logger: Logger = {
        var logger = Logger(label: "store-test")
        logger.logLevel = .error
        return logger
    }()

    func withStore<Result: Sendable>(
        nodeID: String? = nil, _ body: @Sendable (any ContractStore) async throws -> Result
    ) async throws -> Result {
        switch self {
        case .sqlite:
            return try await body(try SQLiteCallStore())
        case .postgres:
            let url = try await PostgresTestServer.shared.newDatabase()
            return try await PostgresCallStore.withStore(url: url, nodeID: nodeID, logger: Self.logger, body)
        }
    }
}
