/// One piece of a recording cut for upload, with exact offsets in frames of the decoded audio.
package struct AudioChunk: Sendable, Equatable, Codable {
    package var index: Int
    package var startFrame: Int
    package var endFrame: Int
    package var sampleRate: Int
    /// True when no silence was available and the cut falls inside speech.
    package var cutsSpeech: Bool

    package init(index: Int, startFrame: Int, endFrame: Int, sampleRate: Int, cutsSpeech: Bool) {
        self.index = index
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.sampleRate = sampleRate
        self.cutsSpeech = cutsSpeech
    }

    /// Offset of the chunk's start in the recording, in seconds (add it to the chunk's own
    /// timestamps to rebase them).
    package var start: Double { Double(startFrame) / Double(sampleRate) }
    package var end: Double { Double(endFrame) / Double(sampleRate) }
    package var frameCount: Int { endFrame - startFrame }
}
