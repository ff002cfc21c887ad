/// The error of the core and of every module without its own (store, pipeline, live): what went
/// wrong, as a code the Gateway maps to a status, and a message safe to show.
package struct CallPipeError: Error, Sendable, Equatable, CustomStringConvertible {
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
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
