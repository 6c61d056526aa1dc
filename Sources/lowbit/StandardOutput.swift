// C's stdout is a global variable: Swift 6 allows reading it only through a @preconcurrency
// import of the C library, in a file that does not import Foundation (which re-exports it checked).
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard output is buffered: a report printed to a full disk or a closed pipe is only lost
/// when the buffer is flushed at exit, after the exit code is chosen. Flushing here turns that
/// loss into an error (issue #14: `--json > /dev/full` exited 0).
func flushStandardOutput() throws {
    if fflush(stdout) != 0 || ferror(stdout) != 0 {
        throw CLIError("cannot write standard output: \(String(cString: strerror(errno)))")
    }
}
