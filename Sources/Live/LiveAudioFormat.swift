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
        guard bytes.count % bytesPerFrame == 0 else {
            throw CallPipeError(
                .invalid,
                "a frame of \(bytes.count) bytes is not a whole number of \(channels)-channel \(encoding.rawValue) samples"
            )
        }
        let frames = bytes.count / bytesPerFrame
        var planar = [[Float]](repeating: [], count: channels)
        for channel in 0..<channels { planar[channel].reserveCapacity(frames) }
        switch encoding {
        case .mulaw:
            MuLaw.decodeTable.withUnsafeBufferPointer { table in
                var channel = 0
                for byte in bytes {
                    planar[channel].append(table[Int(byte)])
                    channel = channel + 1 == channels ? 0 : channel + 1
                }
            }
        case .pcm16:
            var channel = 0
            var low: UInt8 = 0
            var isHigh = false
            for byte in bytes {
                if isHigh {
                    let value = Int16(bitPattern: UInt16(low) | UInt16(byte) << 8)
                    planar[channel].append(Float(value) / 32_768)
                    channel = channel + 1 == channels ? 0 : channel + 1
                } else {
                    low = byte
                }
                isHigh.toggle()
            }
        }
        return planar
    }
}
