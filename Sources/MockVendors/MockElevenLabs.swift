package import Foundation
package import Hummingbird
package import Logging
import MockCRM

/// A mock of the ElevenLabs Conversational AI endpoints a sync uses: the conversation list
/// (`GET /v1/convai/conversations`), a conversation's details and its audio, with ElevenLabs'
/// `xi-api-key` auth and JSON shapes (docs/connectors.md).
package struct MockElevenLabs: Sendable {
    package let state: MockElevenLabsState

    package init(state: MockElevenLabsState) {
        self.state = state
    }

    /// Registers the routes on `group`, whose path stands for `https://api.elevenlabs.io`.
    package func register<Context: RequestContext>(on group: RouterGroup<Context>) {
        group.get("v1/convai/conversations") { request, _ in
            await state.serve(.list(MockPaging.query(request)), key: request.headers[.init("xi-api-key")!]).response
        }
        group.get("v1/convai/conversations/:id") { request, context in
            await state.serve(
                .details(context.parameters.get("id") ?? ""), key: request.headers[.init("xi-api-key")!]
            ).response
        }
        group.get("v1/convai/conversations/:id/audio") { request, context in
            await state.serve(.audio(context.parameters.get("id") ?? ""), key: request.headers[.init("xi-api-key")!])
                .response
        }
    }

    /// Runs the mock on a free loopback port for the duration of `body`, which gets the mock and
    /// the API's base URL (`http://127.0.0.1:PORT/elevenlabs`).
    package static func run<Result: Sendable>(
        state: MockElevenLabsState, logger: Logger = Logger(label: "mock-elevenlabs"),
        _ body: (MockElevenLabs, URL) async throws -> Result
    ) async throws -> Result {
        let mock = MockElevenLabs(state: state)
        let router = Router()
        mock.register(on: router.group("elevenlabs"))
        return try await LoopbackMock.run(router: router, name: "mock ElevenLabs", logger: logger) { port in
            try await body(mock, URL(string: "http://127.0.0.1:\(port)/elevenlabs")!)
        }
    }
}
