/// Tracks a channel's noise floor as the `rank`-th quietest frame level over a sliding window
/// (minimum statistics, robust to a few outliers): speech always has pauses and closures that
/// fall back to the floor, while steady noise sets the floor itself, so the floor follows the
/// line, not the talker. Not the very quietest frame: a lossy codec (Opus at 32 kbit/s) quiets a
/// few noise frames ~2 dB under the bed, and a floor set by them let the bed's peaks hold speech
/// open (docs/quality.md, docs/ARCHITECTURE.md §9).
///
/// The window is kept as the `rank` quietest levels of fixed blocks, merged once per block, so
/// memory and work per frame are constant and a frame allocates nothing.
struct NoiseFloorTracker {
    private let blockFrames: Int
    private let rank: Int
    /// Per block, its `rank` quietest levels, ascending.
    private var blockLowest: [[Float]]
    private var nextBlock = 0
    private var filledBlocks = 0
    /// The `rank` quietest levels of the completed blocks, ascending.
    private var completedLowest: [Float] = []
    /// The `rank` quietest levels of the block being filled, ascending.
    private var currentLowest: [Float] = []
    private var framesInBlock = 0

    init(windowFrames: Int, blocks: Int = 20, rank: Int = 3) {
        let blockCount = max(2, blocks)
        blockFrames = max(1, windowFrames / blockCount)
        self.rank = max(1, rank)
        blockLowest = Array(repeating: [], count: blockCount)
        for index in blockLowest.indices { blockLowest[index].reserveCapacity(self.rank) }
        completedLowest.reserveCapacity(self.rank)
        currentLowest.reserveCapacity(self.rank)
    }

    /// The floor in dBFS: the `rank`-th quietest level over the completed blocks and the current
    /// one (the loudest of them while fewer are known; infinity before any).
    var floor: Float {
        var completed = 0
        var current = 0
        var level = Float.infinity
        for _ in 0..<rank {
            let fromCompleted = completed < completedLowest.count ? completedLowest[completed] : .infinity
            let fromCurrent = current < currentLowest.count ? currentLowest[current] : .infinity
            guard fromCompleted.isFinite || fromCurrent.isFinite else { break }
            if fromCompleted <= fromCurrent {
                level = fromCompleted
                completed += 1
            } else {
                level = fromCurrent
                current += 1
            }
        }
        return level
    }

    mutating func add(_ levelDB: Float) {
        Self.insert(levelDB, into: &currentLowest, keeping: rank)
        framesInBlock += 1
        guard framesInBlock == blockFrames else { return }
        // The finished block's levels go into the ring; the oldest block's buffer is reused.
        let finished = currentLowest
        currentLowest = blockLowest[nextBlock]
        blockLowest[nextBlock] = finished
        currentLowest.removeAll(keepingCapacity: true)
        nextBlock = (nextBlock + 1) % blockLowest.count
        filledBlocks = min(filledBlocks + 1, blockLowest.count)
        framesInBlock = 0
        completedLowest.removeAll(keepingCapacity: true)
        for index in 0..<filledBlocks {
            for level in blockLowest[index] { Self.insert(level, into: &completedLowest, keeping: rank) }
        }
    }

    /// Inserts `level` into the ascending `lowest`, keeping at most `count` levels.
    private static func insert(_ level: Float, into lowest: inout [Float], keeping count: Int) {
        if lowest.count == count {
            guard let last = lowest.last, level < last else { return }
            lowest.removeLast()
        }
        var index = lowest.count
        while index > 0, lowest[index - 1] > level { index -= 1 }
        lowest.insert(level, at: index)
    }
}
