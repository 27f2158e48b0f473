import Tensor
import XCTest

final class ParallelTests: XCTestCase {
    func testChunksCoverTheRangeExactlyOnce() {
        for count in [0, 1, 5, 100, 100_001] {
            let ranges = Parallel.chunks(count: count, minimumChunk: 10)
            XCTAssertEqual(ranges.reduce(0) { $0 + $1.count }, count)
            for (left, right) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(left.upperBound, right.lowerBound) }
            XCTAssertLessThanOrEqual(ranges.count, Parallel.threadCount)
        }
    }

    func testSmallWorkRunsAsOneChunk() {
        XCTAssertEqual(Parallel.chunks(count: 1000, minimumChunk: 4096), [0..<1000])
    }

    func testForEachChunkWritesEveryElement() {
        let count = 200_000
        let output = Tensor(zeros: [count])
        output.withUnsafeMutableBufferPointer { buffer in
            Parallel.forEachChunk(count: count, minimumChunk: 1000) { range in
                for index in range { buffer[index] = Float(index) * 2 }
            }
        }
        let values = output.scalars
        XCTAssertEqual(values[0], 0)
        XCTAssertEqual(values[count - 1], Float(count - 1) * 2)
        XCTAssertTrue(values.enumerated().allSatisfy { $0.element == Float($0.offset) * 2 })
    }

    func testWorkersInheritNoGrad() {
        let parameter = Tensor(shape: [2], scalars: [1, 2]); parameter.requiresGrad = true
        let recordedFlags = Tensor(zeros: [2])
        Autograd.noGrad {
            recordedFlags.withUnsafeMutableBufferPointer { flags in
                Parallel.forEachChunk(count: 2, minimumChunk: 1) { range in
                    for index in range { flags[index] = (parameter * 2).requiresGrad ? 1 : 0 }
                }
            }
        }
        XCTAssertEqual(recordedFlags.scalars, [0, 0])
    }
}
