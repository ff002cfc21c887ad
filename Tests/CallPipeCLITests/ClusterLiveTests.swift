import AsyncHTTPClient
import EngineTestSupport
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Testing

/// Live calls in a cluster (docs/ARCHITECTURE.md §15, "Live calls"): a stream moved to another
/// node continues the same call, a dead node's call is ended by another, the cluster-wide limit,
/// a supervisor on another node.
@Suite("callpipe serve: live calls across nodes", .timeLimit(.minutes(3)))
struct ClusterLiveTests {
    static let start = #"{"event":"start","sample_rate":8000,"channels":1,"encoding":"pcm_s16le"}"#
    static let stop = #"{"event":"stop"}"#

    /// `seconds` of a 440 Hz tone at 8 kHz, in 100 ms frames.
    static func tone(seconds: Int) -> [ByteBuffer] {
        (0..<(seconds * 10)).map { block in
            var buffer = ByteBuffer()
            for index in 0..<800 {
                let t = Double(block * 800 + index) / 8_000
                buffer.writeInteger(Int16(8_000 * sin(2 * .pi * 440 * t)), endianness: .little)
            }
            return buffer
        }
    }

    /// Streams a PCM `start` and `seconds` of tone to `callID` on the node at `port`, then runs
    /// `then` (with the stream open) and reads until the server closes it; returns the close frame.
    @discardableResult
    static func stream(
        port: Int, _ callID: String, key: String, seconds: Int,
        then: @escaping @Sendable (WebSocketOutboundWriter) async throws -> Void = { _ in }
    ) async throws -> WebSocketCloseFrame? {
        try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/api/calls/\(callID)/stream?protocol=pcm&token=\(key)",
            logger: Logger(label: "test")
        ) { inbound, outbound, _ in
            try await outbound.write(.text(Self.start))
            for frame in Self.tone(seconds: seconds) { try await outbound.write(.binary(frame)) }
            try await then(outbound)
            for try await _ in inbound.messages(maxSize: 1 << 20) {}
        }
    }

    static func startCall(_ nodes: ClusterNodes, on base: String) async throws -> String {
        let (_, call) = try await ServerRestartTests.request(
            nodes.client, .POST, "\(base)/api/calls/start", key: nodes.key, contentType: "application/json",
            body: Data(#"{"agent_id":"ann"}"#.utf8))
        return try #require(call["id"] as? String)
    }

    static func isSet(_ value: Any?) -> Bool { value.map { !($0 is NSNull) } ?? false }

    /// Node A drains (SIGTERM) while a call streams to it: the stream is closed with 1012, the
    /// call stays live; the client reconnects to node B and goes on; the call ends with both
    /// nodes' parts as its recordings, in order, and is processed once.
    @Test(.timeLimit(.minutes(2)))
    func aStreamHandedOverByADrainingNodeContinuesTheCallOnAnother() async throws {
        try await ClusterNodes.run("live-handoff") { nodes in
            // Long enough for the reconnect on a loaded machine, short enough for a test.
            let timeout = ["CALLPIPE_LIVE_NODE_TIMEOUT_S": "10"]
            let (nodeA, baseA) = try await nodes.start(timeout)
            let (nodeB, baseB) = try await nodes.start(timeout)
            let (portA, portB) = (try await nodeA.port(), try await nodeB.port())
            let id = try await Self.startCall(nodes, on: baseA)
            // Drain node A (SIGTERM) while the stream is open; its close frame ends the stream.
            let close = try await Self.stream(port: portA, id, key: nodes.key, seconds: 2) { _ in
                try await Task.sleep(for: .milliseconds(500))
                nodeA.process.terminate()
            }
            try await nodeA.stop()
            #expect(close?.closeCode == .unknown(1012), "\(String(describing: close))")
            let (_, during) = try await ServerRestartTests.request(
                nodes.client, .GET, "\(baseB)/api/calls/\(id)", key: nodes.key)
            #expect(!Self.isSet(during["ended_at"]), "the call stays live: \(during)")
            // The reconnect lands on node B and continues the same call.
            try await Self.stream(port: portB, id, key: nodes.key, seconds: 1) { outbound in
                try await outbound.write(.text(Self.stop))
            }
            let detail = try await nodes.finished(id, on: baseB, ended: true)
            #expect(detail["status"] as? String == "done", "\(detail)")
            let recordings = try #require(detail["recordings"] as? [[String: Any]])
            #expect(recordings.count == 2, "A's part and B's part: \(recordings)")
            #expect(recordings.compactMap { $0["sequence"] as? Int } == [1, 2])
            let jobs = try #require(detail["jobs"] as? [[String: Any]])
            #expect(jobs.filter { $0["stage"] as? String == "summarize" }.count >= 1)
            #expect(jobs.allSatisfy { $0["state"] as? String == "done" }, "\(jobs)")
        }
    }

    /// Node A is killed mid-call: after CALLPIPE_LIVE_NODE_TIMEOUT_S node B ends the call, which
    /// is not left live forever.
    @Test(.timeLimit(.minutes(2)))
    func aCallOfANodeKilledMidStreamIsEndedByAnotherNode() async throws {
        try await ClusterNodes.run("live-dead") { nodes in
            let timeout = ["CALLPIPE_LIVE_NODE_TIMEOUT_S": "3"]
            let (nodeA, baseA) = try await nodes.start(timeout)
            let (_, baseB) = try await nodes.start(timeout)
            let id = try await Self.startCall(nodes, on: baseA)
            _ = try? await Self.stream(port: try await nodeA.port(), id, key: nodes.key, seconds: 2) { _ in
                try await Task.sleep(for: .milliseconds(500))
                try await nodeA.kill()
            }
            var ended = false
            for _ in 0..<150 where !ended {
                let (_, detail) = try await ServerRestartTests.request(
                    nodes.client, .GET, "\(baseB)/api/calls/\(id)", key: nodes.key)
                ended = Self.isSet(detail["ended_at"])
                if !ended { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ended, "node B ended the dead node's call")
        }
    }

    /// Two nodes on object storage with disks of their own, parts every second: a call started on
    /// node A gets 3 s of audio, and A is killed 4 s later (its 3 s kept in the bucket as parts);
    /// `then` runs with the call's id and node B.
    static func callOfAKilledNode(
        _ name: String, nodeTimeout: Int,
        then: (ClusterNodes, String, (node: ClusterNodes.ServerProcess, base: String)) async throws -> Void
    ) async throws {
        let bucket = try await S3TestServer.shared.newBucket(prefix: "calls")
        try await ClusterNodes.run(name) { nodes in
            let environment = ClusterNodes.storage(bucket, prefix: "calls").merging([
                "CALLPIPE_LIVE_NODE_TIMEOUT_S": "\(nodeTimeout)", "CALLPIPE_LIVE_CHECKPOINT_S": "1",
            ]) { $1 }
            let (nodeA, baseA) = try await nodes.start(
                environment, dataDirectory: nodes.root.appendingPathComponent("a"))
            let nodeB = try await nodes.start(environment, dataDirectory: nodes.root.appendingPathComponent("b"))
            let id = try await Self.startCall(nodes, on: baseA)
            _ = try? await Self.stream(port: try await nodeA.port(), id, key: nodes.key, seconds: 3) { _ in
                // The stream stays open while node A keeps its 3 s as a part (it checks once a second).
                try await Task.sleep(for: .seconds(4))
                try await nodeA.kill()
            }
            try await then(nodes, id, (node: nodeB.0, base: nodeB.1))
        }
    }

    /// Node A is killed mid-call: the audio it kept in the bucket as parts is joined by node B,
    /// which ends the call and processes that audio as its recording.
    @Test(.timeLimit(.minutes(2)))
    func theAudioANodeKilledMidStreamKeptInTheBucketIsProcessedByAnother() async throws {
        try await Self.callOfAKilledNode("live-parts", nodeTimeout: 3) { nodes, id, nodeB in
            let detail = try await nodes.finished(id, on: nodeB.base, ended: true)
            #expect(detail["status"] as? String == "done", "\(detail)")
            let recordings = try #require(detail["recordings"] as? [[String: Any]])
            #expect(recordings.count == 1, "A's audio, joined from its parts: \(recordings)")
            #expect((recordings.first?["path"] as? String)?.hasPrefix("s3://") == true, "\(recordings)")
            let analysis = try #require(detail["analysis"] as? [String: Any], "\(detail)")
            let duration = try #require(analysis["duration_s"] as? Double, "\(analysis)")
            #expect(abs(duration - 3) < 0.05, "the 3 s streamed to the dead node: \(duration) s")
        }
    }

    /// Node A is killed mid-call and the client reconnects to node B at once (before A's claim
    /// goes stale, so no node ends the call as abandoned): when the call ends on B, B joins the
    /// parts A kept in the bucket, and the call has both nodes' audio, A's first.
    @Test(.timeLimit(.minutes(2)))
    func theAudioOfANodeKilledBeforeItsStreamCameBackElsewhereIsKept() async throws {
        try await Self.callOfAKilledNode("live-parts-reconnect", nodeTimeout: 60) { nodes, id, nodeB in
            try await Self.stream(port: try await nodeB.node.port(), id, key: nodes.key, seconds: 1) { outbound in
                try await outbound.write(.text(Self.stop))
            }
            let detail = try await nodes.finished(id, on: nodeB.base, ended: true)
            #expect(detail["status"] as? String == "done", "\(detail)")
            let recordings = try #require(detail["recordings"] as? [[String: Any]])
            #expect(recordings.count == 2, "A's audio joined from its parts, then B's: \(recordings)")
            #expect(recordings.compactMap { $0["sequence"] as? Int } == [1, 2])
            #expect((recordings.first?["path"] as? String)?.hasSuffix(".joined.wav") == true, "\(recordings)")
            #expect((recordings.last?["path"] as? String)?.hasSuffix(".live.wav") == true, "\(recordings)")
        }
    }

    actor CloseBox {
        var frame: WebSocketCloseFrame?
        func set(_ value: WebSocketCloseFrame?) { frame = value }
    }

    /// With CALLPIPE_LIVE_CLUSTER_MAX_CALLS=1, a call streaming on node A fills the cluster: a
    /// second call on node B is refused with 1013 and the reason.
    @Test(.timeLimit(.minutes(2)))
    func theClusterWideLimitRefusesANewCallOnAnyNode() async throws {
        try await ClusterNodes.run("live-limit") { nodes in
            let limit = ["CALLPIPE_LIVE_CLUSTER_MAX_CALLS": "1"]
            let (nodeA, baseA) = try await nodes.start(limit)
            let (nodeB, baseB) = try await nodes.start(limit)
            let (portA, portB) = (try await nodeA.port(), try await nodeB.port())
            let first = try await Self.startCall(nodes, on: baseA)
            let second = try await Self.startCall(nodes, on: baseB)
            let key = nodes.key
            let refused = CloseBox()
            try await Self.stream(port: portA, first, key: key, seconds: 1) { outbound in
                try await Task.sleep(for: .milliseconds(500))  // The first call is claimed.
                await refused.set(try await Self.stream(port: portB, second, key: key, seconds: 1))
                try await outbound.write(.text(Self.stop))
            }
            let close = await refused.frame
            #expect(close?.closeCode == .unknown(1013))
            #expect(close?.reason?.contains("CALLPIPE_LIVE_CLUSTER_MAX_CALLS") == true, "\(String(describing: close))")
        }
    }

    /// A supervisor on node B watches a call that streams to node A: the room on B gets A's live
    /// events (the call going active, its live numbers) and its end, through the database.
    @Test(.timeLimit(.minutes(2)))
    func aSupervisorOnAnotherNodeWatchesALiveCall() async throws {
        try await ClusterNodes.run("live-watch") { nodes in
            let (nodeA, baseA) = try await nodes.start()
            let (nodeB, _) = try await nodes.start(["CALLPIPE_WORKERS": "0"])
            let (portA, portB) = (try await nodeA.port(), try await nodeB.port())
            let id = try await Self.startCall(nodes, on: baseA)
            let key = nodes.key
            let texts = try await nodes.watchRoom(
                port: portB, callID: id, until: [#""type":"call_status""#, #""status":"ended""#]
            ) {
                try await Self.stream(port: portA, id, key: key, seconds: 2) { outbound in
                    try await outbound.write(.text(Self.stop))
                }
            }
            #expect(texts.contains { $0.contains(#""status":"active""#) }, "\(texts)")
            #expect(texts.contains { $0.contains(#""type":"real_time_insights""#) }, "\(texts.count) frames")
            #expect(texts.last?.contains(#""status":"ended""#) == true)
        }
    }
}
