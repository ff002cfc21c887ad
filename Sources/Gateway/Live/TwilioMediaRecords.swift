import NIOCore

/// The records ``TwilioMediaFramer`` gathers into one binary frame after its token, one per
/// Twilio `media` message: channel (1 byte: 0 outbound, 1 inbound), whether a timestamp came
/// (1 byte), the position in samples (4 bytes, 8 per ms of the timestamp; at most a day's),
/// the sample count (4 bytes), then the samples as 32-bit floats — all in host byte order: the
/// frame never leaves the process.
enum TwilioMediaRecords {
    static let headerBytes = 10

    struct Record: Equatable {
        var channel: Int
        var position: Int?
        var samples: [Float]
    }

    /// Appends one record, decoding the base64 μ-law `payload` range of `bytes` straight into it;
    /// `false`, with `buffer` as it was, if the payload is not clean base64.
    static func append(
        channel: UInt8, position: Int?, bytes: UnsafeBufferPointer<UInt8>, payload: Range<Int>,
        to buffer: inout ByteBuffer
    ) -> Bool {
        let capacity = payload.count * 3 / 4
        var clean = true
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: headerBytes + capacity * 4) { raw in
            let samples = (raw.baseAddress! + headerBytes).bindMemory(to: Float.self, capacity: capacity)
            guard let count = TwilioMediaScanner.decodeBase64MuLaw(bytes, payload, into: samples) else {
                clean = false
                return 0
            }
            raw[0] = channel
            raw[1] = position == nil ? 0 : 1
            raw.storeBytes(of: UInt32(position ?? 0), toByteOffset: 2, as: UInt32.self)
            raw.storeBytes(of: UInt32(count), toByteOffset: 6, as: UInt32.self)
            return headerBytes + count * 4
        }
        return clean
    }

    /// Reads the records after `token`; `nil` when the frame does not start with it (a binary
    /// frame from the client) or is cut short.
    static func read(_ buffer: ByteBuffer, token: [UInt8]) -> [Record]? {
        buffer.withUnsafeReadableBytes { raw -> [Record]? in
            guard raw.count >= token.count, raw.prefix(token.count).elementsEqual(token) else { return nil }
            var records: [Record] = []
            var offset = token.count
            while offset < raw.count {
                guard raw.count - offset >= headerBytes else { return nil }
                let channel = Int(raw[offset])
                let timed = raw[offset + 1] == 1
                let position = Int(raw.loadUnaligned(fromByteOffset: offset + 2, as: UInt32.self))
                let count = Int(raw.loadUnaligned(fromByteOffset: offset + 6, as: UInt32.self))
                offset += headerBytes
                guard raw.count - offset >= count * 4 else { return nil }
                let samples = [Float](unsafeUninitializedCapacity: count) { target, written in
                    UnsafeMutableRawBufferPointer(target).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count * 4)]))
                    written = count
                }
                offset += count * 4
                records.append(Record(channel: channel, position: timed ? position : nil, samples: samples))
            }
            return records
        }
    }
}
