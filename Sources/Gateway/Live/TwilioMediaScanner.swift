import Audio

/// The fast path for Twilio's `media` messages, 100 a second per call: finds `track`,
/// `timestamp` and `payload` in the message's bytes and decodes the base64 μ-law payload straight
/// into samples, without building a JSON tree. Anything it is not sure of — another event, an
/// escape sequence, a missing field, a payload that is not clean base64 — returns `nil` and the
/// message goes through `JSONDecoder` (and its error messages) instead.
enum TwilioMediaScanner {
    struct Media {
        var track: String
        var timestamp: Int?
        var samples: [Float]
    }

    /// Where a `media` message's fields lie in its bytes (`track` and `payload` as ranges).
    struct Fields {
        var track: Range<Int>
        var timestamp: Int?
        var payload: Range<Int>
    }

    /// Scans one text frame.
    static func scan(_ text: String) -> Media? {
        var text = text
        return text.withUTF8 { bytes -> Media? in
            guard let fields = fields(bytes) else { return nil }
            let capacity = fields.payload.count * 3 / 4
            var clean = true
            let samples = [Float](unsafeUninitializedCapacity: capacity) { buffer, count in
                guard let written = decodeBase64MuLaw(bytes, fields.payload, into: buffer.baseAddress!) else {
                    clean = false
                    count = 0
                    return
                }
                count = written
            }
            guard clean else { return nil }
            let trackText = String(decoding: UnsafeBufferPointer(rebasing: bytes[fields.track]), as: UTF8.self)
            return Media(track: trackText, timestamp: fields.timestamp, samples: samples)
        }
    }

    /// Finds a `media` message's fields in its bytes; `nil` for anything else or anything unsure.
    static func fields(_ bytes: UnsafeBufferPointer<UInt8>) -> Fields? {
        guard bytes.count > 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"),
            !bytes.contains(UInt8(ascii: "\\")), balanced(bytes),
            let event = value(of: eventKey, in: bytes), equal(bytes, event, "media"),
            let track = value(of: trackKey, in: bytes), let payload = value(of: payloadKey, in: bytes),
            !payload.isEmpty, payload.count % 4 == 0
        else { return nil }
        var timestamp: Int?
        if let range = value(of: timestampKey, in: bytes) {
            guard let number = integer(bytes, range) else { return nil }
            timestamp = number
        }
        return Fields(track: track, timestamp: timestamp, payload: payload)
    }

    /// Whether `range` of `bytes` is `text`.
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        return zip(range, expected).allSatisfy { bytes[$0] == $1 }
    }

    /// Braces and brackets outside strings pair up, and strings are closed (no escapes here).
    private static func balanced(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                inString.toggle()
            } else if !inString {
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth < 0 { return false }
                }
            }
        }
        return depth == 0 && !inString
    }

    private static let eventKey = Array(#""event":""#.utf8)
    private static let trackKey = Array(#""track":""#.utf8)
    private static let payloadKey = Array(#""payload":""#.utf8)
    private static let timestampKey = Array(#""timestamp":""#.utf8)

    /// The range of the string value after `key` (which ends with the opening quote).
    private static func value(of key: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard bytes.count >= key.count else { return nil }
        var index = 0
        let last = bytes.count - key.count
        while index <= last {
            if bytes[index] == key[0] {
                var matched = true
                for offset in 1..<key.count where bytes[index + offset] != key[offset] {
                    matched = false
                    break
                }
                if matched {
                    let start = index + key.count
                    var end = start
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                    return end < bytes.count ? start..<end : nil
                }
            }
            index += 1
        }
        return nil
    }

    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 12 else { return nil }
        var value = 0
        for index in range {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Base64 alphabet value of each byte; 255 for bytes outside it.
    private static let alphabet: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    /// Decodes padded base64 (`range` of `bytes`, a multiple of 4 long) into μ-law bytes and those
    /// into samples at `samples`, which has room for `range.count * 3 / 4`; returns how many were
    /// written, or `nil` if it is not clean base64.
    static func decodeBase64MuLaw(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into samples: UnsafeMutablePointer<Float>
    ) -> Int? {
        guard !range.isEmpty, range.count % 4 == 0 else { return nil }
        var padding = 0
        if bytes[range.upperBound - 1] == UInt8(ascii: "=") { padding += 1 }
        if bytes[range.upperBound - 2] == UInt8(ascii: "=") { padding += 1 }
        return alphabet.withUnsafeBufferPointer { alphabet in
            MuLaw.decodeTable.withUnsafeBufferPointer { table -> Int? in
                var index = range.lowerBound
                var written = 0
                while index < range.upperBound {
                    let isLast = index + 4 == range.upperBound
                    let a = alphabet[Int(bytes[index])]
                    let b = alphabet[Int(bytes[index + 1])]
                    let c = isLast && padding >= 2 ? 0 : alphabet[Int(bytes[index + 2])]
                    let d = isLast && padding >= 1 ? 0 : alphabet[Int(bytes[index + 3])]
                    guard a | b | c | d < 64 else { return nil }
                    let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    samples[written] = table[Int(group >> 16)]
                    written += 1
                    if !(isLast && padding >= 2) {
                        samples[written] = table[Int((group >> 8) & 0xFF)]
                        written += 1
                    }
                    if !(isLast && padding >= 1) {
                        samples[written] = table[Int(group & 0xFF)]
                        written += 1
                    }
                    index += 4
                }
                return written
            }
        }
    }
}
