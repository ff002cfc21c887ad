package import Foundation

/// A `multipart/form-data` body (RFC 7578), built in memory: transcription uploads are chunks
/// under 25 MiB by construction.
package struct MultipartForm: Sendable {
    package let boundary: String
    private(set) package var body = Data()

    package init(boundary: String = "callpipe-\(UInt64.random(in: 0...UInt64.max))") {
        self.boundary = boundary
    }

    package var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    package mutating func addField(_ name: String, _ value: String) {
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.escape(name))\"\r\n\r\n")
        append(value)
        append("\r\n")
    }

    package mutating func addFile(_ name: String, filename: String, contentType: String, data: Data) {
        append(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.escape(name))\"; "
                + "filename=\"\(Self.escape(filename))\"\r\nContent-Type: \(contentType)\r\n\r\n")
        body.append(data)
        append("\r\n")
    }

    /// The body with its closing boundary.
    package func finished() -> Data {
        var data = body
        data.append(Data("--\(boundary)--\r\n".utf8))
        return data
    }

    private mutating func append(_ text: String) { body.append(Data(text.utf8)) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "\n", with: "")
    }
}
