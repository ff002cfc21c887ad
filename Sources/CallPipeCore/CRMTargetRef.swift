/// A target as the pipeline records it on a delivery: which one, and of what kind.
package struct CRMTargetRef: Sendable, Equatable, Hashable, Codable {
    /// The CRM systems CallPipe delivers to.
    package enum Kind: String, Sendable, Codable, CaseIterable {
        case salesforce, zendesk, hubspot, webhook
    }

    package var id: String
    package var kind: Kind

    package init(id: String, kind: Kind) {
        self.id = id
        self.kind = kind
    }
}
