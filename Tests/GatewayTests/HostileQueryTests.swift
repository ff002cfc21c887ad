import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLiteStore
import Testing

@testable import Gateway

/// Numbers, dates and choices from query strings and headers, as an attacker would send them:
/// every one is answered with a 400 naming the field and what it allows — never a crash, never
/// silently taken as unset.
@Suite("Hostile queries", .timeLimit(.minutes(3)))
struct HostileQueryTests {
    static func expectInvalidQuery(
        _ client: some TestClientProtocol, _ app: GatewayTestApp, _ uri: String, mentioning reason: String
    ) async throws {
        try await client.execute(uri: uri, method: .get, headers: app.headers("supervisor")) { response throws in
            #expect(response.status == .badRequest, "\(uri)")
            #expect(try GatewayTestApp.errorCode(response) == "invalid_query", "\(uri)")
            #expect(String(buffer: response.body).contains(reason), "\(uri): \(String(buffer: response.body))")
        }
    }

    @Test func pageNumbersOutsideTheirRangeAre400sNotOverflows() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            for page in [
                "1000000000000000000", "-5", "0", "1000001", "99999999999999999999999", "+5", "1e3", "abc", "",
            ] {
                try await Self.expectInvalidQuery(
                    client, app, "/api/calls/history?page=\(page)",
                    mentioning: "page must be an integer from 1 to 1000000")
            }
            for size in ["0", "501", "-1", "9223372036854775808", ""] {
                try await Self.expectInvalidQuery(
                    client, app, "/api/calls/history?page_size=\(size)",
                    mentioning: "page_size must be an integer from 1 to 500")
            }
            try await Self.expectInvalidQuery(
                client, app, "/api/crm/deliveries?limit=99999999999999999999",
                mentioning: "limit must be an integer from 1 to 1000")
            // The last page there is, far past the calls: an empty page, not an error.
            try await client.execute(
                uri: "/api/calls/history?page=1000000&page_size=500", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                #expect(response.status == .ok)
                let body = try GatewayTestApp.json(response)
                #expect(body["page"] as? Int == 1_000_000 && (body["calls"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func theStoreClampsPagesItIsGivenDirectly() async throws {
        let store = try SQLiteCallStore()
        for page in [Int.max, Int.min, 0] {
            let result = try await store.history(CallHistoryQuery(page: page, pageSize: Int.max))
            #expect(CallHistoryQuery.pages.contains(result.page) && result.pageSize == 500)
        }
    }

