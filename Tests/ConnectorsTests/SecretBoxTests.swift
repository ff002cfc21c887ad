import CallPipeCore
import Crypto
import Foundation
import Testing

/// Connector secrets at rest (docs/connectors.md): sealed under the server's key, bound to their
/// setting, the key made once in the data directory, never shown whole.
@Suite("Secret box")
struct SecretBoxTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func sealsOpensAndRefusesTheWrongSettingOrATamperedValue() throws {
        let box = SecretBox(key: SymmetricKey(size: .bits256))
        let sealed = try box.seal("dp_live_9f8e7d6c5b4a", for: "connector:dialpad")
        #expect(sealed.hasPrefix("v1:") && !sealed.contains("9f8e7d"))
        #expect(try box.open(sealed, for: "connector:dialpad") == "dp_live_9f8e7d6c5b4a")
        #expect(try box.seal("dp_live_9f8e7d6c5b4a", for: "connector:dialpad") != sealed)  // A fresh nonce each time.
        #expect(throws: CallPipeError.self) { try box.open(sealed, for: "connector:elevenlabs") }
        var bytes = Array(Data(base64Encoded: String(sealed.dropFirst(3)))!)
        bytes[bytes.count / 2] ^= 1
        let tampered = "v1:" + Data(bytes).base64EncodedString()
        let error = #expect(throws: CallPipeError.self) { try box.open(tampered, for: "connector:dialpad") }
        #expect(error?.message.contains("set it again") == true)
        #expect(throws: CallPipeError.self) {
            try SecretBox(key: SymmetricKey(size: .bits256)).open(sealed, for: "connector:dialpad")
        }
    }

    @Test func theKeyIsMadeOnceInTheDataDirectoryUnlessTheEnvironmentGivesOne() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try SecretBox.load(environmentValue: nil, dataDirectory: directory)
        let sealed = try first.seal("xi_0123456789abcdef", for: "connector:elevenlabs")
        let path = (directory as NSString).appendingPathComponent(SecretBox.keyFileName)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // A restart reads the same key.
        #expect(
            try SecretBox.load(environmentValue: nil, dataDirectory: directory).open(
                sealed, for: "connector:elevenlabs") == "xi_0123456789abcdef")
        // The environment's key wins; as base64 or hex; anything else is refused without echoing it.
        let raw = Data((0..<32).map { UInt8($0) })
        let fromBase64 = try SecretBox.load(environmentValue: raw.base64EncodedString(), dataDirectory: directory)
        let fromHex = try SecretBox.load(
            environmentValue: raw.map { String(format: "%02x", $0) }.joined(), dataDirectory: directory)
        #expect(try fromHex.open(try fromBase64.seal("k", for: "c"), for: "c") == "k")
        #expect(throws: CallPipeError.self) { try fromBase64.open(sealed, for: "connector:elevenlabs") }
        let error = #expect(throws: CallPipeError.self) {
            try SecretBox.load(environmentValue: "not-a-key-at-all", dataDirectory: directory)
        }
        #expect(error?.message.contains("CALLPIPE_SECRET_KEY must be 32 bytes") == true)
        #expect(error?.message.contains("not-a-key-at-all") == false)
        // A key file that cannot be read is an error, never replaced by a new key (here it is a
        // directory, which no one can read as a file, root included).
        let other = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: other) }
        let blocked = (other as NSString).appendingPathComponent(SecretBox.keyFileName)
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
        let unreadable = #expect(throws: CallPipeError.self) {
            try SecretBox.load(environmentValue: nil, dataDirectory: other)
        }
        #expect(unreadable?.message.contains("cannot be read") == true)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: blocked, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func masksShowThePrefixAndTheLastFour() {
        #expect(SecretBox.mask("sk_live_1234567890abcd") == "sk_…abcd")
        #expect(SecretBox.mask("xi_0123456789abcdef") == "xi_…cdef")
        #expect(SecretBox.mask("5f1b2c3d4e5f6a7b8c9d") == "…8c9d")
        #expect(SecretBox.mask("short_key") == "…")
    }
}
