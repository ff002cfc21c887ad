import Analytics
import Hummingbird

/// `GET /api/agents?from=&to=&...`: every agent with calls in the range and their KPIs (an agent
/// key sees itself only).
struct AgentsController: Sendable {
    let store: any CallAnalytics

    struct AgentList: ResponseEncodable {
        var agents: [AgentMetrics]
    }

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.get("api/agents") { request, context -> AgentList in
            let query = try CallFilterParser.parse(request.uri.queryParameters, caller: try context.caller())
            return AgentList(agents: try await store.agentMetrics(query))
        }
    }
}
