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
    try writeAtomically([(bytes, path)])
}

/// Where a destination's bytes go (issue #14 asked us to decide, and do it everywhere):
/// - a new name or a regular file: a temporary file beside it, renamed over it;
/// - a symbolic link: written through to the file it points to (the link stays a link);
/// - `-`: standard output;
/// - a character device such as /dev/null: written to directly (it cannot be replaced);
/// - anything else (a directory, a FIFO that could block forever, a socket, a dangling link):
///   refused before anything is written.
enum Destination {
    case file(String)
    case standardOutput
    case device(String)

    init(_ path: String) throws {
        if path == "-" {
            self = .standardOutput
            return
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            self = .file(path)  // a new file (a missing directory fails when it is created)
            return
        }
        var target = path
        if info.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                throw TensorFileError.writeFailed(
                    path: path, reason: "a symbolic link to a missing file")
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &info) == 0 else {
                throw TensorFileError.writeFailed(path: path, reason: "cannot stat its target")
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .file(target)
        case S_IFCHR: self = .device(target)
        default:
            throw TensorFileError.writeFailed(
                path: path, reason: "not a regular file or a character device")
        }
    }
}

/// Writes several files as a group: every temporary file first, then the renames. A failure
/// while writing (a missing directory, a full disk) happens before any destination is
/// touched, so every file that existed before is still there, unchanged, and no temporary
/// file is left behind. (Only a failing `rename` — which needs the directory to change under
/// us — can leave the group half-replaced.)
public func writeAtomically(_ files: [(bytes: [UInt8], path: String)]) throws {
    try writeAtomically(files, beforeRename: { _ in })
}

/// The same, with a hook that runs after the temporary files are complete and before the
/// renames; tests throw from it to check that a failure at the last moment leaves no trace.
func writeAtomically(
    _ bytes: [UInt8], to path: String, beforeRename: (String) throws -> Void
) throws {
    try writeAtomically([(bytes, path)], beforeRename: beforeRename)
}

func writeAtomically(
    _ files: [(bytes: [UInt8], path: String)], beforeRename: (String) throws -> Void
) throws {
    let destinations = try files.map { try Destination($0.path) }
    var temporaries: [(temporary: String, destination: String)] = []
    var renamed = 0
    defer { for entry in temporaries.dropFirst(renamed) { unlink(entry.temporary) } }
    for (file, destination) in zip(files, destinations) {
        if case .file(let target) = destination {
            temporaries.append((try writeTemporary(file.bytes, besides: target), target))
        }
    }
    for entry in temporaries { try beforeRename(entry.temporary) }
    for entry in temporaries {
        guard rename(entry.temporary, entry.destination) == 0 else {
            throw TensorFileError.writeFailed(
                path: entry.destination, reason: "rename: \(String(cString: strerror(errno)))")
        }
        renamed += 1
    }
    // Streams last: they cannot be taken back, so they are written once every file is in place.
    for (file, destination) in zip(files, destinations) {
        switch destination {
        case .file: continue
        case .standardOutput: try writeAll(file.bytes, to: 1, path: file.path)
        case .device(let device):
            let descriptor = open(device, O_WRONLY)
            guard descriptor >= 0 else {
                throw TensorFileError.writeFailed(
                    path: file.path, reason: "open: \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            try writeAll(file.bytes, to: descriptor, path: file.path)
        }
    }
}

/// Writes every byte to an open descriptor, looping over short writes and EINTR.
func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
    try bytes.withUnsafeBytes { buffer in
        guard let start = buffer.baseAddress else { return }  // nil only for an empty array
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, start + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw TensorFileError.writeFailed(
                    path: path, reason: "write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
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

    try writeAll(bytes, to: descriptor, path: path)
    guard fsync(descriptor) == 0 else { throw failure("fsync") }
    isOpen = false
    guard close(descriptor) == 0 else { throw failure("close") }
    succeeded = true
    return temporaryPath
}
