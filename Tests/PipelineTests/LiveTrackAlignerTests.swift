import Testing

@testable import CallPipeCore
@testable import Live

@Suite("Live track alignment (Twilio chunks)", .timeLimit(.minutes(3)))
struct LiveTrackAlignerTests {
    static func frame(_ value: Float, _ count: Int = 160) -> [Float] { Array(repeating: value, count: count) }

    /// Feeds (channel, position, value) payloads and collects every block handed out.
    static func run(_ payloads: [(Int, Int, Float)], silent: [Int] = [], drain: Bool = true) throws -> (
        [[Float]], LiveTrackAligner
    ) {
        var aligner = LiveTrackAligner(channels: 2, sampleRate: 8_000)
        for channel in silent { aligner.markSilent(channel) }
        var output: [[Float]] = [[], []]
        for (channel, position, value) in payloads {
            try aligner.add(frame(value), channel: channel, at: position)
            while let block = aligner.take() { for index in 0..<2 { output[index] += block[index] } }
        }
        if drain, let block = aligner.drain() { for index in 0..<2 { output[index] += block[index] } }
        return (output, aligner)
    }

    @Test func inOrderTracksComeOutSideBySide() throws {
        let payloads = (0..<10).flatMap { index in [(0, index * 160, Float(index)), (1, index * 160, -Float(index))] }
        let (output, aligner) = try Self.run(payloads)
        #expect(output[0].count == 1_600)
        #expect(output[1].count == 1_600)
        #expect(output[0][5 * 160] == 5)
        #expect(output[1][5 * 160] == -5)
        #expect(aligner.filledSamples == 0)
        #expect(aligner.lateSamples == 0)
    }

    @Test func aMissingChunkBecomesSilenceAndTimeDoesNotShift() throws {
        // Chunk 3 of track 0 never comes: its 20 ms are silence and chunk 4 stays at 80 ms.
        var payloads: [(Int, Int, Float)] = []
        for index in 0..<10 {
            if index != 3 { payloads.append((0, index * 160, 1)) }
            payloads.append((1, index * 160, 1))
        }
        let (output, aligner) = try Self.run(payloads)
        #expect(output[0].count == 1_600)
        #expect(output[0][3 * 160..<4 * 160].allSatisfy { $0 == 0 })
        #expect(output[0][4 * 160] == 1)
        #expect(aligner.filledSamples == 160)
    }

    @Test func aChunkThatArrivesLateButWithinTheWindowGoesWhereItBelongs() throws {
        let payloads: [(Int, Int, Float)] = [
            (0, 0, 1), (1, 0, 1), (0, 320, 3), (1, 160, 2), (0, 160, 2), (1, 320, 3),
        ]
        let (output, aligner) = try Self.run(payloads)
        #expect(Array(output[0][0..<480]) == Self.frame(1) + Self.frame(2) + Self.frame(3))
        #expect(aligner.filledSamples == 0)
        #expect(aligner.lateSamples == 0)
    }

    @Test func aChunkAfterItsGapWasFilledIsDroppedAndCounted() throws {
        var payloads: [(Int, Int, Float)] = []
        for index in 0..<10 where index != 2 { payloads += [(0, index * 160, 1), (1, index * 160, 1)] }
        payloads.append((0, 2 * 160, 9))  // 140 ms late: its place is already silence.
        payloads.append((1, 2 * 160, 9))
        let (output, aligner) = try Self.run(payloads)
        #expect(output[0].count == 1_600)
        #expect(!output[0].contains(9))
        #expect(aligner.lateSamples == 320)
    }

    @Test func aDuplicateChunkIsDropped() throws {
        let payloads: [(Int, Int, Float)] = [(0, 0, 1), (1, 0, 1), (0, 0, 7), (1, 0, 7), (0, 160, 2), (1, 160, 2)]
        let (output, aligner) = try Self.run(payloads)
        #expect(output[0] == Self.frame(1) + Self.frame(2))
        #expect(aligner.lateSamples == 320)
    }

    @Test func aTrackThatStallsIsFilledSoTheOtherKeepsFlowing() throws {
        // Only track 1 sends for a second: track 0 is filled up to the lag window behind it.
        let payloads = (0..<50).map { (1, $0 * 160, Float(1)) }
        let (output, _) = try Self.run(payloads, drain: false)
        #expect(output[1].count >= 8_000 - 2_400 - 160)
        #expect(output[0].allSatisfy { $0 == 0 })
    }

