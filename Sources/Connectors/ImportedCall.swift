package import Foundation

/// A call as a vendor described it, mapped to CallPipe's terms: what a sync stores (unique by
/// `vendor` + `vendorID`, updated in place when seen again).
package struct ImportedCall: Sendable, Equatable {
    package enum Status: String, Sendable { case completed, missed }

    package var vendor: String
    package var vendorID: String
    /// `inbound` or `outbound`.
    package var direction: String
    package var status: Status
    package var agentID: String?
    package var agentName: String?
    package var agentEmail: String?
    package var customerName: String?
    package var customerPhone: String?
    package var startedAt: Date
    package var endedAt: Date?
    /// Talk time in seconds (0 for a missed call).
    package var durationS: Double
    /// Where the vendor keeps the recording, when it has one.
    package var recordingURL: URL?

    package init(
        vendor: String, vendorID: String, direction: String, status: Status, agentID: String? = nil,
        agentName: String? = nil, agentEmail: String? = nil, customerName: String? = nil,
        customerPhone: String? = nil, startedAt: Date, endedAt: Date? = nil, durationS: Double,
        recordingURL: URL? = nil
    ) {
        self.vendor = vendor
        self.vendorID = vendorID
        self.direction = direction
        self.status = status
        self.agentID = agentID
        self.agentName = agentName
        self.agentEmail = agentEmail
        self.customerName = customerName
        self.customerPhone = customerPhone
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.durationS = durationS
        self.recordingURL = recordingURL
    }
}
