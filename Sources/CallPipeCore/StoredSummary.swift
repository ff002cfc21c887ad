package import AIClients
package import Foundation

/// One version of a call's summary (insights), as stored.
package struct StoredSummary: Sendable, Equatable {
    package var version: Int
    package var isFinal: Bool
    package var insights: CallInsights
    package var createdAt: Date

    package init(version: Int, isFinal: Bool, insights: CallInsights, createdAt: Date) {
        self.version = version
        self.isFinal = isFinal
        self.insights = insights
        self.createdAt = createdAt
    }
}
