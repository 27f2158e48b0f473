import Dispatch
import Foundation

/// Coarse-grained parallel loops.
///
/// Work is cut into at most `threadCount` contiguous chunks run on `KernelWorkers`' pool;
/// below `minimumChunk` items per chunk it runs serially on the calling thread. Chunk boundaries
/// depend only on `count`, `minimumChunk` and `threadCount`, so results are reproducible for a
/// given thread count. Workers run inside `Autograd.noGrad` when the caller does.
public enum Parallel {
    nonisolated(unsafe) private static var configuredThreadCount = ProcessInfo.processInfo.activeProcessorCount

    /// The largest number of chunks a loop is split into (defaults to the active core count).
    public static var threadCount: Int { configuredThreadCount }

    /// Sets the number of chunks loops may use (at least 1). Call it before starting work.
    public static func setThreadCount(_ count: Int) {
        configuredThreadCount = max(1, count)
    }

    /// The chunks `forEachChunk` would use for `count` items.
    public static func chunks(count: Int, minimumChunk: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let pieces = max(1, min(threadCount, count / max(1, minimumChunk)))
        return (0..<pieces).map { piece in
            (piece * count / pieces) ..< ((piece + 1) * count / pieces)
        }
    }

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when each range would have
    /// at least `minimumChunk` items. `body` must only write to locations owned by its range.
    public static func forEachChunk(count: Int, minimumChunk: Int = 32_768, body: (Range<Int>) -> Void) {
        let ranges = chunks(count: count, minimumChunk: minimumChunk)
        if ranges.count <= 1 {
            if let only = ranges.first { body(only) }
            return
        }
        // Workers inherit the caller's no-grad scope (it is per thread).
        let recording = Autograd.isEnabled
        KernelWorkers.forEachItem(ranges.count) { piece in
            if recording { body(ranges[piece]) } else { Autograd.noGrad { body(ranges[piece]) } }
        }
    }
}
