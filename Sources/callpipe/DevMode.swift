import Foundation

/// Dev mode (`CALLPIPE_DEV_MODE`): `serve` prints fresh keys at start and mounts the mock CRM.
/// Both are for a developer's own machine, so it runs only on a loopback address: unset or
/// `auto` turns it on there and off anywhere else, `true` on any other host is refused with the
/// reason, `force` runs it anyway (a lab network), `false` turns it off.
enum DevMode {
    static func resolve(_ setting: String?, host: String) throws(CommandFailure) -> Bool {
        let value = (setting ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        switch value {
        case "", "auto": return isLoopback(host)
        case "false", "0", "no", "off": return false
        case "force": return true
        case "true", "1", "yes", "on":
            guard isLoopback(host) else {
                throw CommandFailure(
                    message:
                        "dev mode prints API keys and mounts the mock CRM, so it runs only on a loopback address, not \(host); unset CALLPIPE_DEV_MODE (or set it to false) on a server, or force it with CALLPIPE_DEV_MODE=force",
                    exitCode: 2)
            }
            return true
        default:
            throw CommandFailure(
                message: "CALLPIPE_DEV_MODE is \"\(value.prefix(20))\"; use auto, true, false or force", exitCode: 2)
        }
    }

    /// `127.0.0.0/8`, `::1` and `localhost`.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
