import CFFmpeg
import CSndFile

/// The versions of the C libraries the Audio module is linked against, for `/health`.
package enum AudioLibraryVersions {
    /// `libavformat 59.27.100, libavcodec 59.37.100, libswresample 4.7.100`.
    package static var ffmpeg: String {
        [
            ("libavformat", avformat_version()), ("libavcodec", avcodec_version()),
            ("libswresample", swresample_version()),
        ]
        .map { name, version in "\(name) \(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)" }
        .joined(separator: ", ")
    }

    /// `libsndfile-1.2.0`.
    package static var sndfile: String {
        String(cString: sf_version_string())
    }
}
