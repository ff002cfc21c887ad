import CallPipeCore
import Configuration
import Foundation
import ObjectStorage
import Testing

@Suite("CALLPIPE_STORAGE_URL and the S3 keys")
struct S3ConfigurationTests {
    static func read(_ values: [String: String]) throws(CallPipeError) -> S3Configuration? {
        let provider = InMemoryProvider(
            values: Dictionary(
                uniqueKeysWithValues: values.map {
                    (AbsoluteConfigKey(stringLiteral: $0.key), ConfigValue(stringLiteral: $0.value))
                }))
        return try S3Configuration(reader: ConfigReader(provider: provider), dataDirectory: "/data")
    }

    @Test func unsetOrLocalKeepsRecordingsOnDisk() throws {
        #expect(try Self.read([:]) == nil)
        #expect(try Self.read(["callpipe.storage.url": "local"]) == nil)
        #expect(try Self.read(["callpipe.storage.url": "file:///data/recordings"]) == nil)
    }

    @Test func readsTheBucketPrefixEndpointAndKeys() throws {
        let configuration = try #require(
            try Self.read([
                "callpipe.storage.url": "s3://calls-eu/prod/recordings/", "callpipe.s3.endpoint": "http://minio:9000",
                "callpipe.s3.region": "eu-central-1", "callpipe.s3.access.key.id": "AKID",
                "callpipe.s3.secret.access.key": "very-secret",
            ]))
        #expect(configuration.bucket == "calls-eu" && configuration.prefix == "prod/recordings")
        #expect(configuration.pathStyle && configuration.region == "eu-central-1")
        #expect(configuration.objectKey("call_1/rec.wav") == "prod/recordings/call_1/rec.wav")
        #expect(configuration.cacheDirectory == "/data/cache")
        #expect(!configuration.description.contains("very-secret") && !configuration.description.contains("AKID"))
    }

    @Test func awsNamesAreTheFallbackAndAWSIsTheDefaultEndpoint() throws {
        let configuration = try #require(
            try Self.read([
                "callpipe.storage.url": "s3://calls", "aws.access.key.id": "AKID", "aws.secret.access.key": "s",
                "aws.region": "eu-west-2",
            ]))
        #expect(configuration.endpoint.absoluteString == "https://s3.eu-west-2.amazonaws.com")
        #expect(!configuration.pathStyle && configuration.prefix.isEmpty && configuration.accessKeyID == "AKID")
    }

    @Test func refusesWhatCannotWork() throws {
        let keys = ["callpipe.s3.access.key.id": "AKID", "callpipe.s3.secret.access.key": "s"]
        let cases: [([String: String], String)] = [
            (["callpipe.storage.url": "gs://bucket"], "s3://BUCKET/PREFIX"),
            (["callpipe.storage.url": "s3://Upper_Case"], "no valid bucket"),
            (["callpipe.storage.url": "s3://ab"], "no valid bucket"),
            (["callpipe.storage.url": "s3://calls", "callpipe.s3.endpoint": "ftp://x"], "http:// or https://"),
            (["callpipe.storage.url": "s3://calls", "callpipe.s3.part.mb": "2"], "CALLPIPE_S3_PART_MB"),
        ]
        for (values, message) in cases {
            #expect(throws: CallPipeError.self) { try Self.read(values.merging(keys) { a, _ in a }) }
            do {
                _ = try Self.read(values.merging(keys) { a, _ in a })
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
        do {
            _ = try Self.read(["callpipe.storage.url": "s3://calls"])
            Issue.record("no keys accepted")
        } catch {
            #expect(error.message.contains("CALLPIPE_S3_ACCESS_KEY_ID"))
        }
    }
}
