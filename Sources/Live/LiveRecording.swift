import Audio
import CallPipeCore
import Foundation

/// The recording of a live call as it happens: a WAV file written through libsndfile, buffered in
/// half-second batches, its header brought up to date at every checkpoint (about once a second) so
/// a crash leaves a readable file of everything but the last moment. Utterances are read back from
/// it for transcription, which is what keeps a transcriber that falls behind from holding audio in
/// memory: the queue holds time spans, the audio stays on disk.
///
/// Not `Sendable`: a `LiveSession` (an actor) owns it.
final class LiveRecording {
    let path: String
    let sampleRate: Int
    let channels: Int
    private let writer: SoundFileWriter
    private var buffered: [[Float]]
    private let batchFrames: Int
    /// Frames handed to `append`, written or buffered.
    private(set) var frames = 0

    init(path: String, sampleRate: Int, channels: Int) throws(AudioError) {
        self.path = path
        self.sampleRate = sampleRate
        self.channels = channels
        writer = try SoundFileWriter(path: path, format: .wav, sampleRate: sampleRate, channels: channels)
        buffered = Array(repeating: [], count: channels)
        batchFrames = sampleRate / 2
    }

    var duration: Double { Double(frames) / Double(sampleRate) }

    func append(_ planar: [[Float]]) throws(AudioError) {
        let count = planar.first?.count ?? 0
        guard count > 0 else { return }
        for channel in 0..<channels { buffered[channel].append(contentsOf: planar[channel]) }
        frames += count
        if buffered[0].count >= batchFrames { try flush() }
    }

    /// Writes what is buffered.
    func flush() throws(AudioError) {
        guard !buffered[0].isEmpty else { return }
        try writer.write(buffered)
        for channel in 0..<channels { buffered[channel].removeAll(keepingCapacity: true) }
    }

    /// Writes what is buffered and updates the header: the file is complete up to now.
    func checkpoint() throws(AudioError) {
        try flush()
        writer.updateHeader()
    }

    /// One channel's samples between two times (seconds), read back from the file.
    func samples(channel: Int, from start: Double, to end: Double) throws(AudioError) -> [Float] {
        try checkpoint()
        let first = max(0, Int(start * Double(sampleRate)))
        let last = min(frames, Int(end * Double(sampleRate)))
        guard last > first else { return [] }
        let reader = try SoundFileReader(path: path)
        try reader.seek(toFrame: first)
        var result: [Float] = []
        result.reserveCapacity(last - first)
        while result.count < last - first,
            let block = try reader.read(maxFrames: min(16_000, last - first - result.count))
        {
            result.append(contentsOf: block[min(channel, block.count - 1)])
        }
        return result
    }

    /// Frames `range` of every channel, read back from the file (a checkpoint's part).
    func planar(_ range: Range<Int>) throws(AudioError) -> [[Float]] {
        try checkpoint()
        var result = Array(repeating: [Float](), count: channels)
        guard !range.isEmpty else { return result }
        let reader = try SoundFileReader(path: path)
        try reader.seek(toFrame: range.lowerBound)
        var remaining = min(range.count, frames - range.lowerBound)
        while remaining > 0, let block = try reader.read(maxFrames: min(16_000, remaining)), let first = block.first,
            !first.isEmpty
        {
            for channel in 0..<channels { result[channel].append(contentsOf: block[min(channel, block.count - 1)]) }
            remaining -= first.count
        }
        return result
    }

    /// Writes the rest, fsyncs and closes the file, and fsyncs its directory: the recording
    /// survives a power cut from here on (docs/production.md, "Durability").
    func close() throws {
        defer { try? writer.close() }
        try flush()
        writer.updateHeader()
        writer.synchronize()
        try writer.close()
        try DurableFiles.synchronizeDirectory((path as NSString).deletingLastPathComponent)
    }
}
