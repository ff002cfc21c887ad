package import Configuration
import Foundation

/// Where the supervisor dashboard's static assets (`Public/`: HTML, CSS, JavaScript modules) are.
///
/// A fresh clone runs `scripts/serve` from the checkout and the tests run the binary from
/// `.build/`, so the folder is found the way `tools/local-whisper` is: `CALLPIPE_PUBLIC_DIR`,
/// then `Public/` below the working directory, then above the executable. Without one, the API
/// works and `GET /` says where the assets should be.
package struct DashboardConfiguration: Sendable, Equatable {
    /// The folder holding `index.html`, or `nil` when none was found.
    package var directory: String?

    package init(directory: String? = nil) {
        self.directory = directory
    }

    /// Reads `CALLPIPE_PUBLIC_DIR`, or looks for `Public/` (see ``locate(explicit:executable:workingDirectory:)``).
    package init(reader: ConfigReader, executable: String = CommandLine.arguments[0]) {
        self = Self.locate(explicit: reader.string(forKey: "callpipe.public.dir"), executable: executable)
    }

    /// `explicit` if set (even when it holds no `index.html`: the operator asked for it), else the
    /// first `Public/` with an `index.html` below the working directory or up to five levels above
    /// the executable (a `.build/<triple>/<config>/callpipe` inside the checkout).
    package static func locate(
        explicit: String?, executable: String, workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> Self {
        if let explicit, !explicit.isEmpty { return Self(directory: explicit) }
        var candidates = [(workingDirectory as NSString).appendingPathComponent("Public")]
        var directory = (URL(fileURLWithPath: executable).resolvingSymlinksInPath().path as NSString)
            .deletingLastPathComponent
        for _ in 0..<5 {
            candidates.append((directory as NSString).appendingPathComponent("Public"))
            directory = (directory as NSString).deletingLastPathComponent
        }
        let found = candidates.first {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("index.html"))
        }
        return Self(directory: found)
    }
}
