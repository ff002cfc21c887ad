/// Tells a real two-party stereo recording from a mono mix saved twice (common with softphone
/// and browser recordings): the energy of L−R against the energy of the channels.
struct ChannelSimilarity {
    private var differenceEnergy: Double = 0
    private var channelEnergy: Double = 0

    /// Channels whose difference is 30 dB below their level carry the same signal (lossy codecs
    /// keep joint-stereo copies within a few percent).
    var isDuplicated: Bool {
        channelEnergy > 0 && differenceEnergy < channelEnergy * 0.001
    }

    mutating func add(_ left: [Float], _ right: [Float]) {
        var difference: Float = 0
        var energy: Float = 0
        left.withUnsafeBufferPointer { left in
            right.withUnsafeBufferPointer { right in
                for index in 0..<min(left.count, right.count) {
                    let l = left[index]
                    let r = right[index]
                    difference += (l - r) * (l - r)
                    energy += (l * l + r * r) * 0.5
                }
            }
        }
        differenceEnergy += Double(difference)
        channelEnergy += Double(energy)
    }
}
