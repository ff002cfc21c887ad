/// Where the audio of a compacted chunk file came from: speech pieces of the recording written
/// back to back with short gaps, so that a transcription model hears no long silences (which make
/// Whisper skip sentences) and no silence is paid for. Maps the file's times back exactly.
package struct CompactTimeline: Sendable, Equatable {
    /// A run of frames copied from the recording.
    package struct Piece: Sendable, Equatable {
        package var fileFrame: Int
        package var recordingFrame: Int
        package var frames: Int

        package init(fileFrame: Int, recordingFrame: Int, frames: Int) {
            self.fileFrame = fileFrame
            self.recordingFrame = recordingFrame
            self.frames = frames
        }
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

    /// The recording times of a short stretch of the file (a word): both ends mapped through the
    /// one piece the stretch overlaps most (else the nearest), clamped to that piece, so a word
    /// the model stretched over a gap does not span the silence between two pieces.
    package func recordingRange(ofFileStart start: Double, end: Double) -> (start: Double, end: Double) {
        guard !pieces.isEmpty else { return (start, max(start, end)) }
        let rate = Double(sampleRate)
        let from = Int((start * rate).rounded())
        let to = max(from, Int((end * rate).rounded()))
        func overlap(_ piece: Piece) -> Int { min(to, piece.fileFrame + piece.frames) - max(from, piece.fileFrame) }
        func distance(_ piece: Piece) -> Int {
            max(piece.fileFrame - to, from - (piece.fileFrame + piece.frames), 0)
        }
        let piece =
            pieces.max { overlap($0) < overlap($1) }.flatMap { overlap($0) > 0 ? $0 : nil }
            ?? pieces.min { distance($0) < distance($1) }!
        func mapped(_ frame: Int) -> Double {
            let clamped = min(max(frame, piece.fileFrame), piece.fileFrame + piece.frames)
            return Double(piece.recordingFrame + clamped - piece.fileFrame) / rate
        }
        return (mapped(from), mapped(to))
    }

    /// Seconds of `start..<end` (file times) that fall inside pieces, i.e. on speech rather than
    /// on the silent gaps between pieces.
    package func pieceSeconds(fromFileTime start: Double, to end: Double) -> Double {
        let rate = Double(sampleRate)
        let from = Int((start * rate).rounded())
        let to = Int((end * rate).rounded())
        let frames = pieces.reduce(0) { $0 + max(0, min(to, $1.fileFrame + $1.frames) - max(from, $1.fileFrame)) }
        return Double(frames) / rate
    }
}
