package import Foundation

/// In-memory 16-bit PCM WAV (RIFF, `fmt ` and `data` chunks, little-endian): a live utterance
/// goes to the transcriber as one of these without touching the disk again.
package enum WAVEncoding {
    /// The WAV bytes of mono samples in ±1 (clipped) at `sampleRate`.
    package static func pcm16(_ samples: [Float], sampleRate: Int) -> Data {
        let dataBytes = samples.count * 2
        var bytes = [UInt8]()
        bytes.reserveCapacity(44 + dataBytes)
        func append(_ text: String) { bytes.append(contentsOf: Array(text.utf8)) }
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { bytes.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { bytes.append(contentsOf: $0) } }
        append("RIFF")
        append32(36 + dataBytes)
        append("WAVEfmt ")
        append32(16)
        append16(1)  // PCM
        append16(1)  // mono
        append32(sampleRate)
        append32(sampleRate * 2)  // byte rate
        append16(2)  // block align
        append16(16)  // bits per sample
        append("data")
        append32(dataBytes)
        bytes.append(contentsOf: repeatElement(0, count: dataBytes))
        // A concrete array, not a generic collection: called from another module, a generic
        // loop ran unspecialised at a tenth of the speed.
        bytes.withUnsafeMutableBytes { raw in
            samples.withUnsafeBufferPointer { input in
                for index in input.indices {
                    let value = UInt16(bitPattern: Int16(max(-1, min(1, input[index])) * 32_767)).littleEndian
                    raw.storeBytes(of: value, toByteOffset: 44 + 2 * index, as: UInt16.self)
                }
            }
        }
        return Data(bytes)
    }
}
