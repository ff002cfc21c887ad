import Audio
package import CallPipeCore

/// What a live stream carries (docs/ARCHITECTURE.md §5 `start`): encoding, rate and channels of its frames.
package struct LiveAudioFormat: Sendable, Equatable {
    package enum Encoding: String, Sendable, Equatable, Codable {
        case pcm16 = "pcm_s16le"
        case mulaw
    }

    package var encoding: Encoding
    package var sampleRate: Int
    package var channels: Int

    /// Telephone (8 kHz) to studio (96 kHz) rates; anything else is a client bug.
    package static let sampleRates = 8_000...96_000

    package init(encoding: Encoding, sampleRate: Int, channels: Int) {
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Twilio Media Streams: μ-law 8 kHz, one track per party, recorded as stereo.
    package static let twilio = LiveAudioFormat(encoding: .mulaw, sampleRate: 8_000, channels: 2)

    /// Bytes per sample frame of this format.
    package var bytesPerFrame: Int { channels * (encoding == .pcm16 ? 2 : 1) }

    /// Checks the values a client sent.
    package func validated() throws(CallPipeError) -> LiveAudioFormat {
        guard Self.sampleRates.contains(sampleRate) else {
            throw CallPipeError(
                .invalid,
                "sample_rate \(sampleRate) is not supported (\(Self.sampleRates.lowerBound)–\(Self.sampleRates.upperBound) Hz)"
            )
        }
        guard (1...2).contains(channels) else {
            throw CallPipeError(.invalid, "channels must be 1 or 2, not \(channels)")
        }
        return self
    }

    /// Decodes one binary frame of interleaved samples into planar floats.
    package func decode(_ bytes: some Collection<UInt8>) throws(CallPipeError) -> [[Float]] {
        var planar = [[Float]](repeating: [], count: channels)
        let decode = { (buffer: UnsafeRawBufferPointer) in
            Result { () throws(CallPipeError) in try self.decode(buffer, appendingTo: &planar) }
        }
        let decoded =
            bytes.withContiguousStorageIfAvailable { decode(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes(decode)
        try decoded.get()
        return planar
    }

    /// Decodes one binary frame of interleaved samples and appends them to `planar` (one array per
    /// channel): the hot path of `protocol=pcm`, straight from the frame's bytes into the block the
    /// connection is gathering, without an array per frame.
    package func decode(_ bytes: UnsafeRawBufferPointer, appendingTo planar: inout [[Float]]) throws(CallPipeError) {
        guard bytes.count % bytesPerFrame == 0 else {
            throw CallPipeError(
                .invalid,
                "a frame of \(bytes.count) bytes is not a whole number of \(channels)-channel \(encoding.rawValue) samples"
            )
        }
        guard planar.count == channels else {
            throw CallPipeError(.invalid, "expected \(channels) channel buffers, got \(planar.count)")
        }
        let frames = bytes.count / bytesPerFrame
        let stride = bytesPerFrame
        for channel in 0..<channels {
            // Taken out while it grows, so it is uniquely referenced and never copied.
            var samples = planar[channel]
            planar[channel] = []
            samples.reserveCapacity(samples.count + frames)
            switch encoding {
            case .mulaw:
                MuLaw.decodeTable.withUnsafeBufferPointer { table in
                    for frame in 0..<frames { samples.append(table[Int(bytes[frame * stride + channel])]) }
                }
            case .pcm16:
                for frame in 0..<frames {
                    let value = Int16(
                        littleEndian: bytes.loadUnaligned(fromByteOffset: frame * stride + channel * 2, as: Int16.self))
                    samples.append(Float(value) / 32_768)
                }
            }
            planar[channel] = samples
        }
    }
}
