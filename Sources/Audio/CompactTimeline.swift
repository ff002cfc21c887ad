/// Where the audio of a compacted chunk file came from: speech pieces of the recording written
/// back to back with short gaps, so that a transcription model hears no long silences (which make
/// Whisper skip sentences) and no silence is paid for. Maps the file's times back exactly.
package struct CompactTimeline: Sendable, Equatable {
    /// A run of frames copied from the recording.
    package struct Piece: Sendable, Equatable {
        package var fileFrame: Int
        package var recordingFrame: Int
        package var frames: Int
    }

    package var sampleRate: Int
    package var pieces: [Piece] = []

    package init(sampleRate: Int) {
        self.sampleRate = sampleRate
    }

    /// The recording time of a time in the file. Times in a gap between pieces snap to the
    /// nearer piece edge; times past the end snap to the last piece's end.
    package func recordingTime(ofFileTime time: Double) -> Double {
        guard let first = pieces.first else { return time }
        let frame = Int((time * Double(sampleRate)).rounded())
        var best = first.recordingFrame
        var bestDistance = Int.max
        for piece in pieces {
            if frame >= piece.fileFrame, frame <= piece.fileFrame + piece.frames {
                return Double(piece.recordingFrame + frame - piece.fileFrame) / Double(sampleRate)
            }
            let toStart = abs(frame - piece.fileFrame)
            let toEnd = abs(frame - (piece.fileFrame + piece.frames))
            if toStart < bestDistance { (best, bestDistance) = (piece.recordingFrame, toStart) }
            if toEnd < bestDistance { (best, bestDistance) = (piece.recordingFrame + piece.frames, toEnd) }
        }
        return Double(best) / Double(sampleRate)
    }
}
