package import Crypto
package import Foundation

/// An original recording kept sealed (`CALLPIPE_PII_KEEP_ORIGINAL`, docs/redaction.md "Audio"):
/// AES-256-GCM under a key of its own — not the server's secret key — bound to what it is, so
/// only someone holding that key (an admin, through the server that has it) can hear it again.
package enum SealedOriginal {
    /// What the seal is bound to (authenticated, not secret).
    package static let context = "callpipe:redaction:original:v1"

    package static func seal(_ audio: Data, key: Data) throws -> Data {
        guard
            let combined = try AES.GCM.seal(audio, using: SymmetricKey(data: key), authenticating: Data(context.utf8))
                .combined
        else { throw CryptoKitError.incorrectParameterSize }
        return combined
    }

    /// The original's bytes; throws when the key is not the one it was sealed with.
    package static func open(_ sealed: Data, key: Data) throws -> Data {
        try AES.GCM.open(
            AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(data: key), authenticating: Data(context.utf8))
    }
}
