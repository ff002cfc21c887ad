import CSndFile

/// The encodings CallPipe writes with libsndfile: upload chunks for Whisper and live-call
/// recordings.
package enum SoundFileFormat: String, Sendable, Equatable, Codable, CaseIterable {
    /// 16-bit PCM WAV: universally accepted, 2 bytes per sample.
    case wav
    /// 16-bit FLAC: lossless, typically half the size of WAV for speech.
    case flac

    package var fileExtension: String { rawValue }

    /// libsndfile's format code.
    var sndfileFormat: Int32 {
        switch self {
        case .wav: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .flac: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        }
    }

    /// An upper bound of the encoded size of `frames` frames: exact for WAV; for FLAC, the size
    /// of its verbatim fallback plus frame headers, which FLAC never exceeds.
    package func maximumBytes(frames: Int, channels: Int) -> Int {
        let pcm = frames * channels * 2
        switch self {
        case .wav: return 44 + pcm
        case .flac: return 8_192 + pcm + pcm / 50
        }
    }
}
