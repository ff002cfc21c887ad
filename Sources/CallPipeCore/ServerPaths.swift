/// Keeps server file paths out of responses: module errors name the file they failed on (useful in
/// the log and the CLI), but a caller of the API must not learn where the server keeps its data.
package enum ServerPaths {
    /// `message` with every absolute path of two or more components replaced by "the file"; the
    /// API's own routes (`/api/...`, `/ws`, `/_mock/...`) are left as they are.
    package static func redact(_ message: String) -> String {
        guard message.contains("/") else { return message }
        var result = ""
        var index = message.startIndex
        var previous: Character?
        while index < message.endIndex {
            let character = message[index]
            if character == "/", previous.map(startsToken) ?? true {
                let end = message[index...].firstIndex(where: endsToken) ?? message.endIndex
                let token = message[index..<end]
                if token.dropFirst().contains("/"), !routePrefixes.contains(where: token.hasPrefix) {
                    result += "the file"
                } else {
                    result += token
                }
                previous = token.last
                index = end
                continue
            }
            result.append(character)
            previous = character
            index = message.index(after: index)
        }
        return result
    }

    private static let routePrefixes = ["/api/", "/_mock/", "/ws"]

    private static func startsToken(_ character: Character) -> Bool {
        character.isWhitespace || "(\"'=[".contains(character)
    }

    private static func endsToken(_ character: Character) -> Bool {
        character.isWhitespace || ":\"',()]".contains(character)
    }
}
