import NIOCore
import NIOEmbedded
import Testing

@testable import Gateway

/// `LiveReadPacer` lets a live stream's socket be read at most once per interval, and never loses
/// a read it held (docs/ARCHITECTURE.md §12, "Live capacity").
@Suite("Live read pacer")
struct LiveReadPacerTests {
    /// Counts the reads that get past the pacer (it sits between this and the channel's head).
    final class ReadCounter: ChannelOutboundHandler, RemovableChannelHandler {
        typealias OutboundIn = NIOAny
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test func holdsReadsUntilTheIntervalHasPassed() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let counter = ReadCounter()
        try channel.pipeline.syncOperations.addHandlers([counter, LiveReadPacer(interval: .milliseconds(100))])

        channel.read()
        #expect(counter.reads == 1)  // The first read goes at once.
        loop.advanceTime(by: .milliseconds(40))
        channel.read()
        channel.read()
        #expect(counter.reads == 1)  // Held, and a second request adds nothing.
        loop.advanceTime(by: .milliseconds(59))
        #expect(counter.reads == 1)
        loop.advanceTime(by: .milliseconds(1))
        #expect(counter.reads == 2)  // 100 ms after the first.
        loop.advanceTime(by: .milliseconds(300))
        channel.read()
        #expect(counter.reads == 3)  // Long enough since the last: at once.
        _ = try channel.finish()
    }

    @Test func aHeldReadGoesThroughWhenThePacerIsRemoved() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let counter = ReadCounter()
        let pacer = LiveReadPacer(interval: .seconds(10))
        try channel.pipeline.syncOperations.addHandlers([counter, pacer])
        channel.read()
        channel.read()
        #expect(counter.reads == 1)
        try channel.pipeline.syncOperations.removeHandler(pacer).wait()
        #expect(counter.reads == 2)
        loop.advanceTime(by: .seconds(20))
        #expect(counter.reads == 2)  // The cancelled timer does not read again.
        _ = try channel.finish()
    }
}
