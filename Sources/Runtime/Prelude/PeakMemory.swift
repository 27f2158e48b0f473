import Foundation

/// The process's peak resident memory (Linux /proc), resettable so one piece of work can be
/// measured on its own.
enum PeakMemory {
    /// The peak resident set size in bytes since start or the last `reset()`; nil without /proc.
    static var bytes: Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").compactMap { Double($0) }.first.map { $0 * 1024 }
        }
        return nil
    }

    /// Restarts the peak from the current resident size (writing 5 to clear_refs); false where
    /// the kernel does not allow it, and the peak then counts from the process start.
    @discardableResult
    static func reset() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }
}
