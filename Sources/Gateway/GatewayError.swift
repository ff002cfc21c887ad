/// The one error type of the Gateway module.
package struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// The server's settings are unusable; the message names the setting to fix.
        case configuration
        /// The data directory cannot be created or written.
        case storage
        /// A live stream broke its protocol (a message out of place, an unknown event, a flood):
        /// closed with 1008.
        case streamProtocol
        /// A live stream sent data that cannot be decoded (JSON, base64, sample frames): 1007.
        case streamData
        /// A live stream sent a kind of frame its protocol does not use (binary on Twilio): 1003.
        case streamUnsupported
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
