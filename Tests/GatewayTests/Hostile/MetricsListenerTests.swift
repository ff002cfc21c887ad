import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Gateway

@Suite("CALLPIPE_METRICS_PORT", .timeLimit(.minutes(1)))
struct MetricsListenerTests {
    /// Collects everything a connection receives until the server closes it.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let text = Mutex("")
        let done: EventLoopPromise<String>

        init(done: EventLoopPromise<String>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            text.withLock { $0 += String(buffer: buffer) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.succeed(text.withLock { $0 })
        }
    }

    static func get(_ path: String, port: Int) async throws -> String {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let done = loop.makePromise(of: String.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Collector(done: done))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
        } catch {
            done.fail(error)  // Not listening yet: the promise must not be left unfulfilled.
            throw error
        }
        try await channel.writeAndFlush(
            ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        ).get()
        return try await done.futureResult.get()
    }

    /// A port nobody listens on right now.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    @Test func aSeparateListenerServesOnlyMetricsWithoutAKey() async throws {
        var access = AccessConfiguration()
        access.metricsPort = try await Self.freePort()
        let port = try #require(access.metricsPort)
        let app = try await GatewayTestApp(access: access)
        try await app.test(.live) { client in
            var metrics = ""
            for _ in 0..<50 {
                metrics = (try? await Self.get("/metrics", port: port)) ?? ""
                if !metrics.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(metrics.hasPrefix("HTTP/1.1 200") && metrics.contains("callpipe_calls"))
            let other = try await Self.get("/api/agents", port: port)
            #expect(other.hasPrefix("HTTP/1.1 404"))
            // The main port still wants a key.
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}
