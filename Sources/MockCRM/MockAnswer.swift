import Foundation

/// A response of the mock, in the vendor's JSON.
struct MockAnswer: Sendable {
    var status: Int
    var body: Data
    var headers: [String: String] = [:]

    static func json(_ status: Int, _ object: Any, headers: [String: String] = [:]) -> MockAnswer {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return MockAnswer(status: status, body: data, headers: headers)
    }

    static let noContent = MockAnswer(status: 204, body: Data())

    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
