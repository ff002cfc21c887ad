import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// The dashboard as shipped in `Public/`: every file it links or imports is served, with a type
/// the browser runs, and the whole stays small.
@Suite("The shipped dashboard (Public/)", .timeLimit(.minutes(3)))
struct PublicAssetsTests {
    static let publicDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Public")

    /// Every file under Public/, as URL paths.
    static func files() throws -> [String] {
        let root = publicDirectory.standardizedFileURL.path
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.map { "/" + $0 }.sorted()
    }

    /// What a page or module refers to: `src`/`href` attributes and `import ... from '...'`.
    static func references(in text: String, from path: String) -> [String] {
        let patterns = [##"(?:src|href)="(/[^"#?]*)""##, #"from '(\.{1,2}/[^']+)'"#]
        var found: [String] = []
        for pattern in patterns {
            let regex = try! NSRegularExpression(pattern: pattern)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let reference = String(text[range])
                let base = URL(string: "http://x" + path)!
                found.append(URL(string: reference, relativeTo: base)!.path)
            }
        }
        return found
    }

    @Test func servesEveryFileThePagesAndModulesReferTo() async throws {
        let app = try await GatewayTestApp(publicDirectory: Self.publicDirectory.path)
        let files = try Self.files()
        #expect(files.contains("/index.html") && files.contains("/js/app.js"))
        try await app.test { client in
            var referenced: Set<String> = ["/"]
            for file in files where file.hasSuffix(".html") || file.hasSuffix(".js") {
                let text = try String(contentsOf: Self.publicDirectory.appendingPathComponent(file), encoding: .utf8)
                referenced.formUnion(Self.references(in: text, from: file))
            }
            #expect(referenced.count > 10, "\(referenced)")
            for path in referenced.sorted() where !path.hasPrefix("/api") {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path) is referenced but not served")
                    let type = response.headers[.contentType] ?? ""
                    if path.hasSuffix(".js") { #expect(type.hasPrefix("text/javascript"), "\(path): \(type)") }
                    if path.hasSuffix(".css") { #expect(type.hasPrefix("text/css"), "\(path): \(type)") }
                    if path == "/" { #expect(type.hasPrefix("text/html")) }
                }
            }
        }
    }

    @Test func weighsLessThan150KilobytesInAll() throws {
        let total = try Self.files().reduce(0) { sum, file in
            let attributes = try FileManager.default.attributesOfItem(
                atPath: Self.publicDirectory.appendingPathComponent(file).path)
            return sum + ((attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
        #expect(total < 150 * 1_024, "\(total) bytes")
    }

    @Test func keepsScriptsOutOfThePageSoTheContentSecurityPolicyHolds() throws {
        let page = try String(contentsOf: Self.publicDirectory.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!page.contains("<script>") && !page.contains(" onclick=") && !page.contains("style="))
    }
}
