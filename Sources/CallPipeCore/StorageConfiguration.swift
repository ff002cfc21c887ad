import AIClients
package import Configuration

/// Where CallPipe keeps its data: the data directory (recordings, SQLite database) and the
/// database URL (docs/ARCHITECTURE.md §7), and how much free space it keeps in reserve.
package struct StorageConfiguration: Sendable, Equatable {
    package var dataDirectory: String
    package var databaseURL: String
    /// Uploads are refused (507) and live recordings stopped below this much free space on the
    /// data directory's disk (`CALLPIPE_MIN_FREE_MB`, default 256 MB; 0 turns the check off).
    package var minimumFreeBytes: Int64

    /// The allowed values of `CALLPIPE_MIN_FREE_MB`: up to 1 TiB.
    package static let minimumFreeMegabytesRange: ClosedRange<Int64> = 0...1_048_576
    package static let defaultMinimumFreeBytes: Int64 = 256 * 1_048_576

    package init(
        dataDirectory: String = "./data", databaseURL: String? = nil,
        minimumFreeBytes: Int64 = StorageConfiguration.defaultMinimumFreeBytes
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL ?? "sqlite://\(dataDirectory)/callpipe.sqlite"
        self.minimumFreeBytes = minimumFreeBytes
    }

    /// The database engine the URL names (`sqlite`, `postgres`), as `/health` shows it: never the
    /// URL itself, which may hold a password.
    package var databaseKind: String {
        databaseURL.hasPrefix("postgres") ? "postgres" : "sqlite"
    }

    /// Reads `CALLPIPE_DATA_DIR`, `CALLPIPE_DATABASE_URL` and `CALLPIPE_MIN_FREE_MB`;
    /// `dataDirectory` (a command-line flag) wins over the environment.
    package init(reader: ConfigReader, dataDirectory: String? = nil) throws(CallPipeError) {
        let directory = dataDirectory ?? reader.string(forKey: "callpipe.data.dir", default: "./data")
        let range = Self.minimumFreeMegabytesRange
        let megabytes: Int
        do {
            megabytes = try reader.integer(
                "callpipe.min.free.mb", "CALLPIPE_MIN_FREE_MB", in: Int(range.lowerBound)...Int(range.upperBound),
                default: Int(Self.defaultMinimumFreeBytes / 1_048_576))
        } catch {
            throw CallPipeError(.invalid, String(describing: error))
        }
        let minimum = Int64(megabytes) * 1_048_576
        self.init(
            dataDirectory: directory, databaseURL: reader.string(forKey: "callpipe.database.url"),
            minimumFreeBytes: minimum)
    }

    /// The free-space reserve as a check uploads and live recordings run.
    package var freeSpace: FreeSpaceGuard { FreeSpaceGuard(minimumFreeBytes: minimumFreeBytes) }
}
