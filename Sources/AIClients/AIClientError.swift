/// The one error type of the AIClients module.
package struct AIClientError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// The AI settings are unusable; the message names the setting to fix.
        case configuration
    }

    package var code: Code
    /// What is wrong and what to do; never contains an API key.
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
