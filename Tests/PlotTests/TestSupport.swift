import Core
import CLibPNG

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Deterministic test data: Core's seeded generator (xoshiro256**, Box–Muller normals).
typealias TestRNG = SeededRNG

/// A PNG decoded with libpng's simplified read API — an implementation independent of
/// our writer's callers, used to check what actually landed on disk.
struct DecodedPNG {
    let width: Int
    let height: Int
    /// [height][width][3] RGB bytes.
    let pixels: [UInt8]

    init(path: String) throws {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw DecodeError(message: Self.message(of: image))
        }
        image.format = png_uint_32(PNG_FORMAT_RGB)
        width = Int(image.width)
        height = Int(image.height)
        var buffer = [UInt8](repeating: 0, count: width * height * 3)
        let ok = buffer.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else {
            throw DecodeError(message: Self.message(of: image))
        }
        pixels = buffer
    }

    func pixel(_ x: Int, _ y: Int) -> RGB {
        let offset = (y * width + x) * 3
        return RGB(pixels[offset], pixels[offset + 1], pixels[offset + 2])
    }

    struct DecodeError: Error { let message: String }

    static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

func fileBytes(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let read = fread(&chunk, 1, chunk.count, file)
        if read <= 0 { break }
        bytes += chunk[0..<read]
    }
    return bytes
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

/// Runs `body` with a fresh scratch directory, then deletes the directory and the files in it.
func withScratchDirectory(_ name: String, _ body: (String) throws -> Void) rethrows {
    let path = "/tmp/plot-tests-\(getpid())-\(name)"
    mkdir(path, 0o755)
    defer {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let file = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if file != "." && file != ".." { unlink("\(path)/\(file)") }
            }
            closedir(directory)
        }
        rmdir(path)
    }
    try body(path)
}

/// Pixels inside `rect` that are neither white nor grid grey: where something was drawn.
func inkedPixels(_ canvas: Canvas, in rect: PixelRect) -> Int {
    var count = 0
    for y in rect.y..<rect.maxY {
        for x in rect.x..<rect.maxX {
            let color = canvas[x, y]
            if color != .white && color != Style.grid { count += 1 }
        }
    }
    return count
}
