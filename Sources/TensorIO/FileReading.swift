import Foundation

/// Reads a whole file into memory, refusing anything that is not a regular file (a FIFO or
/// `/dev/zero` would otherwise hang or never end). The size is taken from the file system
/// first and the read asks for exactly that many bytes, so nothing larger than the file is
/// ever allocated.
public func readWholeFile(atPath path: String) throws -> [UInt8] {
    let attributes: [FileAttributeKey: Any]
    do {
        attributes = try FileManager.default.attributesOfItem(atPath: path)
    } catch {
        if !FileManager.default.fileExists(atPath: path) { throw TensorFileError.fileNotFound(path: path) }
        throw TensorFileError.readFailed(path: path, reason: "cannot stat the file")
    }
    guard attributes[.type] as? FileAttributeType == .typeRegular else {
        throw TensorFileError.notARegularFile(path: path)
    }
    guard let size = (attributes[.size] as? NSNumber)?.intValue, size >= 0 else {
        throw TensorFileError.readFailed(path: path, reason: "cannot determine the file size")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
        throw TensorFileError.readFailed(path: path, reason: "cannot open the file")
    }
    defer { try? handle.close() }
    let data: Data
    do {
        data = try handle.read(upToCount: size) ?? Data()
    } catch {
        throw TensorFileError.readFailed(path: path, reason: "\(error)")
    }
    guard data.count == size else {
        throw TensorFileError.readFailed(
            path: path, reason: "expected \(size) bytes, read \(data.count) (file changed?)")
    }
    return [UInt8](data)
}
