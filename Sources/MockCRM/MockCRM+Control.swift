import Foundation
import Hummingbird
import NIOCore

/// The mock's own endpoints: what it received, what it holds, and how it should fail.
extension MockCRM {
    struct Control: Decodable {
        var failNext: Int?
        var modes: [MockCRMState.FailureMode]?
        var failRate: Double?
        var delayS: Double?
        var vendors: [String]?

        /// What is out of range, if anything: every number here ends up in arithmetic.
        var problem: String? {
            if let failNext, !(0...1_000_000).contains(failNext) { return "fail_next must be 0 to 1000000" }
            if let failRate, !(failRate.isFinite && (0...1).contains(failRate)) { return "fail_rate must be 0 to 1" }
            if let delayS, !(delayS.isFinite && (0...MockCRM.maxDelay).contains(delayS)) {
                return "delay_s must be 0 to \(Int(MockCRM.maxDelay)) seconds"
            }
            if let vendors, vendors.count > 10 { return "vendors lists at most 10 names" }
            return nil
        }

        enum CodingKeys: String, CodingKey {
            case failNext = "fail_next"
            case modes
            case failRate = "fail_rate"
            case delayS = "delay_s"
            case vendors
        }
    }

    func registerControl<Context: RequestContext>(on mock: RouterGroup<Context>) {
        mock.get("requests") { request, _ in
            let recorded = await state.recorded(vendor: request.uri.queryParameters.get("vendor").map { String($0) })
            return try encoded(["requests": recorded])
        }
        mock.delete("requests") { _, _ in
            await state.reset()
            return Response(status: .noContent)
        }
        mock.get("objects") { _, _ in try encoded(await state.counts()) }
        mock.post("control") { request, _ in
            let body = Data(try await request.body.collect(upTo: 65_536).readableBytesView)
            let modes = MockCRMState.FailureMode.allCases.map(\.rawValue).joined(separator: ", ")
            guard let control = try? JSONDecoder().decode(Control.self, from: body) else {
                return response(
                    .json(
                        400,
                        [
                            "error":
                                "expected {\"fail_next\": n, \"modes\": [\(modes)], \"fail_rate\": 0…1, \"delay_s\": s}"
                        ]))
            }
            if let problem = control.problem {
                return response(.json(400, ["error": problem]))
            }
            await state.setFailures(
                next: control.failNext ?? 0, modes: control.modes ?? [.serverError], rate: control.failRate ?? 0,
                delay: control.delayS ?? 30, vendors: control.vendors.map(Set.init))
            return response(.json(200, ["ok": true]))
        }
    }

    private func encoded(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return response(MockAnswer(status: 200, body: try encoder.encode(value)))
    }
}