    @Test(arguments: [
        "2026-11-24T09:00:00Z", "2026-11-24t09:00:00z", "2026-11-24T09:00:00.123456789+05:30",
        "2026-11-24T09:00:00-00:00", "2026-11-24", "0001-01-01T00:00:00Z", "0000-03-01", "9999-12-31T23:59:59-23:59",
        "2024-02-29T23:59:60Z", "0000-01-01T00:00:00+23:59",
    ])
    func everyRFC3339DateTimeIsAccepted(_ date: String) async throws {
        let app = try await GatewayTestApp()
        let encoded = date.replacingOccurrences(of: "+", with: "%2B")
        try await app.test { client in
            for path in ["/api/calls/history", "/api/analytics/dashboard", "/api/agents", "/api/calls/export.csv"] {
                for name in ["from", "to"] {
                    try await client.execute(
                        uri: "\(path)?\(name)=\(encoded)", method: .get, headers: app.headers("supervisor")
                    ) { #expect($0.status == .ok, "\(path)?\(name)=\(date)") }
                }
            }
        }
    }

    @Test func datesThatAreNotDatesAre400sAndAnInvertedRangeSelectsNothing() async throws {
        #expect(QueryDate.parse("1970-01-02T00:00:00+01:00") == Date(timeIntervalSince1970: 82_800))
        #expect(QueryDate.parse("2000-03-01") == Date(timeIntervalSince1970: 951_868_800))
        #expect(QueryDate.parse("9999-12-31T23:59:59.9999-23:59") == Date(timeIntervalSince1970: QueryDate.latest))
        #expect(QueryDate.parse("0000-01-01T00:00:00+00:01") == Date(timeIntervalSince1970: QueryDate.earliest))
        let (app, _) = try await AnalyticsRoutesTests.seeded(calls: 5)
        try await app.test { client in
            for date in [
                "yesterday", "2026-02-30", "2025-02-29", "2026-13-01", "2026-11-24T24:00:00Z", "2026-11-24T09:00:00",
                "2026-11-24T09:00Z", "2026-11-24T09:00:00+24:00", "2026-11-24T09:00:00.Z", "12026-11-24", "2026-1-4",
                "",
            ] {
                try await Self.expectInvalidQuery(
                    client, app, "/api/calls/history?from=\(date)", mentioning: "from must be an RFC 3339 date-time")
                try await Self.expectInvalidQuery(
                    client, app, "/api/analytics/dashboard?to=\(date)", mentioning: "to must be an RFC 3339 date-time")
            }
            let inverted = "from=2030-01-02&to=2000-01-01"
            try await client.execute(
                uri: "/api/calls/history?\(inverted)", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                let total = try GatewayTestApp.json(response)["total"] as? Int
                #expect(response.status == .ok && total == 0)
            }
            try await client.execute(
                uri: "/api/analytics/dashboard?\(inverted)&demo=true", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                let totals = try GatewayTestApp.json(response)["totals"] as? [String: Any]
                #expect(response.status == .ok && totals?["calls"] as? Int == 0)
            }
        }
    }

    @Test func emptyChoicesAreRefusedNotTakenAsUnset() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            let id = try await CallsControllerTests.startCall(client, app)
            for name in ["status", "direction", "outcome", "sentiment"] {
                for path in ["/api/calls/history", "/api/analytics/dashboard", "/api/agents", "/api/calls/export.csv"] {
                    try await Self.expectInvalidQuery(
                        client, app, "\(path)?\(name)=", mentioning: "\(name) must be one of")
                }
            }
            try await Self.expectInvalidQuery(client, app, "/api/analytics/dashboard?demo=", mentioning: "demo must be")
            try await Self.expectInvalidQuery(
                client, app, "/api/crm/deliveries?state=", mentioning: "state must be one of")
            try await Self.expectInvalidQuery(
                client, app, "/api/calls/\(id)/transcript?format=",
                mentioning: "format must be one of json, txt, srt, vtt")
            try await Self.expectInvalidQuery(client, app, "/api/calls/search?q=", mentioning: "q must hold 1 to 500")
        }
    }

    @Test func searchCountsCodePointsAsTheSpecDoesAndTakesPunctuationAlone() async throws {
        let app = try await GatewayTestApp()
        // 500 code points that make fewer grapheme clusters (e + combining acute, 250 times).
        let combining = String(repeating: "e\u{301}", count: 250)
        try await app.test { client in
            for (query, status) in [
                (combining, HTTPResponse.Status.ok), (combining + "e", .badRequest), ("%20%20", .ok), ("%22*%28", .ok),
            ] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                try await client.execute(
                    uri: "/api/calls/search?q=\(query.hasPrefix("%") ? query : encoded)", method: .get,
                    headers: app.headers("supervisor")
                ) { #expect($0.status == status, "\(query.prefix(20))") }
            }
        }
    }

    @Test func rangeHeadersTooLargeForAnIntegerNeverTrap() async throws {
        let huge = "99999999999999999999"
        #expect(ByteRange.parse("bytes=\(huge)-", size: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-\(huge)", size: 100) == .partial(ByteRange(first: 0, last: 99)))
        #expect(ByteRange.parse("bytes=0-\(huge)", size: 100) == .partial(ByteRange(first: 0, last: 99)))
        #expect(ByteRange.parse("bytes=\(huge)-\(huge)0", size: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-\(Int.max)", size: Int.max) == .partial(ByteRange(first: 0, last: Int.max - 1)))
        #expect(ByteRange.parse("bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-5", size: 0) == .unsatisfiable)
        let app = try await GatewayTestApp()
        try await app.test { client in
            let id = try await RecordingRouteTests.uploadedCall(client, app)
            let size = RecordingRouteTests.mp3.count
            for (range, status) in [
                ("bytes=\(huge)-", HTTPResponse.Status.rangeNotSatisfiable), ("bytes=-\(huge)", .partialContent),
                ("bytes=0-\(huge)", .partialContent), ("bytes=\(Int.max)-\(Int.max)", .rangeNotSatisfiable),
            ] {
                try await client.execute(
                    uri: "/api/calls/\(id)/recording", method: .get, headers: app.headers("ann", [.range: range])
                ) { response in
                    #expect(response.status == status, "\(range)")
                    if status == .partialContent {
                        #expect(response.headers[.contentRange] == "bytes 0-\(size - 1)/\(size)")
                    }
                }
            }
        }
    }

    @Test func transcriptTimesFromAServiceAreClampedNotConverted() {
        #expect(TranscriptFormat.time(1e300, separator: ",") == "277777:46:40,000")
        #expect(TranscriptFormat.time(.infinity, separator: ".") == "277777:46:40.000")
        #expect(TranscriptFormat.time(-.infinity, separator: ".") == "00:00:00.000")
        #expect(TranscriptFormat.time(.nan, separator: ".") == "00:00:00.000")
        #expect(TranscriptFormat.time(3_725.5, separator: ",") == "01:02:05,500")
    }
}
