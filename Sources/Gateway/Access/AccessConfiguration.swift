package import AIClients
package import Configuration

/// What one caller and one connection may use (docs/production.md): requests per
/// key, uploads at once per key, and how long a connection may take to send a request.
package struct AccessConfiguration: Sendable, Equatable {
    /// Requests per second one key may make, sustained (`CALLPIPE_RATE_LIMIT_RPS`)…
    package var requestsPerSecond = 50.0
    /// …with bursts of this many (`CALLPIPE_RATE_LIMIT_BURST`): a dashboard opening loads ~20.
    package var burst = 200
    /// Uploads one key may have in flight at once (`CALLPIPE_MAX_UPLOADS_PER_KEY`).
    package var maxUploadsPerKey = 4
    /// A connection must send a whole request head within this many seconds of connecting
    /// (`CALLPIPE_HTTP_HEADER_TIMEOUT_S`): slow or silent clients are dropped.
    package var requestHeadTimeout = 10.0
    /// A keep-alive connection with no request in flight is closed after this many seconds
    /// (`CALLPIPE_HTTP_IDLE_TIMEOUT_S`).
    package var idleTimeout = 75.0
    /// A separate listener for `GET /metrics` without a key (`CALLPIPE_METRICS_PORT`); on the main
    /// port `/metrics` needs a supervisor or admin key.
    package var metricsPort: Int?

    package init() {}

    package init(reader: ConfigReader) throws(ConfigurationValueError) {
        requestsPerSecond = try reader.number(
            "callpipe.rate.limit.rps", "CALLPIPE_RATE_LIMIT_RPS", in: 0.1...1_000_000, default: requestsPerSecond)
        burst = try reader.integer(
            "callpipe.rate.limit.burst", "CALLPIPE_RATE_LIMIT_BURST", in: 1...1_000_000, default: burst)
        maxUploadsPerKey = try reader.integer(
            "callpipe.max.uploads.per.key", "CALLPIPE_MAX_UPLOADS_PER_KEY", in: 1...1_000, default: maxUploadsPerKey)
        requestHeadTimeout = try reader.number(
            "callpipe.http.header.timeout.s", "CALLPIPE_HTTP_HEADER_TIMEOUT_S", in: 1...600, default: requestHeadTimeout
        )
        idleTimeout = try reader.number(
            "callpipe.http.idle.timeout.s", "CALLPIPE_HTTP_IDLE_TIMEOUT_S", in: 1...3_600, default: idleTimeout)
        if reader.string(forKey: "callpipe.metrics.port")?.isEmpty == false {
            metricsPort = try reader.integer(
                "callpipe.metrics.port", "CALLPIPE_METRICS_PORT", in: 0...65_535, default: 0)
        }
    }
}
