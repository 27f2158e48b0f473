import Foundation
import Tensor
import XCTest

/// The spinning worker pool behind decode-step kernels: every chunk exactly once, the same
/// ranges whatever thread runs them, and callers that overlap (other threads, nested calls).
final class KernelWorkersTests: XCTestCase {
    private func visits(count: Int, threads: Int) -> [Int] {
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        Parallel.setThreadCount(threads)
        let counter = UnsafeMutablePointer<Int>.allocate(capacity: count)
        defer { counter.deallocate() }
        counter.initialize(repeating: 0, count: count)
        KernelWorkers.forEachChunk(of: count, costPerItem: 1, minimumWork: 0) { range in
            for i in range { counter[i] += 1 }
        }
        return Array(UnsafeBufferPointer(start: counter, count: count))
    }

    func testEveryItemRunsExactlyOnce() {
        for threads in [1, 2, 3, 8] {
            for count in [1, 2, 7, 1000] {
                XCTAssertEqual(visits(count: count, threads: threads), Array(repeating: 1, count: count), "\(count) items, \(threads) threads")
            }
        }
    }

    func testManyJobsInARowAndFromSeveralThreadsAtOnce() {
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        Parallel.setThreadCount(2)
        let lock = NSLock()
        var totals = [Int](repeating: 0, count: 4)
        // Four threads submit jobs at once: one gets the pool, the others run theirs alone.
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for _ in 0..<500 {
                var sums = [Int](repeating: 0, count: 2)
                sums.withUnsafeMutableBufferPointer { slots in
                    KernelWorkers.forEachChunk(of: 2, costPerItem: 1, minimumWork: 0) { range in
                        for i in range {
                            // A nested job runs on the calling thread.
                            var inner = 0
                            KernelWorkers.forEachChunk(of: 3, costPerItem: 1, minimumWork: 0) { r in
                                inner += r.count
                            }
                            slots[i] = inner
                        }
                    }
                }
                lock.withLock { totals[caller] += sums.reduce(0, +) }
            }
        }
        XCTAssertEqual(totals, Array(repeating: 500 * 6, count: 4))
    }
}
