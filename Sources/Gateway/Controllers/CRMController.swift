import CRM
import CallPipeCore
import Foundation
import Hummingbird

/// The CRM outbox for supervisors and admins: the targets (credentials masked), deliveries by
/// state, and the admin's levers — send a delivery again, resume a paused target.
struct CRMController: Sendable {
    let store: any CRMOutbox
    let targets: [CRMTarget]

    struct TargetView: ResponseEncodable {
        var id: String
        var kind: String
        var url: String
        var token: String
        var secret: String
        var paused: Bool
        var pausedReason: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, url, token, secret, paused
            case pausedReason = "paused_reason"
        }
    }

    struct TargetList: ResponseEncodable { var targets: [TargetView] }
    struct DeliveryList: ResponseEncodable {
        var deliveries: [CRMDelivery]
        var counts: [String: Int]
    }

    func register(on router: RouterGroup<GatewayRequestContext>) {
        router.get("api/crm/targets") { _, context -> TargetList in
            try Self.requireReader(context)
            let paused = Dictionary(
                uniqueKeysWithValues: try await store.pausedTargets().map { ($0.target, $0.reason) })
            return TargetList(
                targets: targets.map { target in
                    TargetView(
                        id: target.id, kind: target.kind.rawValue, url: target.displayURL,
                        token: CRMTarget.mask(target.token), secret: CRMTarget.mask(target.secret),
                        paused: paused[target.id] != nil, pausedReason: paused[target.id])
                })
        }
        router.get("api/crm/deliveries") { request, context -> DeliveryList in
            try Self.requireReader(context)
            let parameters = request.uri.queryParameters
            let state = try QueryValue.choice(parameters, "state", CRMDelivery.State.allCases.map(\.rawValue))
                .flatMap(CRMDelivery.State.init(rawValue:))
            let limit = try QueryValue.integer(parameters, "limit", in: 1...1_000) ?? 100
            let counts = try await store.deliveryCounts()
            return DeliveryList(
                deliveries: try await store.deliveries(state: state, limit: limit),
                counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
        }
        router.post("api/crm/deliveries/:id/redeliver") { _, context -> CRMDelivery in
            try Self.requireAdmin(context)
            let id = context.parameters.get("id") ?? ""
            do {
                return try await store.redeliver(id: id, now: Date())
            } catch let error as CallPipeError where error.code == .notFound {
                throw APIError.notFound("no delivery \(id)")
            } catch let error as CallPipeError where error.code == .conflict {
                throw APIError(.conflict, "conflict", error.message)
            }
        }
        router.post("api/crm/targets/:id/resume") { _, context -> Response in
            try Self.requireAdmin(context)
            let id = context.parameters.get("id") ?? ""
            guard targets.contains(where: { $0.id == id }) else { throw APIError.notFound("no CRM target \(id)") }
            _ = try await store.resumeTarget(id)
            return Response(status: .noContent)
        }
    }

    private static func requireReader(_ context: GatewayRequestContext) throws {
        guard try context.caller().role != .agent else {
            throw APIError.forbidden("CRM deliveries are for supervisors and admins")
        }
    }

    private static func requireAdmin(_ context: GatewayRequestContext) throws {
        guard try context.caller().role == .admin else { throw APIError.forbidden("only admins redeliver and resume") }
    }
}
