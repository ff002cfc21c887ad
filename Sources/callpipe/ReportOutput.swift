import Foundation

/// How commands print a result: pretty JSON with sorted keys (`--json`), or readable text.
enum ReportOutput {
    static func print(_ value: some Encodable, json: Bool, text: () -> String) throws {
        guard json else {
            Swift.print(text())
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
