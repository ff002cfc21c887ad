package import Foundation

/// A checkpoint of a live recording kept in shared recording storage while the call goes on
/// (docs/ARCHITECTURE.md §15, "Live calls"): the audio of frames `startFrame ..< startFrame +
/// frames` of recording `recordingID`, as a WAV file at `location`. When the node streaming the
/// call dies, another node joins a recording's parts in order and processes them as the call's
/// recording; when the call ends normally the parts are removed.
package struct LiveCallPart: Sendable, Equatable {
    package var callID: String
    package var recordingID: String
    /// 0, 1, 2, … in the order of the audio.
    package var index: Int
    package var location: String
    package var startFrame: Int
    package var frames: Int
    package var sampleRate: Int
    package var channels: Int
    package var createdAt: Date

    package init(
        callID: String, recordingID: String, index: Int, location: String, startFrame: Int, frames: Int,
        sampleRate: Int, channels: Int, createdAt: Date
    ) {
        self.callID = callID
        self.recordingID = recordingID
        self.index = index
        self.location = location
        self.startFrame = startFrame
        self.frames = frames
        self.sampleRate = sampleRate
        self.channels = channels
        self.createdAt = createdAt
    }
}
