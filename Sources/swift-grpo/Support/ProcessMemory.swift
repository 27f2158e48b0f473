import Foundation

/// This process's memory use, from /proc/self/status (Linux).
enum ProcessMemory {
    /// The peak resident set size in bytes (VmHWM), or nil where /proc is unavailable.
    static var peakResidentBytes: Int? { statusField("VmHWM") }

    private static func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}
