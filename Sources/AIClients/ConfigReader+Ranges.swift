package import Configuration
import Foundation

/// A configuration value outside what the server accepts: the message names the environment key,
/// the value given and the allowed range. Each module wraps it into its own error.
package struct ConfigurationValueError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package var description: String { message }
}

/// Range-checked numbers from the configuration: every number the server reads from the
/// environment goes through these, so no setting can make later arithmetic trap (a port of
/// `1e300`, an upload limit that overflows when turned into bytes, a timeout of `nan`). An empty
/// value means "unset" (docs/configuration.md).
extension ConfigReader {
    /// The integer at `key` (environment `name`), `fallback` when unset.
    package func integer(
        _ key: ConfigKey, _ name: String, in range: ClosedRange<Int>, default fallback: Int
    ) throws(ConfigurationValueError) -> Int {
        guard let text = string(forKey: key)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return fallback
        }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationValueError(
                message:
                    "\(name) is \"\(text.prefix(40))\"; use a whole number from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// The number at `key` (environment `name`), `fallback` when unset; never NaN or infinite.
    package func number(
        _ key: ConfigKey, _ name: String, in range: ClosedRange<Double>, default fallback: Double
    ) throws(ConfigurationValueError) -> Double {
        guard let text = string(forKey: key)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return fallback
        }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw ConfigurationValueError(
                message:
                    "\(name) is \"\(text.prefix(40))\"; use a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))"
            )
        }
        return value
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
