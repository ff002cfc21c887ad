package import CRM
import CallPipeCore
import Foundation

/// The credentials the mock CRM accepts, and the targets that use them.
package struct MockCRMCredentials: Sendable, Equatable {
    package var salesforceToken: String
    package var zendeskEmail: String
    package var zendeskToken: String
    package var hubspotToken: String
    package var webhookSecret: String

    package init(
        salesforceToken: String, zendeskEmail: String = "agent@callpipe.example", zendeskToken: String,
        hubspotToken: String, webhookSecret: String
    ) {
        self.salesforceToken = salesforceToken
        self.zendeskEmail = zendeskEmail
        self.zendeskToken = zendeskToken
        self.hubspotToken = hubspotToken
        self.webhookSecret = webhookSecret
    }

    /// Fresh random credentials (the in-process mock of the default run).
    package static func random() -> MockCRMCredentials {
        func token(_ prefix: String) -> String {
            prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        }
        return MockCRMCredentials(
            salesforceToken: token("00Dmock!"), zendeskToken: token("zd"), hubspotToken: token("pat-mock-"),
            webhookSecret: token("whsec_"))
    }

    /// One target of each kind against a mock whose routes are under `baseURL` (`…/_mock`).
    package func targets(baseURL: String) -> [CRMTarget] {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return [
            CRMTarget(
                id: "salesforce", kind: .salesforce, url: URL(string: "\(base)/salesforce")!, token: salesforceToken),
            CRMTarget(
                id: "zendesk", kind: .zendesk, url: URL(string: "\(base)/zendesk")!, token: zendeskToken,
                email: zendeskEmail),
            CRMTarget(id: "hubspot", kind: .hubspot, url: URL(string: "\(base)/hubspot")!, token: hubspotToken),
            CRMTarget(id: "webhook", kind: .webhook, url: URL(string: "\(base)/webhook")!, secret: webhookSecret),
        ]
    }

    /// The same targets as `CALLPIPE_CRM_TARGETS` JSON, for `callpipe mock-crm` to print.
    package func targetsJSON(baseURL: String) -> String {
        let entries: [[String: String]] = targets(baseURL: baseURL).map { target in
            var entry = ["kind": target.kind.rawValue, "url": target.url.absoluteString]
            entry["token"] = target.token
            entry["secret"] = target.secret
            entry["email"] = target.email
            return entry
        }
        let data = try? JSONSerialization.data(
            withJSONObject: entries, options: [.sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
