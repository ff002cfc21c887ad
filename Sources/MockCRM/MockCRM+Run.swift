import Hummingbird
package import Logging

extension MockCRM {
    /// Runs a mock CRM on a free loopback port for the duration of `body`, which gets the mock and
    /// the base URL of its routes (`http://127.0.0.1:PORT/_mock`). For tests and benchmarks.
    package static func run<Result: Sendable>(
        credentials: MockCRMCredentials = .random(), logger: Logger = Logger(label: "mock-crm"),
        _ body: (MockCRM, String) async throws -> Result
    ) async throws -> Result {
        let mock = MockCRM(credentials: credentials)
        let router = Router()
        mock.register(on: router)
        return try await LoopbackMock.run(router: router, name: "mock CRM", logger: logger) { port in
            try await body(mock, "http://127.0.0.1:\(port)/_mock")
        }
    }
}

/// The one error of the mock CRM module.
package struct MockCRMError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
