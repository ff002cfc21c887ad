package import Crypto
package import Foundation

/// Seals connector secrets (vendor API keys) for the store with AES-256-GCM under the server's key
/// (docs/connectors.md): `CALLPIPE_SECRET_KEY` (32 bytes, base64 or hex), else
/// `<data dir>/secret.key`, made on first start (mode 0600). A sealed value is bound to what it is
/// for (`context`, e.g. `connector:dialpad`), so it cannot be moved to another setting.
package struct SecretBox: Sendable {
    /// The file in the data directory that holds the generated key.
    package static let keyFileName = "secret.key"
    private static let prefix = "v1:"
    private let key: SymmetricKey

    package init(key: SymmetricKey) {
        self.key = key
    }

    /// A key of its own for `purpose` (HKDF-SHA256 from the server's key): the redaction audit's
    /// hashes are stable across restarts without ever using the sealing key for anything else.
    package func derivedKey(purpose: String) -> Data {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data(purpose.utf8), outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
    }

    /// The server's box: the environment's key when set (it must be 32 bytes), else the data
    /// directory's key file, created when missing.
    package static func load(environmentValue: String?, dataDirectory: String) throws(CallPipeError) -> SecretBox {
        if let value = environmentValue?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            guard let bytes = Self.keyBytes(value) else {
                throw CallPipeError(
                    .invalid, "CALLPIPE_SECRET_KEY must be 32 bytes as base64 (44 characters) or hex (64 characters)")
            }
            return SecretBox(key: SymmetricKey(data: bytes))
        }
        let path = (dataDirectory as NSString).appendingPathComponent(keyFileName)
        if FileManager.default.fileExists(atPath: path) {
            // Never replaced once made: a new key would lock every stored secret away.
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CallPipeError(.storage, "\(path) exists but cannot be read; fix its permissions")
            }
            guard let bytes = Self.keyBytes(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw CallPipeError(.invalid, "\(path) does not hold a 32-byte key (base64); restore it from a backup")
            }
            return SecretBox(key: SymmetricKey(data: bytes))
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let temporary = path + ".tmp"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CallPipeError(.storage, "could not write \(temporary)") }
        try DurableFiles.synchronizeFile(temporary)
        try DurableFiles.commit(temporary, to: path)
        return SecretBox(key: key)
    }

    /// `secret` sealed for `context`: `v1:` and base64 of nonce, ciphertext and tag.
    package func seal(_ secret: String, for context: String) throws(CallPipeError) -> String {
        do {
            let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(context.utf8))
            guard let combined = box.combined else { throw CallPipeError(.invalid, "sealing failed") }
            return Self.prefix + combined.base64EncodedString()
        } catch {
            throw CallPipeError(.invalid, "could not seal the \(context) secret")
        }
    }

    /// The secret `sealed` holds, if it was sealed for `context` under this key.
    package func open(_ sealed: String, for context: String) throws(CallPipeError) -> String {
        guard sealed.hasPrefix(Self.prefix),
            let data = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        else {
            throw CallPipeError(
                .invalid,
                "the stored \(context) secret cannot be opened with this server's key (CALLPIPE_SECRET_KEY or secret.key changed?); set it again"
            )
        }
        return String(decoding: plain, as: UTF8.self)
    }

    /// A secret as the settings show it: its vendor prefix (up to `_`, at most three characters)
    /// and last four characters (`sk_…abcd`); short secrets show nothing.
    package static func mask(_ secret: String) -> String {
        guard secret.count >= 12 else { return "…" }
        let head = secret.prefix(3)
        let prefix = head.firstIndex(of: "_").map { String(head[...$0]) } ?? ""
        return prefix + "…" + secret.suffix(4)
    }

    package static func keyBytes(_ text: String) -> Data? {
        if let data = Data(base64Encoded: text), data.count == 32 { return data }
        guard text.count == 64, text.allSatisfy(\.isHexDigit) else { return nil }
        var bytes = Data()
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
