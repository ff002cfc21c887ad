/// Tracks a channel's noise floor as the quietest frame level over a sliding window
/// ("minimum statistics"): speech always has pauses and closures that fall back to the floor,
/// while steady noise sets the floor itself, so the floor follows the line, not the talker.
///
/// The window is kept as the minima of fixed blocks, so memory and work per frame are constant.
struct NoiseFloorTracker {
    private let blockFrames: Int
    private var blockMinima: [Float]
    private var nextBlock = 0
    private var filledBlocks = 0
    private var currentMinimum = Float.infinity
    private var framesInBlock = 0

    init(windowFrames: Int, blocks: Int = 20) {
        let blockCount = max(2, blocks)
        blockFrames = max(1, windowFrames / blockCount)
        blockMinima = Array(repeating: .infinity, count: blockCount)
    }

    /// The floor in dBFS: the minimum over the completed blocks and the current one.
    var floor: Float {
        var floor = currentMinimum
        for index in 0..<filledBlocks { floor = min(floor, blockMinima[index]) }
        return floor
    }

    mutating func add(_ levelDB: Float) {
        currentMinimum = min(currentMinimum, levelDB)
        framesInBlock += 1
        guard framesInBlock == blockFrames else { return }
        blockMinima[nextBlock] = currentMinimum
        nextBlock = (nextBlock + 1) % blockMinima.count
        filledBlocks = min(filledBlocks + 1, blockMinima.count)
        currentMinimum = .infinity
        framesInBlock = 0
    }
}
