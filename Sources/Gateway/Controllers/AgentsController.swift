import Hummingbird
import Pipeline

/// `GET /api/agents`: agents and their call counts (an agent key sees itself only).
struct AgentsController: Sendable {
    let store: any CallStore

    struct AgentList: ResponseEncodable {
        var agents: [AgentSummary]
    }

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.get("api/agents") { _, context -> AgentList in
            let caller = try context.caller()
            let agents = try await store.agents()
            return AgentList(agents: caller.role == .agent ? agents.filter { $0.agentID == caller.agentID } : agents)
        }
    }
}
