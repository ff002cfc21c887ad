import AsyncHTTPClient
import EngineTestSupport
import FakeOpenAIServer
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import ObjectStorage
import Testing

/// Several `callpipe serve` processes on one PostgreSQL database (docs/ARCHITECTURE.md §15).
@Suite("callpipe serve: several nodes on PostgreSQL and object storage", .timeLimit(.minutes(3)))
struct ClusterTests {
    /// Node A is killed with SIGKILL while transcribing; node B, already running, takes the job
    /// once A's lease has run out and finishes the call: nothing lost, no stage repeated but the
    /// one cut short, one final summary.
    @Test(.timeLimit(.minutes(2)))
    func anotherNodeFinishesTheCallOfANodeKilledMidJob() async throws {
        try await ClusterNodes.run("cluster") { nodes in
            await nodes.fake.state.setLatency(2)  // Slow transcriptions: the kill lands mid-stage.
            let lease = ["CALLPIPE_JOB_LEASE_S": "3"]
            let (first, base) = try await nodes.start(lease.merging(["CALLPIPE_NODE_ID": "node-a"]) { $1 })
            let id = try await ServerRecoveryTests.upload(nodes.client, base: base, key: nodes.key)
            for _ in 0..<200 where await nodes.fake.state.requests.isEmpty {
                try await Task.sleep(for: .milliseconds(25))
            }
            // Node B joins while A is transcribing: A's claim is live, B leaves it alone.
            let (_, other) = try await nodes.start(lease.merging(["CALLPIPE_NODE_ID": "node-b"]) { $1 })
            try await first.kill()
            #expect(await !nodes.fake.state.requests.isEmpty, "the kill should land while transcribing")
            await nodes.fake.state.setLatency(0)
            let detail = try await nodes.finished(id, on: other)
            #expect(detail["status"] as? String == "done", "\(detail)")
            let jobs = try #require(detail["jobs"] as? [[String: Any]])
            #expect(jobs.first { $0["stage"] as? String == "analyze" }?["attempts"] as? Int == 1)
            #expect(jobs.first { $0["stage"] as? String == "transcribe" }?["attempts"] as? Int == 2)
            #expect(jobs.allSatisfy { $0["state"] as? String == "done" })
            #expect(jobs.filter { $0["stage"] as? String == "summarize" }.count == 1, "one final summary")
            #expect(((detail["transcript"] as? [String: Any])?["segments"] as? [Any])?.isEmpty == false)
        }
    }

    /// A supervisor's room on node B follows a call that node A processes: B's room gets A's
    /// events as they happen, through the database.
    @Test(.timeLimit(.minutes(2)))
    func aSupervisorOnOneNodeWatchesACallProcessedOnAnother() async throws {
        try await ClusterNodes.run("rooms") { nodes in
            // Node A processes; node B has no workers (an API-only node), so only A can.
            let (_, baseA) = try await nodes.start()
            let (nodeB, _) = try await nodes.start(["CALLPIPE_WORKERS": "0"])
            let portB = try await nodeB.port()
            let (_, call) = try await ServerRestartTests.request(
                nodes.client, .POST, "\(baseA)/api/calls/start", key: nodes.key, contentType: "application/json",
                body: Data(#"{"agent_id":"ann"}"#.utf8))
            let id = try #require(call["id"] as? String)
            let key = nodes.key
            let texts = try await nodes.watchRoom(
                port: portB, callID: id, until: [#""type":"call_status""#, #""status":"done""#]
            ) {
                let audio = try Data(contentsOf: CallPipeBinary.fixtures.appendingPathComponent("call.mp3"))
                let (status, _) = try await ServerRestartTests.request(
                    nodes.client, .POST, "\(baseA)/api/calls/\(id)/audio", key: key, contentType: "audio/mpeg",
                    body: audio)
                #expect(status == 202)
            }
            #expect(texts.contains { $0.contains(#""type":"transcript_update""#) }, "\(texts.count) frames")
            #expect(texts.last?.contains(#""status":"done""#) == true)
            // In order: each frame's seq is higher than the one before.
            let seqs = texts.compactMap { text -> Int? in
                guard let range = text.range(of: #""seq":"#) else { return nil }
                return Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "\(seqs)")
        }
    }

    /// An API-only node and a worker node with disks of their own, sharing PostgreSQL and object
    /// storage: the upload taken by the API node is processed by the worker node (it can only read
    /// it from the bucket), and either node serves the recording's ranges from the bucket.
    @Test(.timeLimit(.minutes(2)))
    func nodesWithoutASharedDiskShareRecordingsThroughObjectStorage() async throws {
        let bucket = try await S3TestServer.shared.newBucket(prefix: "calls")
        try await ClusterNodes.run("s3-nodes") { nodes in
            let (apiDisk, workerDisk) = (
                nodes.root.appendingPathComponent("api"), nodes.root.appendingPathComponent("w")
            )
            let storage = ClusterNodes.storage(bucket, prefix: "calls")
            let (_, base) = try await nodes.start(
                storage.merging(["CALLPIPE_WORKERS": "0", "CALLPIPE_NODE_ID": "api-1"]) { $1 }, dataDirectory: apiDisk)
            let (_, workerBase) = try await nodes.start(
                storage.merging(["CALLPIPE_NODE_ID": "worker-1"]) { $1 }, dataDirectory: workerDisk)
            let (_, health) = try await ServerRestartTests.request(nodes.client, .GET, "\(base)/health", key: nodes.key)
            let components = try #require(health["components"] as? [String: [String: Any]])
            let recordings = components["recordings"]?["details"] as? [String: String]
            #expect(recordings?["storage"]?.hasPrefix("s3://\(bucket.bucket)/calls at http://127.0.0.1") == true)
            #expect((components["node"]?["details"] as? [String: String])?["id"] == "api-1")
            #expect(!String(describing: health).contains(bucket.secretAccessKey))

            let id = try await ServerRecoveryTests.upload(nodes.client, base: base, key: nodes.key)
            // Nothing of the recording stays on the API node's disk.
            let leftovers =
                FileManager.default.enumerator(atPath: apiDisk.appendingPathComponent("recordings").path)?
                .compactMap { $0 as? String }.filter { $0.hasSuffix(".mp3") } ?? []
            #expect(leftovers.isEmpty, "\(leftovers)")
            let detail = try await nodes.finished(id, on: base)
            #expect(detail["status"] as? String == "done", "\(detail)")
            let stored = try #require((detail["recordings"] as? [[String: Any]])?.first)
            let path = stored["path"] as? String
            #expect(path?.hasPrefix("s3://\(bucket.bucket)/calls/\(id)/") == true, "\(stored)")
            // Ranges from the bucket, through either node.
            let audio = try Data(contentsOf: CallPipeBinary.fixtures.appendingPathComponent("call.mp3"))
            for node in [base, workerBase] {
                var request = HTTPClientRequest(url: "\(node)/api/calls/\(id)/recording")
                request.headers.add(name: "Authorization", value: "Bearer \(nodes.key)")
                request.headers.add(name: "Range", value: "bytes=100-1099")
                let response = try await nodes.client.execute(request, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 20)
                #expect(response.status == .partialContent)
                #expect(response.headers.first(name: "content-range") == "bytes 100-1099/\(audio.count)")
                #expect(Data(body.readableBytesView) == audio[100...1099])
            }
        }
    }
}
