import ArgumentParser
import CallPipeCore
import Foundation
import Redaction

/// `callpipe unseal SEALED --out FILE`: opens an original recording kept sealed by the redaction
/// (`CALLPIPE_PII_KEEP_ORIGINAL`, docs/redaction.md "Audio") with that key, for an admin who holds
/// it. The key is read from the environment only, never from the command line (shell history).
struct UnsealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unseal",
        abstract: "Open a sealed original recording with the key of CALLPIPE_PII_KEEP_ORIGINAL.")

    @Argument(help: "The sealed file (<recording>-original-<id>.sealed).")
    var sealed: String

    @Option(help: "Where to write the original audio.")
    var out: String

    func run() async throws {
        let value = ProcessInfo.processInfo.environment["CALLPIPE_PII_KEEP_ORIGINAL"] ?? ""
        guard let key = SecretBox.keyBytes(value.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CommandFailure(
                message:
                    "set CALLPIPE_PII_KEEP_ORIGINAL to the key the original was sealed with (32 bytes, base64 or hex)",
                exitCode: 2)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: sealed))
        } catch {
            throw CommandFailure(message: "cannot read \(sealed)", exitCode: 1)
        }
        let original: Data
        do {
            original = try SealedOriginal.open(data, key: key)
        } catch {
            throw CommandFailure(
                message: "\(sealed) does not open with this key (another key, or not a sealed original)", exitCode: 1)
        }
        do {
            try original.write(to: URL(fileURLWithPath: out), options: .withoutOverwriting)
        } catch {
            throw CommandFailure(message: "cannot write \(out) (it must not exist yet)", exitCode: 1)
        }
        print("unsealed \(original.count) bytes to \(out)")
    }
}
