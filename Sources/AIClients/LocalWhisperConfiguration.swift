import Foundation

/// Where the bundled offline transcription server lives and how to start it.
package struct LocalWhisperConfiguration: Sendable, Equatable {
    /// `tools/local-whisper`, holding `server.py` and the virtualenv `.venv` that setup makes.
    package var directory: String
    /// Seconds to wait for the model to load and the server to listen.
    package var startupTimeout: Double = 90
    /// The model name reported in results.
    package var model: String = "tiny.en"

    package init(directory: String) {
        self.directory = directory
    }

    package var python: String { (directory as NSString).appendingPathComponent(".venv/bin/python") }
    package var script: String { (directory as NSString).appendingPathComponent("server.py") }

    /// Whether setup has installed the server's virtualenv.
    package var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: python) && FileManager.default.fileExists(atPath: script)
    }

    /// Finds `tools/local-whisper`: `CALLPIPE_LOCAL_WHISPER_DIR`, then below the working directory,
    /// then above the executable (a `.build/<config>/callpipe` inside the checkout).
    package static func locate(explicit: String? = nil, executable: String = CommandLine.arguments[0]) -> Self {
        if let explicit, !explicit.isEmpty { return Self(directory: explicit) }
        let relative = "tools/local-whisper"
        var candidates = [(FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(relative)]
        var directory = (URL(fileURLWithPath: executable).resolvingSymlinksInPath().path as NSString)
            .deletingLastPathComponent
        for _ in 0..<5 {
            candidates.append((directory as NSString).appendingPathComponent(relative))
            directory = (directory as NSString).deletingLastPathComponent
        }
        let found = candidates.first {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("server.py"))
        }
        return Self(directory: found ?? candidates[0])
    }
}
