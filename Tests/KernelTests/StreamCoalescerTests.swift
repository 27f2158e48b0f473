import Kernel
import XCTest

final class StreamCoalescerTests: XCTestCase {
    private final class Collector: @unchecked Sendable {
        var messages: [(String, String)] = []
    }

    private func make(_ collector: Collector) -> StreamCoalescer {
        StreamCoalescer(maximumBytes: 64, maximumDelay: 0.1, lineInterval: 0.01) { collector.messages.append(($0, $1)) }
    }

    func testCompleteLineGoesOutAtOnceAndPartialLineWaits() {
        let collector = Collector()
        let coalescer = make(collector)
        coalescer.write("hello, ", to: "stdout", now: 10)
        XCTAssertTrue(collector.messages.isEmpty)
        coalescer.write("world\npart", to: "stdout", now: 10)
        XCTAssertEqual(collector.messages.map(\.1), ["hello, world\n"])
        coalescer.flushIfDue(now: 10.05)
        XCTAssertEqual(collector.messages.count, 1, "the partial line waits for its deadline")
        coalescer.flushIfDue(now: 10.11)
        XCTAssertEqual(collector.messages.map(\.1), ["hello, world\n", "part"])
    }

    func testLinesInQuickSuccessionAreBatched() {
        let collector = Collector()
        let coalescer = make(collector)
        coalescer.write("1\n", to: "stdout", now: 1)
        coalescer.write("2\n", to: "stdout", now: 1.001)
        coalescer.write("3\n", to: "stdout", now: 1.002)
        XCTAssertEqual(collector.messages.map(\.1), ["1\n"])
        XCTAssertEqual(coalescer.flushIfDue(now: 1.005), 1.01)
        coalescer.flushIfDue(now: 1.011)
        XCTAssertEqual(collector.messages.map(\.1), ["1\n", "2\n3\n"])
    }

    func testSizeLimitFlushes() {
        let collector = Collector()
        let coalescer = make(collector)
        for _ in 0..<10 { coalescer.write("0123456789", to: "stdout", now: 5) }
        XCTAssertEqual(collector.messages.count, 1)
        XCTAssertGreaterThanOrEqual(collector.messages[0].1.utf8.count, 64)
    }

    func testStreamSwitchKeepsOrder() {
        let collector = Collector()
        let coalescer = make(collector)
        coalescer.write("out", to: "stdout", now: 1)
        coalescer.write("err", to: "stderr", now: 1)
        coalescer.flush(now: 1)
        XCTAssertEqual(collector.messages.map(\.0), ["stdout", "stderr"])
        XCTAssertEqual(collector.messages.map(\.1), ["out", "err"])
    }

    func testMultiByteTextIsNeverSplit() {
        let collector = Collector()
        let coalescer = make(collector)
        let text = String(repeating: "é😀", count: 40)
        coalescer.write(text, to: "stdout", now: 1)
        coalescer.flush(now: 1)
        XCTAssertEqual(collector.messages.map(\.1).joined(), text)
        for (_, chunk) in collector.messages { XCTAssertEqual(String(decoding: Array(chunk.utf8), as: UTF8.self), chunk) }
    }

    func testTimerThreadFlushesWithinTheDelay() {
        let collector = Collector()
        let coalescer = StreamCoalescer(maximumDelay: 0.05) { collector.messages.append(($0, $1)) }
        let thread = Thread { coalescer.runTimer() }
        thread.start()
        defer { coalescer.stop() }
        coalescer.write("tick", to: "stdout")
        let deadline = Date().addingTimeInterval(1)
        while collector.messages.isEmpty && Date() < deadline { usleep(5_000) }
        XCTAssertEqual(collector.messages.map(\.1), ["tick"])
    }
}
