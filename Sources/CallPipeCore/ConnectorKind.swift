/// The vendors CallPipe pulls calls from (docs/connectors.md). The raw value is the vendor's name
/// in routes, settings, sync runs and a call's `source`.
package enum ConnectorKind: String, Sendable, Codable, CaseIterable {
    case dialpad, elevenlabs

    /// A call's `source` for calls made through CallPipe's own API or live streams.
    package static let ownSource = "callpipe"

    /// Every value a call's `source` can have.
    package static var sources: [String] { [ownSource] + allCases.map(\.rawValue) }

    /// What the vendor calls the id a sync reads calls of, with its article.
    package var targetName: String {
        switch self {
        case .dialpad: "a department id"
        case .elevenlabs: "an agent id"
        }
    }

    /// The vendor's name as people write it.
    package var displayName: String {
        switch self {
        case .dialpad: "Dialpad"
        case .elevenlabs: "ElevenLabs"
        }
    }
}
