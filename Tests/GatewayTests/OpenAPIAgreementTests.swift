import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// `/openapi.json` and the server agree on which methods each path takes: a declared one reaches
/// its route, any other is a 405 with `Allow` and the API's error body (RFC 9110 §15.5.6).
@Suite("OpenAPI agreement", .timeLimit(.minutes(3)))
struct OpenAPIAgreementTests {
    static func document() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Gateway/Resources/openapi.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
    /// Paths of the WebSocket router: a plain request gets 426.
    static let webSocketPaths: Set = ["/ws", "/api/calls/{id}/stream"]

    @Test func undeclaredMethodsAre405WithAllowAndDeclaredOnesReachTheirRoute() async throws {
        let paths = try #require(Self.document()["paths"] as? [String: [String: Any]])
        #expect(paths.count > 20)
        let declaredMethods = paths.mapValues { Set($0.keys.map { $0.uppercased() }) }
        // With live streams on, as `callpipe serve` runs, so the stream route exists.
        let server = try await LiveTestServer()
        defer { server.cleanUp() }
        let app = server.app
        try await server.run { client in
            let id = try await CallsControllerTests.startCall(client, app)
            for (template, declared) in declaredMethods.sorted(by: { $0.key < $1.key }) {
                let path = template.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(
                    of: "{kind}", with: "dialpad")
                for method in Self.methods {
                    try await client.execute(uri: path, method: method, headers: app.headers("admin")) {
                        response throws in
                        let body = (try? GatewayTestApp.json(response))?["error"] as? [String: Any]
                        if !declared.contains(method.rawValue) {
                            #expect(response.status == .methodNotAllowed, "\(method) \(template)")
                            #expect(
                                response.headers[.allow] == declared.sorted().joined(separator: ", "), "\(template)")
                            #expect(body?["code"] as? String == "method_not_allowed")
                        } else if Self.webSocketPaths.contains(template) {
                            #expect(response.status == .upgradeRequired && response.headers[.upgrade] == "websocket")
                        } else {
                            // Not the router's own 404: the route exists.
                            #expect(response.status != .methodNotAllowed, "\(method) \(template)")
                            #expect(body?["message"] as? String != "Not Found", "\(method) \(template)")
                        }
                    }
                }
            }
            // Paths no route has stay 404s.
            try await client.execute(uri: "/api/nothing/here", method: .delete, headers: app.headers("admin")) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func theDocumentDeclaresWhatTheQueryParsersEnforce() throws {
        let paths = try #require(Self.document()["paths"] as? [String: [String: [String: Any]]])
        let history = try #require(paths["/api/calls/history"]?["get"]?["parameters"] as? [[String: Any]])
        func schema(_ name: String) -> [String: Any]? {
            history.first { $0["name"] as? String == name }?["schema"] as? [String: Any]
        }
        #expect(schema("page")?["minimum"] as? Int == CallHistoryQuery.pages.lowerBound)
        #expect(schema("page")?["maximum"] as? Int == CallHistoryQuery.pages.upperBound)
        #expect(schema("page_size")?["maximum"] as? Int == CallHistoryQuery.pageSizes.upperBound)
        #expect(schema("outcome")?["enum"] as? [String] == CallFilterParser.outcomes)
        #expect(schema("status")?["enum"] as? [String] == StoredCall.Status.allCases.map(\.rawValue))
    }
}
