package import Foundation
package import Hummingbird
import NIOCore

/// A response of the mock, in the vendor's JSON.
package struct MockAnswer: Sendable {
    package var status: Int
    package var body: Data
    package var headers: [String: String] = [:]

    package init(status: Int, body: Data, headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    package static func json(_ status: Int, _ object: Any, headers: [String: String] = [:]) -> MockAnswer {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return MockAnswer(status: status, body: data, headers: headers)
    }

    package static let noContent = MockAnswer(status: 204, body: Data())

    package static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The answer as a Hummingbird response (JSON content type, the answer's headers).
    package var response: Response {
        var response = Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        for (name, value) in headers { response.headers[.init(name)!] = value }
        return response
    }
}
