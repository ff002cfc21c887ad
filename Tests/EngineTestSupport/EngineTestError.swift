/// A test engine (PostgreSQL, the S3 server) could not be started, or gave what a test cannot use.
package struct EngineTestError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }

    package init(message: String) {
        self.message = message
    }
}
