import Foundation
import Logging
import PostgresNIO
package import PostgresStore

/// A throwaway PostgreSQL cluster for the tests (docs/testing.md, "PostgreSQL"): Debian's server
/// binaries (`scripts/setup` installs them), `initdb` into a temporary directory, a free port on
/// loopback, password (SCRAM) authentication, durability off (`fsync=off`: a test cluster need not
/// survive a power cut). As root (CI), the server runs as the `postgres` user, which refuses root.
/// Started once per test process, on first use; a watchdog shell stops it and removes its
/// directory when the test process exits, however it exits. Each test gets a database of its own.
package actor PostgresTestServer {
    package static let shared = PostgresTestServer()

    static let user = "callpipe"
    static let password = "test-\(UUID().uuidString.prefix(8))"

    /// The one start, awaited by every caller (the actor is re-entered while it starts).
    private var starting: Task<Int, any Error>?
    private var databases = 0

    /// A new empty database on the shared cluster, as a `CALLPIPE_DATABASE_URL`.
    package func newDatabase() async throws -> PostgresDatabaseURL {
        let port = try await start()
        databases += 1
        let name =
            "t\(ProcessInfo.processInfo.processIdentifier)_\(databases)_\(UUID().uuidString.prefix(6).lowercased())"
        let admin = try PostgresDatabaseURL(Self.url(port: port, database: "postgres"))
        try await PostgresCallStore.withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        return try PostgresDatabaseURL(Self.url(port: port, database: name))
    }

    static func url(port: Int, database: String) -> String {
        "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    private func start() async throws -> Int {
        if let starting { return try await starting.value }
        let task = Task { try await Self.startCluster() }
        starting = task
        return try await task.value
    }

    private static func startCluster() async throws -> Int {
        let bin = try binDirectory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "callpipe-pg-\(UUID().uuidString.prefix(8))")
        let data = directory.appendingPathComponent("data").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("password").path
        try Data(Self.password.utf8).write(to: URL(fileURLWithPath: passwordFile))
        // As root, everything of the cluster belongs to `postgres` and its programs run as it.
        let asRoot = getuid() == 0
        let runAs = asRoot ? "setpriv --reuid=postgres --regid=postgres --init-groups " : ""
        if asRoot { try shell("chown -R postgres:postgres '\(directory.path)'") }
        try shell(
            "\(runAs)'\(bin)/initdb' -D '\(data)' -U \(Self.user) --pwfile='\(passwordFile)' --auth=scram-sha-256"
                + " -E UTF8 --locale=C.UTF-8 --no-sync > '\(directory.path)/initdb.log' 2>&1")
        let port = try TestPorts.free()
        // The watchdog: runs the server, and stops it and removes the cluster once this process is gone.
        let server =
            "\(runAs)'\(bin)/postgres' -D '\(data)' -p \(port) -k '\(directory.path)' -c listen_addresses=127.0.0.1"
            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
            + " -c shared_buffers=64MB"
        let watchdog = """
            \(server) > '\(directory.path)/server.log' 2>&1 &
            pg=$!
            while kill -0 \(ProcessInfo.processInfo.processIdentifier) 2>/dev/null && kill -0 $pg 2>/dev/null; do
              sleep 1
            done
            kill -INT $pg 2>/dev/null; wait $pg; rm -rf '\(directory.path)'
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", watchdog]
        try process.run()
        // Ready once it accepts a connection (a few hundred milliseconds; up to 30 s on a loaded machine).
        let deadline = ContinuousClock.now + .seconds(30)
        let admin = try PostgresDatabaseURL(Self.url(port: port, database: "postgres"))
        while true {
            do {
                try await PostgresCallStore.withClient(admin) { client in try await client.query("SELECT 1") }
                break
            } catch {
                guard ContinuousClock.now < deadline, process.isRunning else {
                    let log = (try? String(contentsOfFile: "\(directory.path)/server.log", encoding: .utf8)) ?? ""
                    throw EngineTestError(message: "the test PostgreSQL did not start: \(error)\n\(log)")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return port
    }

    /// The newest installed PostgreSQL's programs (`/usr/lib/postgresql/N/bin` on Debian).
    static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init)
        guard let version = versions.max(), FileManager.default.fileExists(atPath: "\(root)/\(version)/bin/initdb")
        else {
            throw EngineTestError(
                message: "no PostgreSQL server under \(root): scripts/setup installs Debian's postgresql-15")
        }
        return "\(root)/\(version)/bin"
    }

    private static func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EngineTestError(message: "\(command) exited with \(process.terminationStatus)")
        }
    }
}

extension PostgresDatabaseURL {
    /// The URL with its password, for a `callpipe` process's `CALLPIPE_DATABASE_URL` in a test.
    package var environmentValue: String {
        "postgres://\(username):\(password ?? "")@\(host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }
}
