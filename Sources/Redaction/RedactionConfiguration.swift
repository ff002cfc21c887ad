import AIClients
package import CallPipeCore
package import Configuration
import Crypto
package import Foundation

/// How calls are redacted (docs/redaction.md "Configuration"): what, which kinds, per call source,
/// and what becomes of the original audio.
package struct RedactionConfiguration: Sendable, Equatable {
    /// `CALLPIPE_REDACT`: `text+audio` unless set — what a privacy reviewer asks for: a card number
    /// said aloud is cardholder data in the recording as much as in the transcript (PCI DSS), and
    /// a deployment that must keep more says so explicitly.
    package var mode: RedactionMode = .textAndAudio
    /// `CALLPIPE_REDACT_ENTITIES`: the kinds looked for (all unless set).
    package var kinds: Set<PIIKind> = Set(PIIKind.allCases)
    /// `CALLPIPE_REDACT_BY_SOURCE`: a mode per call source (`dialpad=text,elevenlabs=off`), over `mode`.
    package var bySource: [String: RedactionMode] = [:]
    /// `CALLPIPE_REDACT_AUDIO_MARGIN_S`: seconds muted before and after each span's words (word
    /// timestamps are approximate; 0.3 s unless set).
    package var audioMargin: Double = 0.3
    /// `CALLPIPE_PII_KEEP_ORIGINAL`: off unless set to a 32-byte key (base64 or hex) of its own;
    /// then the original audio is kept sealed with it (AES-256-GCM) for admins.
    package var keepOriginalKey: Data?
    /// The audit's hash key (docs/redaction.md "Audit"): the server derives it from its secret key
    /// so hashes compare across restarts; a random one unless set.
    package var auditKey = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }

    package init() {}

    /// The mode for calls from `source` (`callpipe`, `dialpad`, `elevenlabs`, …).
    package func mode(forSource source: String) -> RedactionMode {
        bySource[source] ?? mode
    }

    /// Reads the keys above; a value outside what they accept is an error naming the key.
    package init(reader: ConfigReader) throws(CallPipeError) {
        self.init()
        if let text = Self.value(reader, "callpipe.redact") {
            guard let mode = RedactionMode(rawValue: text.lowercased()) else {
                throw CallPipeError(.invalid, "CALLPIPE_REDACT is \"\(text.prefix(40))\"; use off, text or text+audio")
            }
            self.mode = mode
        }
        if let text = Self.value(reader, "callpipe.redact.entities") {
            var kinds: Set<PIIKind> = []
            for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
            where !name.isEmpty {
                guard let kind = PIIKind(rawValue: name) else {
                    throw CallPipeError(
                        .invalid,
                        "CALLPIPE_REDACT_ENTITIES names \"\(name.prefix(40))\"; use any of "
                            + PIIKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                kinds.insert(kind)
            }
            self.kinds = kinds
        }
        if let text = Self.value(reader, "callpipe.redact.by.source") {
            for entry in text.split(separator: ",") {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, let mode = RedactionMode(rawValue: parts[1].lowercased())
                else {
                    throw CallPipeError(
                        .invalid,
                        "CALLPIPE_REDACT_BY_SOURCE has \"\(entry.prefix(40))\"; use source=mode pairs, "
                            + "e.g. dialpad=text,elevenlabs=off")
                }
                bySource[parts[0].lowercased()] = mode
            }
        }
        do {
            audioMargin = try reader.number(
                "callpipe.redact.audio.margin.s", "CALLPIPE_REDACT_AUDIO_MARGIN_S", in: 0...5, default: audioMargin)
        } catch {
            throw CallPipeError(.invalid, String(describing: error))
        }
        if let text = Self.value(reader, "callpipe.pii.keep.original"), text.lowercased() != "off" {
            guard let key = SecretBox.keyBytes(text) else {
                // Never echo the value: it is a key.
                throw CallPipeError(
                    .invalid,
                    "CALLPIPE_PII_KEEP_ORIGINAL must be off or a key of 32 bytes as base64 (44 characters) or hex "
                        + "(64 characters)")
            }
            keepOriginalKey = key
        }
    }

    private static func value(_ reader: ConfigReader, _ key: ConfigKey) -> String? {
        guard let text = reader.string(forKey: key)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        return text
    }
}
