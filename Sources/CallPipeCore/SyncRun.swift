package import Foundation

/// One run of a connector's sync, durable like a pipeline job (docs/connectors.md): it keeps the
/// vendor's cursor of the next page, so a run whose node stopped is resumed from there, and it is
/// the sync log's row.
package struct SyncRun: Sendable, Equatable, Codable {
    /// What started the run: the API's "run now", a schedule, `callpipe sync`, or `callpipe
    /// seed-demo` importing the mock vendors' calls as demo calls.
    package enum Trigger: String, Sendable, Codable { case manual, schedule, cli, demo }

    package enum Status: String, Sendable, Codable {
        /// Being run, or waiting to be resumed (its lease expired).
        case running
        case succeeded
        /// Stopped by an error; what it imported stays.
        case failed
        /// The vendor refused the key: the connector is paused until its settings change.
        case paused
    }

    package var id: String
    package var kind: ConnectorKind
    package var trigger: Trigger
    package var status: Status
    package var windowFrom: Date
    package var windowTo: Date
    /// The vendor's cursor of the next page to read (`nil`: the first page, or done).
    package var cursor: String?
    package var pages: Int
    package var requests: Int
    package var callsNew: Int
    package var callsUpdated: Int
    package var callsFailed: Int
    package var error: String?
    package var startedAt: Date
    package var finishedAt: Date?
    /// The node running it and until when its claim holds (renewed with every page).
    package var holder: String?
    package var leaseUntil: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, trigger, status
        case windowFrom = "window_from"
        case windowTo = "window_to"
        case cursor, pages, requests
        case callsNew = "calls_new"
        case callsUpdated = "calls_updated"
        case callsFailed = "calls_failed"
        case error
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case holder
        case leaseUntil = "lease_until"
    }

    package init(
        id: String = "sync_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
        kind: ConnectorKind, trigger: Trigger, status: Status = .running, window: Range<Date>, cursor: String? = nil,
        pages: Int = 0, requests: Int = 0, callsNew: Int = 0, callsUpdated: Int = 0, callsFailed: Int = 0,
        error: String? = nil, startedAt: Date, finishedAt: Date? = nil, holder: String? = nil, leaseUntil: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.trigger = trigger
        self.status = status
        windowFrom = window.lowerBound
        windowTo = window.upperBound
        self.cursor = cursor
        self.pages = pages
        self.requests = requests
        self.callsNew = callsNew
        self.callsUpdated = callsUpdated
        self.callsFailed = callsFailed
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.holder = holder
        self.leaseUntil = leaseUntil
    }

    package var window: Range<Date> { windowFrom..<max(windowFrom, windowTo) }
}

/// One page of a sync as it is stored: its calls and the run's progress after it, in one
/// transaction, so a run resumed after a crash reads the next page and imports nothing twice.
package struct SyncPage: Sendable {
    package var runID: String
    /// The cursor of the page after this one (`nil` after the last page).
    package var nextCursor: String?
    package var calls: [ImportedCall]
    /// Calls of the page that could not be read (counted as failed).
    package var failed: Int
    /// Requests spent on the page (with retries).
    package var requests: Int
    /// The run's claim, renewed.
    package var leaseUntil: Date
    /// New calls are stored as demo calls (`seed-demo`): left out with `demo=false`, deleted by
    /// `seed-demo --replace`.
    package var isDemo: Bool

    package init(
        runID: String, nextCursor: String?, calls: [ImportedCall], failed: Int = 0, requests: Int, leaseUntil: Date,
        isDemo: Bool = false
    ) {
        self.runID = runID
        self.isDemo = isDemo
        self.nextCursor = nextCursor
        self.calls = calls
        self.failed = failed
        self.requests = requests
        self.leaseUntil = leaseUntil
    }

    /// What storing a page did.
    package struct Result: Sendable, Equatable {
        package var new = 0
        package var updated = 0
        package var unchanged = 0
        package init(new: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.new = new
            self.updated = updated
            self.unchanged = unchanged
        }
    }
}

/// An imported call's place in CallPipe: its call id and whether its audio is still to be fetched.
package struct ImportedCallRef: Sendable, Equatable {
    package var callID: String
    package var call: ImportedCall
    package init(callID: String, call: ImportedCall) {
        self.callID = callID
        self.call = call
    }
}

/// A monthly archive as the store lists it.
package struct StoredArchive: Sendable, Equatable, Codable {
    /// `YYYY-MM`, the archive's id.
    package var month: String
    package var fileName: String
    /// Where the file is: a local path or an object storage location (`RecordingStorage`).
    package var location: String
    package var calls: Int
    package var bytes: Int
    package var sha256: String
    package var createdAt: Date

    package init(
        month: String, fileName: String, location: String, calls: Int, bytes: Int, sha256: String, createdAt: Date
    ) {
        self.month = month
        self.fileName = fileName
        self.location = location
        self.calls = calls
        self.bytes = bytes
        self.sha256 = sha256
        self.createdAt = createdAt
    }
}
