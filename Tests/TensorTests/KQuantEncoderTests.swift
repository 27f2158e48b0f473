import Foundation
import Tensor
import XCTest

/// Our Q4_K, Q5_K and Q6_K encoders (ggml's reference algorithms): what they write decodes back
/// close to the input, more bits decode closer, and degenerate blocks stay finite.
final class KQuantEncoderTests: XCTestCase {
    private func values(_ count: Int, seed: UInt64) -> [Float] {
        var stream = RandomStream(seed: seed)
        // Weight-like values: mostly small, a few large, both signs, and an offset in one block.
        return (0..<count).map { index in
            let u = 2 * stream.nextUniform() - 1
            let spike: Float = index % 97 == 0 ? 6 : 1
            return u * u * u * spike * 0.05 + (index / 256 == 2 ? 0.03 : 0)
        }
    }

    private func roundTrip(_ input: [Float], _ type: GGMLType) -> [Float] {
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: input.count))
        input.withUnsafeBufferPointer { x in
            bytes.withUnsafeMutableBytes { XCTAssertTrue(Quantizer.quantize(type, from: x.baseAddress!, count: x.count, into: $0.baseAddress!)) }
        }
        var output = [Float](repeating: .nan, count: input.count)
        bytes.withUnsafeBytes { raw in
            output.withUnsafeMutableBufferPointer { _ = Dequantizer.dequantize(type, from: raw.baseAddress!, count: input.count, into: $0.baseAddress!) }
        }
        return output
    }

    private func relativeRMSError(_ a: [Float], _ b: [Float]) -> Float {
        let error = zip(a, b).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let energy = b.reduce(Float(0)) { $0 + $1 * $1 }
        return (error / energy).squareRoot()
    }

    func testEncodersDecodeCloseToTheirInput() {
        let input = values(256 * 8, seed: 3)
        var errors: [GGMLType: Float] = [:]
        for type in [GGMLType.q4_K, .q5_K, .q6_K, .q4_0, .q8_0] {
            errors[type] = relativeRMSError(roundTrip(input, type), input)
        }
        XCTAssertLessThan(errors[.q4_K]!, 0.15, "\(errors)")
        XCTAssertLessThan(errors[.q5_K]!, 0.07, "\(errors)")
        XCTAssertLessThan(errors[.q6_K]!, 0.04, "\(errors)")
        XCTAssertLessThan(errors[.q5_K]!, errors[.q4_K]!)
        XCTAssertLessThan(errors[.q6_K]!, errors[.q5_K]!)
        // The fitted scales beat plain 4-bit absmax blocks at the same bit budget.
        XCTAssertLessThan(errors[.q4_K]!, errors[.q4_0]!)
    }

    func testZeroAndConstantBlocks() {
        for type in [GGMLType.q4_K, .q5_K, .q6_K] {
            XCTAssertEqual(roundTrip([Float](repeating: 0, count: 256), type), [Float](repeating: 0, count: 256), "\(type)")
            let constant = roundTrip([Float](repeating: 0.25, count: 256), type)
            XCTAssertTrue(constant.allSatisfy { abs($0 - 0.25) < 0.01 }, "\(type): \(constant.prefix(4))")
            let negative = roundTrip([Float](repeating: -1, count: 256), type)
            XCTAssertTrue(negative.allSatisfy { abs($0 + 1) < 0.02 }, "\(type): \(negative.prefix(4))")
        }
    }
}
