package import Configuration

/// Where CallPipe keeps its data: the data directory (recordings, SQLite database) and the
/// database URL (DESIGN.md §7).
package struct StorageConfiguration: Sendable, Equatable {
    package var dataDirectory: String
    package var databaseURL: String

    package init(dataDirectory: String = "./data", databaseURL: String? = nil) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL ?? "sqlite://\(dataDirectory)/callpipe.sqlite"
    }

    /// The database engine the URL names (`sqlite`, `postgres`), as `/health` shows it: never the
    /// URL itself, which may hold a password.
    package var databaseKind: String {
        databaseURL.hasPrefix("postgres") ? "postgres" : "sqlite"
    }

    /// Reads `CALLPIPE_DATA_DIR` and `CALLPIPE_DATABASE_URL`; `dataDirectory` (a command-line
    /// flag) wins over the environment.
    package init(reader: ConfigReader, dataDirectory: String? = nil) {
        let directory = dataDirectory ?? reader.string(forKey: "callpipe.data.dir", default: "./data")
        self.init(dataDirectory: directory, databaseURL: reader.string(forKey: "callpipe.database.url"))
    }
}
