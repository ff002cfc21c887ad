package import CallPipeCore
package import Foundation
import NIOSSL
package import PostgresNIO

/// `CALLPIPE_DATABASE_URL=postgres://USER:PASS@HOST:PORT/DB?sslmode=...` read into PostgresNIO's
/// client configuration (docs/configuration.md, "Database"). `sslmode` takes libpq's names for the
/// modes PostgresNIO offers: `disable`, `prefer` (the default: TLS when the server offers it),
/// `require` (TLS, certificate verified against the system's roots, or `sslrootcert=PATH`).
package struct PostgresDatabaseURL: Sendable, CustomStringConvertible {
    package enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String
    package var tlsMode: TLSMode
    package var rootCertificatePath: String?
    /// Connections this node keeps at most (`max_connections=N` in the URL's query).
    package var maximumConnections: Int

    package init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw CallPipeError(.invalid, "CALLPIPE_DATABASE_URL must be postgres://USER:PASS@HOST:PORT/DB")
        }
        guard let host = components.host, !host.isEmpty else {
            throw CallPipeError(.invalid, "CALLPIPE_DATABASE_URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw CallPipeError(.invalid, "CALLPIPE_DATABASE_URL has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw CallPipeError(.invalid, "CALLPIPE_DATABASE_URL has no database name (…/DB)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        var tlsMode = TLSMode.prefer
        var maximumConnections = 20
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw CallPipeError(
                        .invalid, "CALLPIPE_DATABASE_URL: sslmode must be disable, prefer or require")
                }
                tlsMode = mode
            case "sslrootcert":
                rootCertificatePath = item.value
            case "max_connections":
                guard let value = item.value.flatMap(Int.init), (1...1_000).contains(value) else {
                    throw CallPipeError(.invalid, "CALLPIPE_DATABASE_URL: max_connections must be 1 to 1000")
                }
                maximumConnections = value
            default:
                throw CallPipeError(.invalid, "CALLPIPE_DATABASE_URL: unknown option \(item.name)")
            }
        }
        self.tlsMode = tlsMode
        self.maximumConnections = maximumConnections
    }

    /// The URL with its password masked: what logs and `/health` show.
    package var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    /// The same settings for one connection of its own: `PostgresCallStore.migrate` connects
    /// once directly first, so a wrong password or an unreachable server is an error at once
    /// rather than after the pool's retries.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificatePath { tls.trustRoots = .file(rootCertificatePath) }
        let mode: PostgresConnection.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tls))
            case .require: .require(try NIOSSLContext(configuration: tls))
            }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    package func clientConfiguration() throws -> PostgresClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificatePath { tls.trustRoots = .file(rootCertificatePath) }
        let mode: PostgresClient.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(tls)
            case .require: .require(tls)
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
