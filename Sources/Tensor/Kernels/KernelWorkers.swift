import CQuantKernels
import Foundation

/// Splitting of the kernels' work across cores through the spinning worker pool of
/// `Sources/CQuantKernels/WorkerPool.c`: the decode steps' quantized products and cached
/// attention, the Float32 products, and every parallel loop of `KernelMath` and `Parallel`.
///
/// A decode step is ~210 products of 30–100 µs each on one core. Waking a blocked GCD worker
/// for each costs 40–200 µs here, so before the pool only products of ≥ 2 M multiply-adds were
/// split and batch-1 decoding ran on one core. The pool's workers poll for the next job for
/// `spinMicroseconds` after each one, so a hand-off costs about a µs and products down to
/// `minimumParallelWork` are split. In training, the worker is still polling when the next
/// product or loop comes, so the second core no longer idles between them.
public enum KernelWorkers {
    /// Products (output features × input features × rows) below this stay on the calling thread.
    /// `SWIFT_GRPO_DECODE_SPLIT_WORK` overrides it (for measuring).
    public static let minimumParallelWork: Int = environmentInteger("SWIFT_GRPO_DECODE_SPLIT_WORK") ?? 150_000

    /// How long idle workers poll before blocking; `SWIFT_GRPO_DECODE_SPIN_US` overrides it.
    public static let spinMicroseconds: Int = {
        let value = environmentInteger("SWIFT_GRPO_DECODE_SPIN_US") ?? 200
        cqk_pool_set_spin_microseconds(Int64(value))
        return value
    }()

    /// Pieces a job is cut into per thread; `SWIFT_GRPO_DECODE_PIECES` overrides it.
    public static let piecesPerThread: Int = max(1, environmentInteger("SWIFT_GRPO_DECODE_PIECES") ?? 4)

    /// Splits `0..<count` into contiguous ranges (`piecesPerThread` per thread, the same ranges
    /// whichever thread runs them) and runs `body` on each, on up to `Parallel.threadCount`
    /// threads of the pool when `count · costPerItem ≥ minimumWork`.
    public static func forEachChunk(of count: Int, costPerItem: Int, minimumWork: Int = minimumParallelWork,
                             piecesPerThread: Int = piecesPerThread, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(KernelMath.workerCount, count)
        if workers == 1 || count * costPerItem < minimumWork {
            body(0..<count)
            return
        }
        // More pieces than threads, claimed one at a time: when a worker is descheduled (a busy
        // machine), the caller takes the rest instead of waiting for a whole half.
        let pieces = min(count, workers * piecesPerThread)
        forEachItem(pieces) { piece in body(KernelMath.chunk(piece, of: pieces, splitting: count)) }
    }

    /// Runs `body(item)` for every item of `0..<count`, claimed one at a time by the calling thread
    /// and up to `Parallel.threadCount − 1` workers of the pool (all on the calling thread when the
    /// pool is busy with another caller's job, or when called from inside a job).
    public static func forEachItem(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let workers = min(KernelMath.workerCount, count)
        guard workers > 1 else {
            for item in 0..<count { body(item) }
            return
        }
        _ = spinMicroseconds
        withoutActuallyEscaping(body) { body in
            let job = ItemJob(body: body)
            let context = Unmanaged.passUnretained(job).toOpaque()
            _ = cqk_pool_run(Int64(count), Int32(workers), { context, item in
                Unmanaged<ItemJob>.fromOpaque(context!).takeUnretainedValue().body(Int(item))
            }, context)
            withExtendedLifetime(job) {}
        }
    }

    private static func environmentInteger(_ name: String) -> Int? {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
    }
}

/// What the pool's C trampoline needs to call back into Swift.
private final class ItemJob {
    let body: (Int) -> Void

    init(body: @escaping (Int) -> Void) { self.body = body }
}
