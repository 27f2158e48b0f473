import Foundation
import Tensor
import XCTest

final class RNGStreamTests: XCTestCase {
    func testSameSeedSameNumbers() {
        var a = RandomStreams(seed: 42), b = RandomStreams(seed: 42)
        XCTAssertEqual((0..<5).map { _ in a.sampling.next() }, (0..<5).map { _ in b.sampling.next() })
        var c = RandomStreams(seed: 43), d = RandomStreams(seed: 42)
        XCTAssertNotEqual(d.sampling.next(), c.sampling.next())
    }

    func testStreamsAreIndependent() {
        var touched = RandomStreams(seed: 7), untouched = RandomStreams(seed: 7)
        for _ in 0..<100 { _ = touched.dropout.next() }
        XCTAssertEqual(touched.sampling.next(), untouched.sampling.next(), "drawing dropout must not move sampling")
        let streams = RandomStreams(seed: 7)
        let firsts = [streams.initialization, streams.dropout, streams.sampling, streams.shuffling].map { stream -> UInt64 in
            var copy = stream
            return copy.next()
        }
        XCTAssertEqual(Set(firsts).count, 4)
    }

    func testKnownSequenceIsStable() {
        // xoshiro256** seeded by SplitMix64(0), computed independently in Python: a change in the
        // generator would silently change every seeded run.
        var stream = RandomStream(seed: 0)
        XCTAssertEqual((0..<3).map { _ in stream.next() },
                       [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768])
    }

    func testUniformAndNormalRanges() {
        var stream = RandomStream(seed: 3)
        let uniforms = (0..<10_000).map { _ in stream.nextUniform() }
        XCTAssertTrue(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(uniforms.reduce(0, +) / 10_000, 0.5, accuracy: 0.02)
        let normals = (0..<10_000).map { _ in stream.nextNormal() }
        XCTAssertTrue(normals.allSatisfy { $0.isFinite })
        XCTAssertEqual(normals.reduce(0, +) / 10_000, 0, accuracy: 0.05)
    }

    func testStateSurvivesCodable() throws {
        var streams = RandomStreams(seed: 11)
        _ = streams.shuffling.next()
        var restored = try JSONDecoder().decode(RandomStreams.self, from: JSONEncoder().encode(streams))
        XCTAssertEqual(restored, streams)
        XCTAssertEqual(restored.shuffling.next(), streams.shuffling.next())
        XCTAssertThrowsError(try JSONDecoder().decode(RandomStream.self, from: Data(#"{"state":[0,0,0,0]}"#.utf8)))
    }

    func testShuffleWithStreamIsReproducible() {
        var a = RandomStreams(seed: 5).shuffling, b = RandomStreams(seed: 5).shuffling
        XCTAssertEqual(Array(0..<20).shuffled(using: &a), Array(0..<20).shuffled(using: &b))
    }
}

