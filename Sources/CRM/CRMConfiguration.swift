import CallPipeCore
package import Configuration
import Foundation

/// CRM delivery: the targets and how hard to try.
package struct CRMConfiguration: Sendable, Equatable {
    /// Targets from `CALLPIPE_CRM_TARGETS`; `nil` when the variable is not set (the server then
    /// delivers to its in-process mock CRM, so a new install shows deliveries happening).
    package var targets: [CRMTarget]?
    /// Attempts before a delivery is dead-lettered.
    package var maxAttempts = 8
    /// Backoff: `baseDelay · 2^(attempt−1)` seconds, at most `maxDelay`, with jitter.
    package var baseDelay = 2.0
    package var maxDelay = 600.0
    /// Seconds one CRM request may take, connect to last byte.
    package var timeout = 15.0
    /// Deliveries sent at once.
    package var concurrency = 4
    /// Seconds a claimed delivery stays reserved (a crash lets it go after this); see `claimLease`.
    package var lease = 120.0
    /// Seconds between looks for due deliveries when none is due.
    package var pollInterval = 0.25

    /// The reservation a claim takes: `lease`, and never less than three request timeouts — an
    /// attempt makes up to two requests (a lookup, then the write) — so a delivery is never
    /// claimed again while an attempt at it may still be under way: with `CALLPIPE_CRM_TIMEOUT_S`
    /// above the lease, a slow CRM got the same call twice from two workers.
    package var claimLease: Double { max(lease, 3 * timeout) }

    package init(targets: [CRMTarget]? = nil) {
        self.targets = targets
    }

    /// Reads `CALLPIPE_CRM_TARGETS` (a JSON array of `{"kind", "url", "token", "secret", "email",
    /// "name"}`), `CALLPIPE_CRM_MAX_ATTEMPTS` and `CALLPIPE_CRM_TIMEOUT_S`. A misconfigured target
    /// fails here, at start-up, naming the target and what to fix — never at its first delivery.
    package init(reader: ConfigReader) throws(CRMError) {
        self.init()
        if let text = reader.string(forKey: "callpipe.crm.targets") {
            targets = try Self.parseTargets(text)
        }
        if let text = reader.string(forKey: "callpipe.crm.max.attempts") {
            guard let value = Int(text), (1...100).contains(value) else {
                throw CRMError(.invalid, "CALLPIPE_CRM_MAX_ATTEMPTS is \"\(text)\"; use a number from 1 to 100")
            }
            maxAttempts = value
        }
        if let text = reader.string(forKey: "callpipe.crm.timeout.s") {
            guard let value = Double(text), value.isFinite, (1...600).contains(value) else {
                throw CRMError(
                    .invalid, "CALLPIPE_CRM_TIMEOUT_S is \"\(text)\"; use a number of seconds from 1 to 600")
            }
            timeout = value
        }
    }

    struct TargetEntry: Decodable {
        var kind: String?
        var url: String?
        var token: String?
        var secret: String?
        var email: String?
        var name: String?
    }

    /// Parses and checks the targets: known kind, an http(s) URL with a host, the credentials
    /// each kind needs, unique names.
    package static func parseTargets(_ text: String) throws(CRMError) -> [CRMTarget] {
        let entries: [TargetEntry]
        do {
            entries = try JSONDecoder().decode([TargetEntry].self, from: Data(text.utf8))
        } catch {
            throw CRMError(
                .invalid,
                "CALLPIPE_CRM_TARGETS is not a JSON array of {\"kind\", \"url\", \"token\", \"secret\"} objects")
        }
        var targets: [CRMTarget] = []
        var counts: [CRMTarget.Kind: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let position = "CALLPIPE_CRM_TARGETS[\(index)]"
            let kinds = CRMTarget.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            guard let kindText = entry.kind, let kind = CRMTarget.Kind(rawValue: kindText) else {
                throw CRMError(.invalid, "\(position): kind must be one of \(kinds)")
            }
            guard let urlText = entry.url, let url = URL(string: urlText), let scheme = url.scheme?.lowercased(),
                scheme == "https" || scheme == "http", url.host?.isEmpty == false
            else {
                throw CRMError(
                    .invalid,
                    "\(position) (\(kind.rawValue)): url must be an http(s) URL with a host, e.g. https://acme.zendesk.com"
                )
            }
            let token = entry.token.flatMap { $0.isEmpty ? nil : $0 }
            let secret = entry.secret.flatMap { $0.isEmpty ? nil : $0 }
            switch kind {
            case .salesforce, .hubspot:
                guard token != nil else {
                    throw CRMError(.invalid, "\(position) (\(kind.rawValue)): token is required")
                }
            case .zendesk:
                guard let token else { throw CRMError(.invalid, "\(position) (zendesk): token is required") }
                guard entry.email?.contains("@") == true || token.contains("/token:") else {
                    throw CRMError(
                        .invalid,
                        "\(position) (zendesk): give the agent's email (\"email\") or a token of the form agent@example.com/token:API_TOKEN"
                    )
                }
            case .webhook:
                guard secret != nil else {
                    throw CRMError(.invalid, "\(position) (webhook): secret is required to sign deliveries")
                }
            }
            counts[kind, default: 0] += 1
            let id = entry.name ?? (counts[kind]! == 1 ? kind.rawValue : "\(kind.rawValue)-\(counts[kind]!)")
            guard !targets.contains(where: { $0.id == id }) else {
                throw CRMError(.invalid, "\(position): two targets are named \"\(id)\"; give each a unique name")
            }
            targets.append(
                CRMTarget(id: id, kind: kind, url: url, token: token, secret: secret, email: entry.email))
        }
        return targets
    }
}
