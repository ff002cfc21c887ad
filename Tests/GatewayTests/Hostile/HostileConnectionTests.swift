import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Gateway

/// Hostile input, family "connections": clients that connect and never finish a request.
@Suite("Hostile input: slow and silent connections", .timeLimit(.minutes(1)))
struct HostileConnectionTests {
    /// Counts connections the server closed.
    final class Counter: Sendable {
        let value = Mutex(0)
    }

    final class CloseCounter: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let closed: Counter

        init(_ closed: Counter) { self.closed = closed }

        func channelInactive(context: ChannelHandlerContext) {
            closed.value.withLock { $0 += 1 }
            context.fireChannelInactive()
        }
    }

    @Test func hundredsOfUnfinishedRequestsDoNotKeepOthersOutAndAreDropped() async throws {
        var access = AccessConfiguration()
        access.requestHeadTimeout = 2
        let app = try await GatewayTestApp(access: access)
        let closed = Counter()
        let count = 300
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var channels: [any Channel] = []
            for index in 0..<count {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(CloseCounter(closed))
                        }
                    }
                    .connect(host: "127.0.0.1", port: port).get()
                // Half of them send nothing; half start a request and never finish its head.
                // (On a loaded machine the deadline may already have closed the first ones.)
                if index.isMultiple(of: 2) {
                    try? await channel.writeAndFlush(ByteBuffer(string: "GET /api/agents HTTP/1.1\r\nHost: x\r\n"))
                        .get()
                }
                channels.append(channel)
            }
            // Meanwhile an ordinary client is served at once: on a connection of its own, opened now
            // (the test client's connection, opened before the 300, is itself past the 2 s deadline
            // on a loaded machine).
            let headers = app.headers("supervisor")
            let response = try await TestClient.withClient(host: "127.0.0.1", port: port) { fresh in
                try await fresh.execute(TestClient.Request("/api/agents", method: .get, headers: headers))
            }
            #expect(response.head.status == .ok)
            // And the idle ones are dropped after the head timeout.
            for _ in 0..<100 where closed.value.withLock({ $0 }) < count {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(closed.value.withLock { $0 } == count)
            for channel in channels { try? await channel.close() }
        }
    }

    @Test func aHeadSplitAcrossReadsIsRecognised() {
        var tail: [UInt8] = []
        #expect(
            !RequestHeadDeadlineHandler.containsHeadEnd(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r"), after: &tail)
        )
        #expect(RequestHeadDeadlineHandler.containsHeadEnd(ByteBuffer(string: "\n\r\n"), after: &tail))
    }
}
