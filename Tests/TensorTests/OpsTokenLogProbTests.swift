import Foundation
import Tensor
import XCTest

final class OpsTokenLogProbTests: XCTestCase {
    private let hidden = OpsGradientCheck.randomTensor([5, 6], seed: 80)
    private let weight = OpsGradientCheck.randomTensor([37, 6], seed: 81, scale: 0.7)
    private let targets = [3, 36, 0, -1, 17]

    /// log softmax(transform(h·Wᵀ)) gathered at the targets, through the full logits.
    private func reference(_ options: TokenLogProbOptions) -> (logProbs: [Float], entropy: [Float]) {
        var logits = linear(hidden, weight: weight).scalars.map { $0 * options.logitScale }
        if let cap = options.softCap { logits = logits.map { cap * tanh($0 / cap) } }
        logits = logits.map { $0 / options.temperature }
        let logp = logSoftmax(Tensor(shape: [5, 37], scalars: logits)).scalars
        let logProbs = targets.enumerated().map { row, target in target < 0 ? 0 : logp[row * 37 + target] }
        let entropy = (0..<5).map { row in -(0..<37).map { exp(logp[row * 37 + $0]) * logp[row * 37 + $0] }.reduce(0, +) }
        return (logProbs, entropy)
    }

    private let variants = [
        TokenLogProbOptions(chunkRows: 2),
        TokenLogProbOptions(chunkRows: 2, chunkColumns: 10),
        TokenLogProbOptions(logitScale: 1.5, softCap: 3, temperature: 0.7, chunkRows: 3, chunkColumns: 16),
        TokenLogProbOptions(temperature: 1.3),
    ]

    func testMatchesFullLogSoftmax() {
        for options in variants {
            let result = tokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options,
                                       computeEntropy: true)
            let expected = reference(options)
            XCTAssertLessThan(OpsGradientCheck.maxDifference(result.logProbs.scalars, expected.logProbs), 2e-5)
            XCTAssertLessThan(OpsGradientCheck.maxDifference(result.entropy!.scalars, expected.entropy), 2e-5)
            XCTAssertEqual(result.logProbs.scalars[3], 0)
        }
    }

    func testGradients() {
        for options in variants {
            OpsGradientCheck.check([hidden, weight], samplesPerInput: 60) {
                tokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options).logProbs
            }
            // The skipped row (target −1) gives its hidden state no gradient.
            XCTAssertEqual(Array(hidden.grad!.scalars[18..<24]), [Float](repeating: 0, count: 6))
        }
    }

    func testTileShapeDoesNotChangeResults() {
        let whole = tokenLogProbs(hidden: hidden, weight: weight, targets: targets,
                                  options: TokenLogProbOptions(chunkRows: 5)).logProbs.scalars
        for (rows, columns) in [(1, 37), (1, 1), (4, 7), (5, 36)] {
            let tiled = tokenLogProbs(hidden: hidden, weight: weight, targets: targets,
                                      options: TokenLogProbOptions(chunkRows: rows, chunkColumns: columns))
            XCTAssertLessThan(OpsGradientCheck.maxDifference(whole, tiled.logProbs.scalars), 2e-6, "tile \(rows)×\(columns)")
        }
    }

    func testDefaultTilesFitTheBudget() {
        let options = TokenLogProbOptions()
        XCTAssertEqual(options.tileShape(rows: 1024, vocabulary: 49152).rows, 1024)
        XCTAssertEqual(options.tileShape(rows: 256, vocabulary: 49152).columns, 32768)
        XCTAssertEqual(options.tileShape(rows: 3, vocabulary: 49152).columns, 49152)
        for rows in [1, 100, 256, 1024, 5000] {
            XCTAssertLessThanOrEqual(options.scratchBytes(rows: rows, vocabulary: 49152), 32 << 20)
        }
    }

    /// At T = 1024, V = 49152 the op must stay within 64 MB beyond its inputs, forward and backward.
    func testMemoryStaysUnder64MegabytesAtFullVocabulary() throws {
        #if DEBUG
        throw XCTSkip("memory and speed are measured in release builds (swift test -c release)")
        #else
        let rows = 1024, dim = 576, vocabulary = 49152
        let h = OpsGradientCheck.randomTensor([rows, dim], seed: 90)
        var random = RandomStream(seed: 91)
        let w = Tensor.uniform([vocabulary, dim], in: -0.1...0.1, using: &random)
        let ids = (0..<rows).map { ($0 * 7919) % vocabulary }
        h.requiresGrad = true
        // Warm up OpenBLAS's own buffers on the same shapes, then measure from a reset peak.
        _ = Autograd.noGrad { tokenLogProbs(hidden: Tensor(shape: [64, dim], scalars: Array(h.scalars[0..<(64 * dim)])),
                                            weight: w, targets: Array(ids[0..<64])) }
        let options = TokenLogProbOptions()
        XCTAssertLessThanOrEqual(options.scratchBytes(rows: rows, vocabulary: vocabulary), 64 << 20)
        let baseline = try OpsProcessMemory.resetPeak()
        let result = tokenLogProbs(hidden: h, weight: w, targets: ids)
        result.logProbs.backward(Tensor(shape: [rows], repeating: 1))
        let peak = try OpsProcessMemory.peakResidentBytes()
        XCTAssertEqual(h.grad?.count, rows * dim)
        XCTAssertTrue(result.logProbs.scalars.allSatisfy { $0.isFinite && $0 <= 0 })
        let extra = peak - baseline
        print("tokenLogProbs T=\(rows) V=\(vocabulary): peak RSS beyond inputs \(extra >> 20) MB")
        XCTAssertLessThanOrEqual(extra, 64 << 20)
        #endif
    }
}

/// Reads this process's resident-set figures from /proc (Linux).
enum OpsProcessMemory {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "/proc/self/status or /proc/self/clear_refs is not available; run on Linux" }
    }

    /// Resets the peak (VmHWM) to the current RSS and returns the current RSS in bytes.
    static func resetPeak() throws -> Int {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { throw Unavailable() }
        handle.write("5".data(using: .ascii)!)
        try handle.close()
        return try field("VmRSS")
    }

    /// The peak resident set since the last reset, in bytes.
    static func peakResidentBytes() throws -> Int { try field("VmHWM") }

    private static func field(_ name: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { throw Unavailable() }
        return kilobytes * 1024
    }
}
