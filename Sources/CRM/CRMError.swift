/// The one error type of the CRM module: a configuration it cannot use, or what a CRM answered to
/// a delivery, which decides whether the delivery service retries, dead-letters or pauses.
package struct CRMError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// `CALLPIPE_CRM_*` settings that cannot be used (told at startup).
        case invalid
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
