package import CallPipeCore
package import Foundation

/// One CRM system a finished call's summary is delivered to (`CALLPIPE_CRM_TARGETS`).
///
/// `token` and `secret` are secrets: `description` masks them, and nothing else prints a target.
package struct CRMTarget: Sendable, Equatable, CustomStringConvertible {
    package typealias Kind = CRMTargetRef.Kind

    /// Stable name of the target: its `name` in the configuration, else its kind (`kind-2`, ... for
    /// a second target of the same kind). Deliveries are recorded against it.
    package var id: String
    package var kind: Kind
    /// Base URL: the instance (`https://acme.my.salesforce.com`, `https://acme.zendesk.com`,
    /// `https://api.hubapi.com`) or, for a webhook, the URL that receives the POST.
    package var url: URL
    /// OAuth bearer token (Salesforce), API token (Zendesk), private-app token (HubSpot).
    package var token: String?
    /// HMAC secret for webhook signatures.
    package var secret: String?
    /// Zendesk: the agent e-mail the API token belongs to.
    package var email: String?
    /// Extra headers sent with every request (the dev-mode mock CRM's admin key). Secret: never
    /// printed.
    package var headers: [String: String] = [:]

    package init(
        id: String, kind: Kind, url: URL, token: String? = nil, secret: String? = nil, email: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.url = url
        self.token = token
        self.secret = secret
        self.email = email
    }

    package var ref: CRMTargetRef { CRMTargetRef(id: id, kind: kind) }

    package var description: String {
        "\(id) (\(kind.rawValue) at \(displayURL), token \(Self.mask(token)), secret \(Self.mask(secret)))"
    }

    /// The URL without its query or user info, which webhook URLs often carry secrets in.
    package var displayURL: String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "(url)" }
        let hadQuery = components.query != nil
        components.query = nil
        components.user = nil
        components.password = nil
        return (components.string ?? "(url)") + (hadQuery ? "?…" : "")
    }

    /// A secret as logs may show it: its length and last two characters at most.
    package static func mask(_ secret: String?) -> String {
        guard let secret, !secret.isEmpty else { return "none" }
        return secret.count > 12 ? "…\(secret.suffix(2)) (\(secret.count) chars)" : "*** (\(secret.count) chars)"
    }
}
