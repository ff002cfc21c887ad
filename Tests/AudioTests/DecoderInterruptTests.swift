import Foundation
import Testing

@testable import Audio

/// A decode can be cancelled, has a deadline, and runs on the pool it is given.
@Suite("Decoder deadline, cancellation and pool", .timeLimit(.minutes(3)))
struct DecoderInterruptTests {
    /// Half an hour of 8 kHz silence: far more than any test lets a decode get through.
    static func longRecording(in directory: URL) throws -> String {
        try DecoderLimitsTests.writeSilentWAV(in: directory, rate: 8_000, channels: 1, seconds: 1_800)
    }

    @Test(.timeLimit(.minutes(1)))
    func stopsADecodePastItsDeadline() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.longRecording(in: directory)
        let decoder = AudioFileDecoder(configuration: .init(timeout: 0.3))
        let started = ContinuousClock.now
        do {
            // A slow consumer: unbounded, the decode would take 1,800 × 20 ms.
            _ = try await decoder.withSession(path) { session in
                try session.forEachChunk { _ in usleep(20_000) }
            }
            Issue.record("expected the decode to time out")
        } catch let error as AudioError {
            #expect(error.code == .timedOut && error.isInputError)
            #expect(error.message.contains("longer than the 0.3 s limit (CALLPIPE_DECODE_TIMEOUT_S)"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test(.timeLimit(.minutes(1)))
    func stopsADecodeWhenTheCallerIsCancelled() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.longRecording(in: directory)
        let (firstChunk, decoding) = AsyncStream.makeStream(of: Void.self)
        let cancelSent = Counter()
        let outcome = try await withThrowingTaskGroup(of: AudioError?.self) { group in
            group.addTask {
                do {
                    _ = try await AudioFileDecoder().withSession(path) { session in
                        try session.forEachChunk { _ in
                            decoding.yield()
                            // Hold the decode until the test has cancelled it (at most 10 s).
                            for _ in 0..<1_000 where cancelSent.total == 0 { usleep(10_000) }
                        }
                    }
                    return nil
                } catch let error as AudioError {
                    return error
                }
            }
            for await _ in firstChunk { break }
            group.cancelAll()
            cancelSent.add(1)
            return try await group.next() ?? nil
        }
        #expect(outcome?.code == .cancelled && outcome?.isInputError == false, "\(String(describing: outcome))")
    }

    @Test func decodesOnThePoolItIsGivenAsManyAtOnceAsItHasThreads() async throws {
        let running = Counter()
        let most = Counter()
        try await AudioFileDecoder.withThreadPool(threads: 1) { pool in
            let decoder = AudioFileDecoder(threadPool: pool)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await decoder.withSession(Fixtures.path("excerpt-s16.wav")) { session in
                            running.add(1)
                            defer { running.add(-1) }
                            most.raise(to: running.total)
                            try session.forEachChunk { _ in most.raise(to: running.total) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(most.total == 1)
    }
}
