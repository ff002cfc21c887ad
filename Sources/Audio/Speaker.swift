/// Who is talking (docs/ARCHITECTURE.md §2): channel 0 is the agent and channel 1 the customer unless a
/// call says otherwise; mono audio is `unknown` until the AI stage attributes it.
package enum Speaker: String, Sendable, Codable, CaseIterable, Comparable {
    case agent
    case customer
    case unknown

    package static func < (lhs: Speaker, rhs: Speaker) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
