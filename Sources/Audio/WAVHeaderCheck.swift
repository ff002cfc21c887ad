#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks a RIFF/WAVE header's sizes against the file before FFmpeg decodes it.
///
/// FFmpeg quietly clamps a WAV whose header promises more audio than the file holds, so a
/// half-uploaded recording would be analysed as if it were the whole call. The check reads only
/// chunk headers. Sizes of 0 and 0xFFFFFFFF are the streaming writers' "unknown length" and pass.
enum WAVHeaderCheck {
    static func verify(path: String, fileSize: Int64) throws(AudioError) {
        guard fileSize >= 12 else { return }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }  // FFmpeg reports the reason with more context.
        defer { close(descriptor) }
        guard let header = read(descriptor, at: 0, count: 12),
            header[0..<4] == Array("RIFF".utf8)[...], header[8..<12] == Array("WAVE".utf8)[...]
        else { return }
        let riffSize = littleEndian(header, at: 4)
        var offset: Int64 = 12
        for _ in 0..<512 {
            guard let chunk = read(descriptor, at: offset, count: 8) else {
                throw AudioError(
                    .truncated, "\(path): the WAV file ends inside its header, before any audio data", path: path)
            }
            let size = littleEndian(chunk, at: 4)
            guard chunk[0..<4] == Array("data".utf8)[...] else {
                offset += 8 + Int64(size) + Int64(size & 1)
                continue
            }
            let dataStart = offset + 8
            let available = fileSize - dataStart
            if isKnown(size), Int64(size) > available {
                throw AudioError(
                    .truncated,
                    "\(path): the WAV header declares \(size) bytes of audio but only \(available) follow; "
                        + "the file is truncated (an interrupted upload or copy?) or its header is wrong",
                    path: path)
            }
            if isKnown(size),
                !trailingChunksAreValid(descriptor, from: dataStart + Int64(size) + Int64(size & 1), fileSize: fileSize)
            {
                throw AudioError(
                    .corrupt,
                    "\(path): the WAV header declares \(size) bytes of audio but \(available) bytes of audio data "
                        + "follow; the header's size is wrong",
                    path: path)
            }
            if isKnown(riffSize) {
                let declaredEnd = Int64(riffSize) + 8
                let dataEnd = dataStart + (isKnown(size) ? Int64(size) : available)
                if declaredEnd > fileSize + 1 || declaredEnd < dataEnd {
                    throw AudioError(
                        .corrupt,
                        "\(path): the WAV header's RIFF size (\(riffSize) bytes) disagrees with the file "
                            + "(\(fileSize) bytes); the header is damaged",
                        path: path)
                }
            }
            return
        }
    }

    /// Whether what follows the audio data is well-formed chunks (`LIST`, `id3 `, ...), as in a
    /// genuine file, rather than more audio that the header's size leaves out.
    private static func trailingChunksAreValid(_ descriptor: Int32, from start: Int64, fileSize: Int64) -> Bool {
        var offset = start
        for _ in 0..<64 {
            if fileSize - offset < 8 { return true }  // At most a few padding bytes remain.
            guard let chunk = read(descriptor, at: offset, count: 8),
                chunk[0..<4].allSatisfy({ (0x20...0x7E).contains($0) })
            else { return false }
            offset += 8 + Int64(littleEndian(chunk, at: 4))
            if offset > fileSize { return false }
            offset += offset & 1
        }
        return true
    }

    private static func isKnown(_ size: UInt32) -> Bool { size != 0 && size != UInt32.max }

    private static func littleEndian(_ bytes: [UInt8], at index: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[index + $1]) << (8 * UInt32($1)) }
    }

    private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return got == count ? buffer : nil
    }
}
