/// The one error type of the Pipeline module.
package struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// No call, recording or job with that id.
        case notFound
        /// The request conflicts with the call's state (an upload to an ended call, say).
        case conflict
        /// The store could not be opened, migrated, read or written.
        case storage
        /// The disk (or the quota) holding the data directory is full, or has less free space than
        /// `CALLPIPE_MIN_FREE_MB`: nothing more is accepted until space is freed.
        case storageFull
        /// A value in the store or a request is not what it must be.
        case invalid
        /// The server is at a limit it keeps deliberately (live calls at once): try again later.
        case capacity
        /// A CRM refused a delivery for good (400, 404, 422: a bad payload or record): dead-lettered
        /// at once with the vendor's message.
        case deliveryRejected
        /// A CRM refused the credentials (401, 403): the target is paused until an admin resumes it.
        case deliveryUnauthorized
        /// A CRM could not take the delivery now (429, 5xx, a timeout, no connection): retried.
        case deliveryUnavailable
    }

    package var code: Code
    package var message: String
    /// The HTTP status a CRM answered, when it answered.
    package var httpStatus: Int?
    /// Seconds the CRM asked us to wait (`Retry-After`).
    package var retryAfter: Double?

    package init(_ code: Code, _ message: String, httpStatus: Int? = nil, retryAfter: Double? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    package var description: String { message }
}
