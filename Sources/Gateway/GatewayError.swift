/// The one error type of the Gateway module.
package struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// The server's settings are unusable; the message names the setting to fix.
        case configuration
        /// The data directory cannot be created or written.
        case storage
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    static func configuration(_ message: String) -> GatewayError { GatewayError(.configuration, message) }

    package var description: String { message }
}
