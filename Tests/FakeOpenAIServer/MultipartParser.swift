package import Foundation

/// Splits a `multipart/form-data` body into its parts, as the fake server and request tests see it.
package struct MultipartPart: Sendable, Equatable {
    package var name: String
    package var filename: String?
    package var contentType: String?
    package var data: Data

    package var text: String { String(decoding: data, as: UTF8.self) }
}

package enum MultipartParser {
    package static func parse(_ body: Data, contentType: String) -> [MultipartPart]? {
        guard let boundary = contentType.components(separatedBy: "boundary=").last, contentType.contains("boundary=")
        else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [MultipartPart] = []
        var cursor = body.startIndex
        guard let first = find(delimiter, in: body, from: cursor) else { return nil }
        cursor = first.upperBound
        while let next = find(delimiter, in: body, from: cursor) {
            var part = body[cursor..<next.lowerBound]
            cursor = next.upperBound
            if part.starts(with: Data("\r\n".utf8)) { part = part.dropFirst(2) }
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: part, from: part.startIndex) else { return nil }
            let header = String(decoding: part[part.startIndex..<headerEnd.lowerBound], as: UTF8.self)
            var content = Data(part[headerEnd.upperBound...])
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            guard let name = value(of: "name", in: header) else { return nil }
            let type = header.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("content-type:") }
                .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces) }
            parts.append(
                MultipartPart(name: name, filename: value(of: "filename", in: header), contentType: type, data: content)
            )
        }
        return body[cursor...].starts(with: Data("--".utf8)) ? parts : nil
    }

    /// Where `needle` first occurs in `data` at or after `start` (indices of `data`). A plain byte
    /// search: `Data.range(of:)` went through NSData and was most of the benchmark's fake server.
    private static func find(_ needle: [UInt8], in data: Data, from start: Data.Index) -> Range<Data.Index>? {
        guard let firstByte = needle.first, data.endIndex - start >= needle.count else { return nil }
        return data.withUnsafeBytes { raw -> Range<Data.Index>? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let base = data.startIndex
            var offset = start - base
            let last = bytes.count - needle.count
            while offset <= last {
                if bytes[offset] == firstByte {
                    var matched = true
                    for index in 1..<needle.count where bytes[offset + index] != needle[index] {
                        matched = false
                        break
                    }
                    if matched { return (base + offset)..<(base + offset + needle.count) }
                }
                offset += 1
            }
            return nil
        }
    }

    private static func value(of key: String, in header: String) -> String? {
        guard let range = header.range(of: " \(key)=\"") ?? header.range(of: ";\(key)=\"") else { return nil }
        return String(header[range.upperBound...].prefix { $0 != "\"" })
    }
}
