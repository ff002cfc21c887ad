import Foundation

/// The committed test calls in `Fixtures/audio` and their ground truth.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/audio")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// The full call in every committed stereo format.
    static let stereoCalls = [
        "call.mp3", "call.m4a", "call.ogg", "call.opus", "call.webm", "call-mulaw.wav", "call-video.mp4",
    ]
    /// The call mixed to mono in telephony codecs.
    static let monoCalls = ["call-mono-gsm.wav", "call-mono.amr"]
    /// The excerpt around the interruption in every PCM sample format and FLAC.
    static let excerpts = [
        "excerpt-u8.wav", "excerpt-s16.wav", "excerpt-s24.wav", "excerpt-s32.wav", "excerpt-f32.wav",
        "excerpt-alaw.wav", "excerpt.flac",
    ]

    static let call = try! GroundTruth.load("call.json")
    static let excerpt = try! GroundTruth.load("excerpt.json")

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callpipe-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The ground truth `make_fixtures.py` writes next to the audio.
struct GroundTruth: Decodable {
    struct Expected: Decodable {
        var talk_s: [String: Double]
        var mono_talk_s: Double
        var overlap_s: Double
        var interruptions: [String: Int]
        var non_talk_instances: [[Double]]
    }

    var duration_s: Double
    var spans: [String: [[Double]]]
    var expected: Expected

    static func load(_ name: String) throws -> GroundTruth {
        try JSONDecoder().decode(
            GroundTruth.self, from: Data(contentsOf: Fixtures.directory.appendingPathComponent(name)))
    }
}
