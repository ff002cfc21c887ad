package import Foundation

/// Where an export page ends: the next page starts after this call.
package struct ExportCursor: Sendable, Equatable {
    package var createdAt: Date
    package var callID: String

    package init(createdAt: Date, callID: String) {
        self.createdAt = createdAt
        self.callID = callID
    }
}