    @Test func aTrackTheStreamDoesNotCarryIsSilenceWithoutDelay() throws {
        let payloads = (0..<10).map { (1, $0 * 160, Float(1)) }
        let (output, _) = try Self.run(payloads, silent: [0], drain: false)
        #expect(output[1].count == 1_600)
        #expect(output[0] == Array(repeating: 0, count: 1_600))
    }

    @Test func anAbsurdJumpIsRefused() {
        var aligner = LiveTrackAligner(channels: 2, sampleRate: 8_000)
        #expect(throws: CallPipeError.self) { try aligner.add(Self.frame(1), channel: 0, at: 8_000 * 3_600) }
        #expect(throws: CallPipeError.self) { try aligner.add(Self.frame(1), channel: 0, at: -160) }
    }
}

@Suite("Live audio formats", .timeLimit(.minutes(3)))
struct LiveAudioFormatTests {
    @Test func pcm16StereoFramesAreDeinterleaved() throws {
        let format = LiveAudioFormat(encoding: .pcm16, sampleRate: 16_000, channels: 2)
        // Left 0x4000 (0.5), right 0xC000 (-0.5), twice.
        let planar = try format.decode([0x00, 0x40, 0x00, 0xC0, 0x00, 0x40, 0x00, 0xC0] as [UInt8])
        #expect(planar == [[0.5, 0.5], [-0.5, -0.5]])
    }

    @Test func framesAppendToTheBlockBeingGathered() throws {
        let format = LiveAudioFormat(encoding: .pcm16, sampleRate: 16_000, channels: 2)
        var block: [[Float]] = [[], []]
        // Three frames as a connection gets them: each appended after the last, extremes exact.
        for bytes: [UInt8] in [[0x00, 0x40, 0x00, 0xC0], [0xFF, 0x7F, 0x00, 0x80], [0x00, 0x00, 0x01, 0x00]] {
            try bytes.withUnsafeBytes { try format.decode($0, appendingTo: &block) }
        }
        let left: [Float] = [0.5, Float(32_767) / 32_768, 0]
        let right: [Float] = [-0.5, -1, Float(1) / 32_768]
        #expect(block[0] == left)
        #expect(block[1] == right)
        // A broken frame adds nothing to what was gathered.
        #expect(throws: CallPipeError.self) {
            try ([1, 2, 3] as [UInt8]).withUnsafeBytes { try format.decode($0, appendingTo: &block) }
        }
        #expect(block[0].count == 3 && block[1].count == 3)
        // A collection without contiguous storage decodes the same.
        let planar = try format.decode(([0x00, 0x40, 0x00, 0xC0] as [UInt8]).lazy.map { $0 })
        #expect(planar == [[0.5], [-0.5]])
    }

    @Test func muLawMonoFramesAreDecoded() throws {
        let format = LiveAudioFormat(encoding: .mulaw, sampleRate: 8_000, channels: 1)
        let planar = try format.decode([0xFF, 0x80] as [UInt8])
        #expect(planar[0][0] == 0)
        #expect(planar[0][1] > 0.97)
    }

    @Test func partialSampleFramesAndAbsurdFormatsAreRefused() {
        let stereo = LiveAudioFormat(encoding: .pcm16, sampleRate: 16_000, channels: 2)
        #expect(throws: CallPipeError.self) { try stereo.decode([1, 2, 3] as [UInt8]) }
        #expect(throws: CallPipeError.self) {
            try LiveAudioFormat(encoding: .pcm16, sampleRate: 1_000_000, channels: 1).validated()
        }
        #expect(throws: CallPipeError.self) {
            try LiveAudioFormat(encoding: .pcm16, sampleRate: 0, channels: 1).validated()
        }
        #expect(throws: CallPipeError.self) {
            try LiveAudioFormat(encoding: .pcm16, sampleRate: 16_000, channels: 8).validated()
        }
        #expect((try? LiveAudioFormat(encoding: .mulaw, sampleRate: 8_000, channels: 2).validated()) != nil)
    }
}
