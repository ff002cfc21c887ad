/// One byte range of a `Range: bytes=...` request header (RFC 9110 §14.1.2), resolved against a
/// file's size.
struct ByteRange: Equatable {
    /// What a `Range` header asks of a file of a given size.
    enum Request: Equatable {
        /// No usable range (absent, another unit, several ranges, bad syntax): send the whole file.
        case whole
        /// One satisfiable range: 206 with these bytes.
        case partial(ByteRange)
        /// A well-formed range that starts past the end: 416.
        case unsatisfiable
    }

    /// First and last byte offsets, inclusive.
    var first: Int
    var last: Int

    var length: Int { last - first + 1 }

    /// Resolves `header` for a file of `size` bytes (at least 0): `bytes=a-b`, `bytes=a-` (to the end) and
    /// `bytes=-n` (the last n bytes). Multiple ranges are answered with the whole file, which the
    /// RFC allows and browsers' media players never need.
    static func parse(_ header: String?, size: Int) -> Request {
        guard let header else { return .whole }
        let trimmed = header.trimmingPrefix(" ")
        guard trimmed.lowercased().hasPrefix("bytes="), !trimmed.contains(",") else { return .whole }
        let spec = trimmed.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        let start = parts[0].trimmingPrefix(" ")
        let end = parts[1]
        guard start.allSatisfy(\.isASCIIDigit), end.allSatisfy(\.isASCIIDigit), !(start.isEmpty && end.isEmpty)
        else { return .whole }
        // Numbers too long for `Int` are past the end of any file: no arithmetic on them can trap.
        if start.isEmpty {
            // A suffix: the last n bytes (all of them if the file is shorter).
            let suffix = Int(end) ?? Int.max
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .partial(ByteRange(first: size - min(suffix, size), last: size - 1))
        }
        let first = Int(start) ?? Int.max
        let last = end.isEmpty ? Int.max : (Int(end) ?? Int.max)
        guard last >= first else { return .whole }  // Invalid: ignored, as the RFC says.
        guard first < size else { return .unsatisfiable }
        return .partial(ByteRange(first: first, last: min(last, size - 1)))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
