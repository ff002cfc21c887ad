package import Analytics
package import CRM
package import CallPipeCore

/// Everything the server keeps, as one value: the calls, the job queue, the live-call sink, the CRM
/// outbox, the analytics and the API keys. `SQLiteCallStore` is one (docs/ARCHITECTURE.md §1); the
/// Gateway hands each controller and service only the roles it uses.
package typealias CallStore = CallRepository & JobQueue & LiveCallSink & CRMOutbox & CallAnalytics & APIKeyStore
