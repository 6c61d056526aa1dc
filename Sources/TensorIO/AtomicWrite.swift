import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes bytes to a temporary file beside `path` and renames it over `path`; on any failure
/// removes the temporary file — no half-written output ever.
///
/// The steps, each of which can fail:
/// ```
/// 1. open   <dir>/.lowbit-<random>.tmp   (O_CREAT | O_EXCL: never reuse an existing file)
/// 2. write  all bytes, looping over short writes
/// 3. fsync  so the data is on disk before the name points at it
/// 4. close
/// 5. rename over `path` — atomic within one file system: a reader sees the old file or the
///    new one, never a mixture
/// ```
/// The temporary file sits in the same directory because `rename` cannot cross file systems.
/// Simplification: a replaced file gets fresh permissions (0644 minus the umask), not the old ones.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    try writeAtomically(bytes, to: path, beforeRename: { _ in })
}

/// Writes several files as a group: every temporary file first, then the renames. A failure
/// while writing (a missing directory, a full disk) happens before any destination is
/// touched, so every file that existed before is still there, unchanged, and no temporary
/// file is left behind. (Only a failing `rename` — which needs the directory to change under
/// us — can leave the group half-replaced.)
public func writeAtomically(_ files: [(bytes: [UInt8], path: String)]) throws {
    var temporaries: [String] = []
    var renamed = 0
    defer { for temporary in temporaries.dropFirst(renamed) { unlink(temporary) } }
    for file in files { temporaries.append(try writeTemporary(file.bytes, besides: file.path)) }
    for (temporary, file) in zip(temporaries, files) {
        guard rename(temporary, file.path) == 0 else {
            throw TensorFileError.writeFailed(
                path: file.path, reason: "rename: \(String(cString: strerror(errno)))")
        }
        renamed += 1
    }
}

/// The same, with a hook that runs after the temporary file is complete and before the rename;
/// tests throw from it to check that a failure at the last moment leaves no trace.
func writeAtomically(_ bytes: [UInt8], to path: String, beforeRename: (String) throws -> Void) throws {
    let temporaryPath = try writeTemporary(bytes, besides: path)
    var succeeded = false
    defer { if !succeeded { unlink(temporaryPath) } }
    try beforeRename(temporaryPath)
    guard rename(temporaryPath, path) == 0 else {
        throw TensorFileError.writeFailed(
            path: path, reason: "rename: \(String(cString: strerror(errno)))")
    }
    succeeded = true
}

/// Steps 1–4: a complete, synced temporary file in `path`'s directory; returns its path. Its
/// name is short (`.lowbit-<16 hex digits>.tmp`) whatever the destination's length, so a
/// destination name near the 255-byte limit still has room for it.
func writeTemporary(_ bytes: [UInt8], besides path: String) throws -> String {
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    let temporaryPath = directory + "/.lowbit-\(random).tmp"

    func failure(_ step: String) -> TensorFileError {
        .writeFailed(path: path, reason: "\(step): \(String(cString: strerror(errno)))")
    }

    let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else { throw failure("cannot create a temporary file in \(directory)") }
    var isOpen = true
    var succeeded = false
    defer {
        if isOpen { close(descriptor) }
        if !succeeded { unlink(temporaryPath) }
    }

    try bytes.withUnsafeBytes { buffer in
        guard let start = buffer.baseAddress else { return }  // nil only for an empty array
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, start + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure("write") }
            offset += written
        }
    }
    guard fsync(descriptor) == 0 else { throw failure("fsync") }
    isOpen = false
    guard close(descriptor) == 0 else { throw failure("close") }
    succeeded = true
    return temporaryPath
}
