import Analytics
import Foundation
import Hummingbird
import NIOCore

/// `GET /api/analytics/dashboard` (KPIs and series) and `GET /api/calls/export.csv` (every
/// matching call, streamed page by page, spreadsheet-safe).
struct AnalyticsController: Sendable {
    let store: any CallAnalytics
    /// Rows read from the store per page of the export.
    var exportPageSize = 1_000

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.get("api/analytics/dashboard") { request, context -> DashboardReport in
            let query = try CallFilterParser.parse(request.uri.queryParameters, caller: try context.caller())
            return try await store.dashboard(query)
        }
        router.get("api/calls/export.csv", use: export)
    }

    @Sendable func export(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let query = try CallFilterParser.parse(request.uri.queryParameters, caller: try context.caller())
        // The first page is read before answering, so a broken store is a 500, not a cut-off file.
        let first = try await store.exportPage(query, after: nil, limit: exportPageSize)
        let store = store
        let pageSize = exportPageSize
        let name = "callpipe-calls-\(Date().formatted(Date.ISO8601FormatStyle().year().month().day())).csv"
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"",
            ],
            body: ResponseBody { writer in
                var buffer = ByteBuffer(string: CSVExport.header)
                var page = first
                while !page.isEmpty {
                    for row in page { buffer.writeString(CSVExport.line(row)) }
                    try await writer.write(buffer)
                    buffer.clear()
                    guard page.count == pageSize, let last = page.last else { break }
                    page = try await store.exportPage(
                        query, after: ExportCursor(createdAt: last.createdAt, callID: last.callID), limit: pageSize)
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
                try await writer.finish(nil)
            })
    }
}
