/// The one error of the connectors module: what went wrong talking to a vendor, in words an
/// operator can act on (never with the API key in it), and what the sync should do about it.
package struct ConnectorError: Error, CustomStringConvertible, Sendable, Equatable {
    package enum Code: String, Sendable {
        /// The vendor refused the key (401/403): the connector pauses until the key is fixed.
        case unauthorized
        /// The vendor kept answering 429 past the attempts allowed.
        case rateLimited
        /// No answer in time, no connection, or 5xx past the attempts allowed: try the run later.
        case unavailable
        /// The vendor answered 2xx with something that is not its documented JSON.
        case malformedResponse
        /// The run used up the requests it may make (`VendorRequestPolicy.requestBudget`).
        case budgetExhausted
        /// Any other 4xx: the request itself is wrong (an unknown department, a bad window).
        case rejected
    }

    package var code: Code
    package var message: String
    package var httpStatus: Int?

    package init(_ code: Code, _ message: String, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    package var description: String { message }
}
