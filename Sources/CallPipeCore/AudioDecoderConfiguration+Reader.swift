package import Audio
package import Configuration
import Foundation

extension AudioDecoderConfiguration {
    /// Reads `CALLPIPE_MAX_AUDIO_SECONDS` (1…86400, default 14400: 4 h), `CALLPIPE_DECODE_TIMEOUT_S`
    /// (1…86400, default 600) and `CALLPIPE_DECODE_THREADS` (1…64, default 2); a value that is not
    /// a number in its range is a configuration error naming the key.
    package init(reader: ConfigReader) throws(CallPipeError) {
        self.init()
        maxSeconds = try Self.number(
            reader, "callpipe.max.audio.seconds", "CALLPIPE_MAX_AUDIO_SECONDS", in: 1...86_400, default: maxSeconds)
        timeout = try Self.number(
            reader, "callpipe.decode.timeout.s", "CALLPIPE_DECODE_TIMEOUT_S", in: 1...86_400, default: timeout)
        threads = Int(
            try Self.number(
                reader, "callpipe.decode.threads", "CALLPIPE_DECODE_THREADS", in: 1...64, default: Double(threads),
                wholeNumber: true))
    }

    private static func number(
        _ reader: ConfigReader, _ key: ConfigKey, _ name: String, in range: ClosedRange<Double>,
        default fallback: Double, wholeNumber: Bool = false
    ) throws(CallPipeError) -> Double {
        guard let text = reader.string(forKey: key) else { return fallback }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed), range.contains(value), !wholeNumber || value == value.rounded() else {
            let kind = wholeNumber ? "a whole number" : "a number"
            throw CallPipeError(
                .invalid,
                "\(name) is \"\(text)\"; use \(kind) from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
        }
        return value
    }
}
