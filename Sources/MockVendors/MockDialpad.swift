package import Foundation
package import Hummingbird
package import Logging
import MockCRM

/// A mock of the Dialpad API v2 endpoints a sync uses (`GET /api/v2/call`,
/// `GET /api/v2/departments/{id}/operators`), with Dialpad's auth (Bearer key or `apikey`),
/// JSON shapes and cursor pagination, for tests, benchmarks and a first run without a key
/// (docs/connectors.md).
package struct MockDialpad: Sendable {
    package let state: MockDialpadState

    package init(state: MockDialpadState) {
        self.state = state
    }

    /// Registers the routes on `group`, whose path stands for `https://dialpad.com`.
    package func register<Context: RequestContext>(on group: RouterGroup<Context>) {
        group.get("api/v2/call") { request, _ in
            let query = MockPaging.query(request)
            return await state.serve(
                .callPage(query), authorization: request.headers[.authorization], apiKeyParameter: query["apikey"]
            ).response
        }
        group.get("api/v2/departments/:department/operators") { request, context in
            await state.serve(
                .operators(departmentID: context.parameters.get("department") ?? ""),
                authorization: request.headers[.authorization], apiKeyParameter: MockPaging.query(request)["apikey"]
            ).response
        }
        group.get("r/:recording") { request, context in
            await state.serve(
                .recording(context.parameters.get("recording") ?? ""),
                authorization: request.headers[.authorization], apiKeyParameter: MockPaging.query(request)["apikey"]
            ).response
        }
    }

    /// Runs the mock on a free loopback port for the duration of `body`, which gets the mock and
    /// the API's base URL (`http://127.0.0.1:PORT/dialpad`).
    package static func run<Result: Sendable>(
        state: MockDialpadState, logger: Logger = Logger(label: "mock-dialpad"),
        _ body: (MockDialpad, URL) async throws -> Result
    ) async throws -> Result {
        let mock = MockDialpad(state: state)
        let router = Router()
        mock.register(on: router.group("dialpad"))
        return try await LoopbackMock.run(router: router, name: "mock Dialpad", logger: logger) { port in
            await state.setRecordingBaseURL("http://127.0.0.1:\(port)/dialpad")
            return try await body(mock, URL(string: "http://127.0.0.1:\(port)/dialpad")!)
        }
    }
}
