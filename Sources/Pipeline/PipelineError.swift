/// The one error type of the Pipeline module.
package struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// No call, recording or job with that id.
        case notFound
        /// The request conflicts with the call's state (an upload to an ended call, say).
        case conflict
        /// The store could not be opened, migrated, read or written.
        case storage
        /// A value in the store or a request is not what it must be.
        case invalid
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
