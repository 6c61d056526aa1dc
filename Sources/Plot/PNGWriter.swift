import CLibPNG

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a PNG could not be written.
public enum PNGWriteError: Error, Equatable, CustomStringConvertible {
    /// libpng refused: `message` is libpng's own reason (e.g. "png_image_write_to_file: open failed").
    case libpng(path: String, message: String)
    /// The finished temporary file could not be renamed over the destination.
    case rename(from: String, to: String, errno: Int32)

    public var description: String {
        switch self {
        case .libpng(let path, let message): return "cannot write PNG \(path): \(message)"
        case .rename(let from, let to, let code): return "cannot rename \(from) to \(to) (errno \(code))"
        }
    }
}

extension Canvas {
    /// Saves the canvas as an 8-bit RGB PNG at `path`.
    ///
    /// Uses libpng's *simplified* API, `png_image_write_to_file`: the classic API reports
    /// errors by `longjmp`, which Swift cannot survive. A zero return means failure and the
    /// reason is in `image.message`, which we throw as ``PNGWriteError/libpng(path:message:)``.
    ///
    /// The image goes to a temporary file in the same directory first and is renamed over
    /// `path` only when complete, so a failed write never leaves a half-written figure. The
    /// output holds no timestamp: the same canvas always gives the same bytes.
    public func writePNG(to path: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        var image = png_image()  // zero-filled, as libpng requires (opaque must be NULL)
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(PNG_FORMAT_RGB)
        let ok = pixels.withUnsafeBytes { buffer in
            // row_stride 0 means "tightly packed": width × 3 bytes per row.
            png_image_write_to_file(&image, temporary, 0, buffer.baseAddress, 0, nil)
        }
        guard ok != 0 else {
            let message = withUnsafeBytes(of: image.message) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            png_image_free(&image)
            unlink(temporary)
            throw PNGWriteError.libpng(path: path, message: message)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw PNGWriteError.rename(from: temporary, to: path, errno: code)
        }
    }
}
