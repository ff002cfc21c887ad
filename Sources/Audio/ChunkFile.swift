import Foundation

/// One chunk's file while `ChunkExporter` writes it: opened on the first frame it receives,
/// recording where compacted speech pieces came from.
final class ChunkFile {
    let chunk: AudioChunk
    let path: String
    private let format: SoundFileFormat
    private let channels: Int
    private let selection: ChunkExporter.Selection
    private var writer: SoundFileWriter?
    private var timeline: CompactTimeline
    private var written = false

    init(chunk: AudioChunk, path: String, format: SoundFileFormat, channels: Int, selection: ChunkExporter.Selection) {
        self.chunk = chunk
        self.path = path
        self.format = format
        self.channels = channels
        self.selection = selection
        timeline = CompactTimeline(sampleRate: chunk.sampleRate)
    }

    /// Writes the recording's `frames` (absolute frame numbers) from `planar`, whose first
    /// sample is frame `offset`.
    func write(_ planar: [[Float]], frames: Range<Int>, offset: Int) throws {
        guard case .compacted(let gate, let gap) = selection else {
            try open().write(planar, range: (frames.lowerBound - offset)..<(frames.upperBound - offset))
            return
        }
        for open in gate.openRanges where open.upperBound > frames.lowerBound && open.lowerBound < frames.upperBound {
            let piece = max(open.lowerBound, frames.lowerBound)..<min(open.upperBound, frames.upperBound)
            let writer = try self.open()
            if let last = timeline.pieces.last, last.recordingFrame + last.frames == piece.lowerBound {
                timeline.pieces[timeline.pieces.count - 1].frames += piece.count  // Continues across decoder chunks.
            } else {
                if !timeline.pieces.isEmpty {
                    let silence = Int(gap * Double(chunk.sampleRate))
                    try writer.write(Array(repeating: Array(repeating: 0, count: silence), count: channels))
                }
                timeline.pieces.append(
                    .init(fileFrame: writer.framesWritten, recordingFrame: piece.lowerBound, frames: piece.count))
            }
            try writer.write(planar, range: (piece.lowerBound - offset)..<(piece.upperBound - offset))
        }
    }

    func close() throws {
        try writer?.close()
    }

    /// The finished file, or `nil` when nothing was selected for it.
    func exported() throws -> ChunkExporter.ExportedChunk? {
        guard written else { return nil }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let isCompacted = if case .compacted = selection { true } else { false }
        return .init(chunk: chunk, path: path, bytes: size, timeline: isCompacted ? timeline : nil)
    }

    private func open() throws -> SoundFileWriter {
        if let writer { return writer }
        let opened = try SoundFileWriter(path: path, format: format, sampleRate: chunk.sampleRate, channels: channels)
        writer = opened
        written = true
        return opened
    }
}
