package import CallPipeCore
package import Foundation
import Synchronization

/// Dialpad as a connector: a department's calls from the list pages (never one by one: the
/// details endpoint allows 10 requests a minute), named by the department's operators, read once
/// per run (docs/connectors.md).
package final class DialpadSource: ConnectorSource {
    package let client: DialpadClient
    private let operators = Mutex<[String: DialpadOperator]?>(nil)

    package init(client: DialpadClient) {
        self.client = client
    }

    package var kind: ConnectorKind { .dialpad }
    package var requestsUsed: Int { client.http.budget.used }

    package func page(in window: Range<Date>, cursor: String?) async throws(ConnectorError) -> SourcePage {
        let known: [String: DialpadOperator]
        if let cached = operators.withLock({ $0 }) {
            known = cached
        } else {
            known = try await client.operators()
            operators.withLock { $0 = known }
        }
        let page = try await client.callPage(in: window, cursor: cursor)
        let calls = page.items.compactMap { $0.imported(operators: known) }
        return SourcePage(calls: calls, failed: page.items.count - calls.count, nextCursor: page.cursor)
    }

    package func audio(of call: ImportedCall) async throws(ConnectorError) -> Data {
        guard let url = call.recordingURL else {
            throw ConnectorError(.rejected, "Dialpad call \(call.vendorID) has no recording")
        }
        return try await client.recording(url)
    }
}
