/// The configured CRM targets and their adapters, by target id.
///
/// Usually known at start. The in-process mock CRM of the default run lives on the server's own
/// port, which is only known once the server listens (port 0 picks one): then the directory
/// starts empty and the server fills it in, and deliveries wait (durably queued) until it does.
package actor CRMTargetDirectory {
    private var adapters: [String: any CRMAdapter]?

    package init(targets: [CRMTarget]?) {
        adapters = targets.map(Self.adapters)
    }

    /// `nil` until the targets are known.
    package var current: [String: any CRMAdapter]? { adapters }

    package func set(_ targets: [CRMTarget]) {
        adapters = Self.adapters(targets)
    }

    private static func adapters(_ targets: [CRMTarget]) -> [String: any CRMAdapter] {
        Dictionary(uniqueKeysWithValues: targets.map { ($0.id, CRMAdapters.make(for: $0)) })
    }
}
