/// G.711 μ-law, the 8-bit telephone encoding of Twilio Media Streams: decoding by table, encoding
/// by the standard segment search (for the replay client and tests).
package enum MuLaw {
    /// The linear value of every μ-law byte, scaled to ±1.
    package static let decodeTable: [Float] = (0...255).map { Float(linear(UInt8($0))) / 32_768 }

    /// Appends the decoded samples of `bytes` to `samples`.
    package static func decode(_ bytes: some Sequence<UInt8>, into samples: inout [Float]) {
        decodeTable.withUnsafeBufferPointer { table in
            for byte in bytes { samples.append(table[Int(byte)]) }
        }
    }

    /// The 16-bit linear value of one μ-law byte (ITU-T G.711).
    package static func linear(_ byte: UInt8) -> Int16 {
        let value = ~byte
        let exponent = Int((value >> 4) & 0x07)
        let mantissa = Int(value & 0x0F)
        let magnitude = ((mantissa << 3) + 0x84) << exponent - 0x84
        return Int16(value & 0x80 != 0 ? -magnitude : magnitude)
    }

    /// The μ-law byte of a sample in ±1 (clipped).
    package static func encode(_ sample: Float) -> UInt8 {
        let clipped = max(-1, min(1, sample))
        var pcm = Int(clipped * 32_767)
        let sign: UInt8 = pcm < 0 ? 0x80 : 0
        if pcm < 0 { pcm = -pcm }
        pcm = min(pcm, 32_635) + 0x84
        var exponent = 7
        var mask = 0x4000
        while exponent > 0, pcm & mask == 0 {
            exponent -= 1
            mask >>= 1
        }
        let mantissa = (pcm >> (exponent + 3)) & 0x0F
        return ~(sign | UInt8(exponent << 4) | UInt8(mantissa))
    }
}
