import Gateway
import Hummingbird
import MockCRM

/// The mock CRM mounted into a dev-mode server under `/_mock`, behind an admin key: Gateway
/// knows only `AdminRoutes`, never the mock.
struct MockCRMRoutes: AdminRoutes {
    let mock: MockCRM

    var pathPrefix: String { "_mock" }

    func register(on group: RouterGroup<GatewayRequestContext>) {
        mock.registerRoutes(on: group)
    }
}
