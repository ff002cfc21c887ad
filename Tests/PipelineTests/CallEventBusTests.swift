import Foundation
import Testing

@testable import CallPipeCore

@Suite("Call event bus", .timeLimit(.minutes(3)))
struct CallEventBusTests {
    @Test func aStalledSubscriberNeitherBlocksOthersNorGrowsMemory() async throws {
        let bus = CallEventBus(bufferSize: 64, maxDropped: 100)
        let stalled = await bus.subscribe()
        let reader = await bus.subscribe()
        await bus.join(stalled.id, callID: "c1")
        await bus.join(reader.id, callID: "c1")
        // The reader reports how far it got; events go out in batches of 50 and the next batch
        // waits for the reader, so it never falls behind however slow the machine (no sleeps).
        let (progress, reported) = AsyncStream.makeStream(of: Int.self)
        let received = Task<Int, Never> {
            var count = 0
            for await _ in reader.events {
                count += 1
                reported.yield(count)
                if count == 1_000 { break }
            }
            reported.finish()
            return count
        }
        var read = progress.makeAsyncIterator()
        for batch in 0..<20 {
            for index in batch * 50..<(batch + 1) * 50 {
                await bus.publish("transcript_update", callID: "c1", data: ["text": "line \(index)"])
            }
            while let count = await read.next(), count < (batch + 1) * 50 {}
        }
        #expect(await received.value == 1_000)
        // The stalled one fell more than 100 events behind: it was disconnected, its buffer freed.
        #expect(await bus.subscriberCount == 1)
        var kept = 0
        for await _ in stalled.events { kept += 1 }
        #expect(kept <= 64)
    }

    @Test func numbersEventsPerCallAndRemembersTheLatestState() async throws {
        let bus = CallEventBus()
        await bus.publish("call_status", callID: "a", data: ["status": "active"])
        await bus.publish("call_status", callID: "b", data: ["status": "active"])
        let last = await bus.publish("call_status", callID: "a", data: ["status": "done"])
        #expect(last.seq == 2)
        let subscriber = await bus.subscribe()
        await bus.joinFloor(subscriber.id)
        var iterator = subscriber.events.makeAsyncIterator()
        let first = await iterator.next()
        let second = await iterator.next()
        #expect([first?.callID, second?.callID] == ["a", "b"])
        #expect(first?.frame.contains(#""data":{"status":"done"}"#) == true)
        #expect(first?.frame.hasPrefix(#"{"type":"call_status","session_id":"a","seq":2,"at":""#) == true)
    }
}

@Suite("Event frames", .timeLimit(.minutes(3)))
struct CallEventFrameTests {
    @Test func timestampsAreISO8601InUTCWithMilliseconds() {
        #expect(CallEvent.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(CallEvent.timestamp(Date(timeIntervalSince1970: 1_795_000_000.25)) == "2026-11-18T11:06:40.250Z")
        let now = Date()
        let parsed = try? Date(CallEvent.timestamp(now), strategy: .iso8601)
        #expect(abs((parsed ?? .distantPast).timeIntervalSince(now)) < 0.001)
    }
}
