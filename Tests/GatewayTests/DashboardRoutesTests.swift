import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

@Suite("The dashboard's static files", .timeLimit(.minutes(3)))
struct DashboardRoutesTests {
    /// A throwaway `Public/` with a secret file beside it (never to be served).
    struct Site {
        let root: URL
        var publicDirectory: String { root.appendingPathComponent("Public").path }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)")
            let files = [
                "Public/index.html":
                    "<!doctype html><title>CallPipe</title><script type=module src=/js/app.js></script>",
                "Public/js/app.js": "export const answer = 42;\n",
                "Public/css/app.css": "body { margin: 0 }\n",
                "Public/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                "secret.txt": "TOP-SECRET",
            ]
            for (path, text) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func servesIndexHtmlAtTheRootWithoutAKeyAndWithCachingAndSecurityHeaders() async throws {
        let site = try Site()
        defer { site.remove() }
        let app = try await GatewayTestApp(publicDirectory: site.publicDirectory)
        try await app.test { client in
            let eTag = try await client.execute(uri: "/?token=ignored", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("<title>CallPipe</title>"))
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[.lastModified] != nil)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: eTag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test(arguments: [
        ("/js/app.js", "text/javascript; charset=utf-8", "export const answer"),
        ("/css/app.css", "text/css; charset=utf-8", "margin"),
        ("/icon.svg", "image/svg+xml", "<svg"),
    ])
    func servesEachAssetWithItsContentType(path: String, contentType: String, content: String) async throws {
        let site = try Site()
        defer { site.remove() }
        let app = try await GatewayTestApp(publicDirectory: site.publicDirectory)
        try await app.test { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == contentType)
                #expect(String(buffer: response.body).contains(content))
                #expect(response.headers[.contentSecurityPolicy] == nil, "the policy belongs to pages")
            }
        }
    }

    @Test(arguments: [
        "/../secret.txt", "/%2e%2e/secret.txt", "/js/..%2f..%2fsecret.txt", "/js/%2E%2E/%2E%2E/secret.txt",
    ])
    func refusesPathsThatClimbOutOfPublic(path: String) async throws {
        let site = try Site()
        defer { site.remove() }
        let app = try await GatewayTestApp(publicDirectory: site.publicDirectory)
        try await app.test { client in
            try await client.execute(uri: path, method: .get) { response throws in
                #expect(response.status == .badRequest)
                #expect(!String(buffer: response.body).contains("TOP-SECRET"))
                #expect(try GatewayTestApp.errorCode(response) == "http_error", "errors keep the API's shape")
            }
        }
    }

    @Test func leavesMissingFilesAndTheAPIAsTheyWere() async throws {
        let site = try Site()
        defer { site.remove() }
        let app = try await GatewayTestApp(publicDirectory: site.publicDirectory)
        try await app.test { client in
            try await client.execute(uri: "/js/missing.js", method: .get) { response throws in
                #expect(response.status == .notFound)
                #expect(try GatewayTestApp.errorCode(response) == "not_found")
            }
            // Files need no key; the API still does, and a POST is never answered with a file.
            try await client.execute(uri: "/api/calls/history", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/index.html", method: .post) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/calls/nope", method: .get, headers: app.headers("supervisor")) {
                response throws in
                #expect(response.status == .notFound)
                #expect(try GatewayTestApp.errorCode(response) == "not_found")
            }
            // A folder without its slash is redirected, as FileMiddleware does.
            try await client.execute(uri: "/js", method: .get) { #expect($0.status == .movedPermanently) }
        }
    }

    @Test func saysWhereTheFilesShouldBeWhenThereAreNone() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: "/", method: .get) { response throws in
                #expect(response.status == .notFound)
                #expect(try GatewayTestApp.errorCode(response) == "dashboard_missing")
                #expect(String(buffer: response.body).contains("CALLPIPE_PUBLIC_DIR"))
            }
        }
    }

    @Test func findsPublicAboveTheExecutableUnlessTheEnvironmentNamesAFolder() throws {
        let site = try Site()
        defer { site.remove() }
        let executable = site.root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/callpipe").path
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID())").path
        #expect(
            DashboardConfiguration.locate(explicit: nil, executable: executable, workingDirectory: elsewhere).directory
                == site.publicDirectory)
        #expect(
            DashboardConfiguration.locate(
                explicit: nil, executable: elsewhere + "/callpipe", workingDirectory: site.root.path
            )
            .directory == site.publicDirectory)
        #expect(
            DashboardConfiguration.locate(
                explicit: nil, executable: elsewhere + "/callpipe", workingDirectory: elsewhere
            )
            .directory == nil)
        #expect(DashboardConfiguration.locate(explicit: "/srv/ui", executable: executable).directory == "/srv/ui")
    }
}
