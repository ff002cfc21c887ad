import Crypto
package import Foundation

/// Stripe-style webhook signatures: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
package enum WebhookSignature {
    package static let header = "X-CallPipe-Signature"

    package static func sign(_ body: Data, secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(hex(body, secret: secret, timestamp: timestamp))"
    }

    /// Checks a signature header as a receiver would: a `v1` that matches (compared in constant
    /// time) and a timestamp within `tolerance` seconds of `now` (older is a replay).
    package static func verify(
        _ header: String, body: Data, secret: String, tolerance: Double = 300, now: Date = Date()
    ) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(hex(body, secret: secret, timestamp: timestamp).utf8)
        return signatures.contains { candidate in
            let bytes = Array(candidate.utf8)
            guard bytes.count == expected.count else { return false }
            return zip(bytes, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    private static func hex(_ body: Data, secret: String, timestamp: Int) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
