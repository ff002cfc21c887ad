import CFFmpeg

/// The bounds a decode stays within whatever the file claims: the stream's shape, the decoded
/// length, and numbers read from the file turned into seconds without overflow.
extension FFmpegDecoder {
    /// Refuses a stream whose sample rate or channel count is outside what CallPipe decodes.
    static func checkShape(rate: Int32, channels: Int32, path: String) throws(AudioError) {
        guard channels > 0, rate > 0 else {
            throw AudioError(.corrupt, "\(path): the audio stream declares no channels or no sample rate", path: path)
        }
        let rates = AudioDecoderConfiguration.sourceSampleRates
        guard rates.contains(Int(rate)) else {
            throw AudioError(
                .unsupportedFormat,
                "\(path): the audio's sample rate is \(rate) Hz; CallPipe decodes sample rates from "
                    + "\(rates.lowerBound) to \(rates.upperBound) Hz",
                path: path)
        }
        let counts = AudioDecoderConfiguration.sourceChannels
        guard counts.contains(Int(channels)) else {
            throw AudioError(
                .unsupportedFormat,
                "\(path): the audio has \(channels) channels; CallPipe decodes \(counts.lowerBound) to "
                    + "\(counts.upperBound) channels",
                path: path)
        }
    }

    /// Frames decoded so far, delivered or waiting in `pending`.
    var producedFrames: Int { deliveredFrames + (pending.first?.count ?? 0) }

    /// Throws `.tooLong` once the decode has produced more than `maxFrames`.
    func checkLength() throws(AudioError) {
        guard producedFrames > maxFrames else { return }
        throw tooLong()
    }

    /// The `.tooLong` error, with `detail` saying how the limit was passed.
    func tooLong(_ detail: String = "") -> AudioError {
        AudioError(
            .tooLong,
            "\(path): the recording is longer than the "
                + "\(AudioDecoderConfiguration.describe(seconds: configuration.maxSeconds)) limit "
                + "(CALLPIPE_MAX_AUDIO_SECONDS)\(detail)",
            path: path)
    }

    /// A timestamp in the audio stream's time base as seconds; `nil` for "no timestamp" or a time
    /// base that is not a positive fraction. Always finite: an Int64 times an Int32 fits a Double.
    func seconds(_ timestamp: Int64) -> Double? {
        guard timestamp != cp_av_nopts_value(), timeBase.num > 0, timeBase.den > 0 else { return nil }
        return Double(timestamp) * Double(timeBase.num) / Double(timeBase.den)
    }

    /// "12.3 s", for messages; any Double, however large, prints without trapping.
    static func seconds(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "\(value) s" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10) s"
    }
}
