import Tensor
import XCTest

final class OpsLowRankUpdateTests: XCTestCase {
    private let rows = 6, inFeatures = 5, outFeatures = 7, rank = 3, scale: Float = 0.75

    private func tensors(seed: UInt64) -> (x: Tensor, w: Tensor, a: Tensor, b: Tensor) {
        (OpsGradientCheck.randomTensor([rows, inFeatures], seed: seed),
         OpsGradientCheck.randomTensor([outFeatures, inFeatures], seed: seed + 1),
         OpsGradientCheck.randomTensor([rank, inFeatures], seed: seed + 2),
         OpsGradientCheck.randomTensor([outFeatures, rank], seed: seed + 3))
    }

    func testForwardEqualsTheProductPlusTheUnfusedUpdate() {
        let (x, w, a, b) = tensors(seed: 10)
        let expected = (linear(x, weight: w) + linear(linear(x, weight: a) * scale, weight: b)).scalars
        let fused = addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
        XCTAssertEqual(fused.shape, [rows, outFeatures])
        XCTAssertLessThan(OpsGradientCheck.maxDifference(fused.scalars, expected), 1e-5)
    }

    func testFewAndManyRowsEqualTheUnfusedUpdate() {
        // Up to `lowRankDirectRowLimit` rows the update is computed with dot products, above it
        // with sgemm; both against the unfused graph, with LoRA-like sizes.
        for (index, count) in [1, 4, lowRankDirectRowLimit, lowRankDirectRowLimit + 1, 40].enumerated() {
            let seed = 60 + UInt64(index) * 4
            let x = OpsGradientCheck.randomTensor([count, 96], seed: seed)
            let w = OpsGradientCheck.randomTensor([70, 96], seed: seed + 1)
            let a = OpsGradientCheck.randomTensor([16, 96], seed: seed + 2)
            let b = OpsGradientCheck.randomTensor([70, 16], seed: seed + 3)
            let expected = (linear(x, weight: w) + linear(linear(x, weight: a) * scale, weight: b)).scalars
            let fused = addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
            XCTAssertLessThan(OpsGradientCheck.maxDifference(fused.scalars, expected), 1e-4, "\(count) rows")
        }
    }

    func testAFewRowsGiveEachRowTheSameResultAsAlone() {
        let x = OpsGradientCheck.randomTensor([lowRankDirectRowLimit, 96], seed: 90)
        let a = OpsGradientCheck.randomTensor([16, 96], seed: 91), b = OpsGradientCheck.randomTensor([70, 16], seed: 92)
        let together = addingLowRankUpdate(into: Tensor(zeros: [lowRankDirectRowLimit, 70]), input: x, a: a, b: b, scale: scale)
        for row in 0..<lowRankDirectRowLimit {
            let alone = addingLowRankUpdate(into: Tensor(zeros: [1, 70]), input: x.rows(row..<(row + 1)), a: a, b: b, scale: scale)
            XCTAssertEqual(alone.scalars, Array(together.scalars[(row * 70)..<((row + 1) * 70)]))
        }
    }

    func testTheResultReusesTheProductsStorage() {
        let (x, w, a, b) = tensors(seed: 20)
        let product = linear(x, weight: w)
        let fused = addingLowRankUpdate(into: product, input: x, a: a, b: b, scale: scale)
        XCTAssertTrue(fused.storage === product.storage)
    }

    func testGradientsOfInputWeightAndBothFactors() {
        let (x, w, a, b) = tensors(seed: 30)
        OpsGradientCheck.check([x, w, a, b]) {
            addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
        }
    }

    func testGradientsEqualTheUnfusedGraphs() {
        let (x, w, a, b) = tensors(seed: 40)
        for tensor in [x, a, b] { tensor.requiresGrad = true }
        let upstream = OpsGradientCheck.randomTensor([rows, outFeatures], seed: 44)
        (linear(x, weight: w) + linear(linear(x, weight: a) * scale, weight: b)).backward(upstream)
        let expected = [x, a, b].map { $0.grad!.scalars }
        for tensor in [x, a, b] { tensor.zeroGradient() }
        addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale).backward(upstream)
        for (tensor, reference) in zip([x, a, b], expected) {
            XCTAssertLessThan(OpsGradientCheck.maxDifference(tensor.grad!.scalars, reference), 1e-5)
        }
        XCTAssertNil(w.grad)
    }

    /// (rank, out, in) for the many-row kernels: ranks of one full vector, part of one and more
    /// than one; feature and column counts that leave partial groups.
    private let kernelShapes = [(16, 70, 100), (8, 24, 48), (20, 9, 33)]

    /// Fails when `actual` is more than 1e-4 from the plain sums `expected`.
    private func assertClose(_ actual: [Float], _ expected: [Double], _ label: String) {
        let difference = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
        XCTAssertLessThan(difference, 1e-4, label)
    }

    /// `body` run with the parallel loops on one thread.
    private func onOneThread<Result>(_ body: () -> Result) -> Result {
        let saved = Parallel.threadCount
        Parallel.setThreadCount(1)
        defer { Parallel.setThreadCount(saved) }
        return body()
    }

    func testTheForwardOverManyRowsMatchesPlainSumsOnEveryInstructionSetAndThreadCount() {
        for (index, (rank, outFeatures, inFeatures)) in kernelShapes.enumerated() {
            let rows = 37, seed = 300 + UInt64(index) * 4
            let x = OpsGradientCheck.randomTensor([rows, inFeatures], seed: seed).scalars
            let a = OpsGradientCheck.randomTensor([rank, inFeatures], seed: seed + 1).scalars
            let b = OpsGradientCheck.randomTensor([outFeatures, rank], seed: seed + 2).scalars
            let base = OpsGradientCheck.randomTensor([rows, outFeatures], seed: seed + 3).scalars
            var expectedProjected = [Double](repeating: 0, count: rows * rank)
            for t in 0..<rows { for j in 0..<rank { for i in 0..<inFeatures {
                expectedProjected[t * rank + j] += Double(x[t * inFeatures + i]) * Double(a[j * inFeatures + i])
            } } }
            var expectedOut = base.map(Double.init)
            for t in 0..<rows { for o in 0..<outFeatures { for j in 0..<rank {
                expectedOut[t * outFeatures + o] += Double(scale) * expectedProjected[t * rank + j] * Double(b[o * rank + j])
            } } }
            func run(_ set: QuantizedInstructionSet) -> (out: [Float], projected: [Float]) {
                var out = base, projected = [Float](repeating: .nan, count: rows * rank)
                out.withUnsafeMutableBufferPointer { out in projected.withUnsafeMutableBufferPointer { projected in
                    x.withUnsafeBufferPointer { x in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
                        lowRankUpdateForward(out: out, projected: projected, input: x, a: a, b: b, scale: scale, rows: rows,
                                             inFeatures: inFeatures, outFeatures: outFeatures, rank: rank, instructionSet: set)
                    } } }
                } }
                return (out, projected)
            }
            for set in QuantizedInstructionSet.available {
                let result = run(set)
                assertClose(result.projected, expectedProjected, "x·Aᵀ, \(set), rank \(rank)")
                assertClose(result.out, expectedOut, "out, \(set), rank \(rank)")
                XCTAssertTrue(onOneThread { run(set) } == result, "one thread gives other bits, \(set)")
            }
        }
    }

    func testTheBackwardKernelsMatchPlainSumsOnEveryInstructionSetAndThreadCount() {
        // Each gradient asked for alone too.
        for (index, (rank, outFeatures, inFeatures)) in kernelShapes.enumerated() {
            let rows = 37, seed = 200 + UInt64(index) * 8
            let dOut = OpsGradientCheck.randomTensor([rows, outFeatures], seed: seed).scalars
            let projected = OpsGradientCheck.randomTensor([rows, rank], seed: seed + 1).scalars
            let x = OpsGradientCheck.randomTensor([rows, inFeatures], seed: seed + 2).scalars
            let a = OpsGradientCheck.randomTensor([rank, inFeatures], seed: seed + 3).scalars
            let b = OpsGradientCheck.randomTensor([outFeatures, rank], seed: seed + 4).scalars
            let initial = (dInput: OpsGradientCheck.randomTensor([rows, inFeatures], seed: seed + 5).scalars,
                           dA: OpsGradientCheck.randomTensor([rank, inFeatures], seed: seed + 6).scalars,
                           dB: OpsGradientCheck.randomTensor([outFeatures, rank], seed: seed + 7).scalars)
            // Plain sums in Double.
            var dP = [Double](repeating: 0, count: rows * rank)
            for t in 0..<rows { for j in 0..<rank { for o in 0..<outFeatures {
                dP[t * rank + j] += Double(scale) * Double(dOut[t * outFeatures + o]) * Double(b[o * rank + j])
            } } }
            var expectedB = initial.dB.map(Double.init), expectedA = initial.dA.map(Double.init)
            var expectedInput = initial.dInput.map(Double.init)
            for o in 0..<outFeatures { for j in 0..<rank { for t in 0..<rows {
                expectedB[o * rank + j] += Double(scale) * Double(dOut[t * outFeatures + o]) * Double(projected[t * rank + j])
            } } }
            for j in 0..<rank { for i in 0..<inFeatures { for t in 0..<rows {
                expectedA[j * inFeatures + i] += dP[t * rank + j] * Double(x[t * inFeatures + i])
                expectedInput[t * inFeatures + i] += dP[t * rank + j] * Double(a[j * inFeatures + i])
            } } }
            func run(_ set: QuantizedInstructionSet, wants: (input: Bool, a: Bool, b: Bool)) -> (input: [Float], a: [Float], b: [Float]) {
                var (dInput, dA, dB) = initial
                dOut.withUnsafeBufferPointer { dOut in projected.withUnsafeBufferPointer { projected in
                    x.withUnsafeBufferPointer { x in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
                        dInput.withUnsafeMutableBufferPointer { dInput in dA.withUnsafeMutableBufferPointer { dA in
                            dB.withUnsafeMutableBufferPointer { dB in
                                lowRankUpdateBackward(dInput: wants.input ? dInput : nil, dA: wants.a ? dA : nil,
                                                      dB: wants.b ? dB : nil, dOut: dOut, projected: projected,
                                                      input: x, a: a, b: b, scale: scale, rows: rows,
                                                      inFeatures: inFeatures, outFeatures: outFeatures, rank: rank,
                                                      instructionSet: set)
                            }
                        } }
                    } } }
                } }
                return (dInput, dA, dB)
            }
            for set in QuantizedInstructionSet.available {
                let all = run(set, wants: (true, true, true))
                assertClose(all.input, expectedInput, "d input, \(set), rank \(rank)")
                assertClose(all.a, expectedA, "dA, \(set), rank \(rank)")
                assertClose(all.b, expectedB, "dB, \(set), rank \(rank)")
                XCTAssertEqual(run(set, wants: (true, false, false)).input, all.input, "d input alone, \(set)")
                XCTAssertEqual(run(set, wants: (false, true, false)).a, all.a, "dA alone, \(set)")
                let onlyB = run(set, wants: (false, false, true))
                XCTAssertEqual(onlyB.b, all.b, "dB alone, \(set)")
                XCTAssertEqual(onlyB.input, initial.dInput, "d input untouched, \(set)")
                XCTAssertTrue(onOneThread { run(set, wants: (true, true, true)) } == all, "one thread gives other bits, \(set)")
            }
        }
    }

    func testOnlyTheFactorsGetGradientsWhenTheInputIsConstant() {
        let (x, w, a, b) = tensors(seed: 50)
        a.requiresGrad = true
        b.requiresGrad = true
        addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
            .backward(Tensor(shape: [rows, outFeatures], repeating: 1))
        XCTAssertNotNil(a.grad)
        XCTAssertNotNil(b.grad)
        XCTAssertNil(x.grad)
    }
}

final class OpsResidualTests: XCTestCase {
    func testSumAndGradients() {
        let x = OpsGradientCheck.randomTensor([4, 6], seed: 60), w = OpsGradientCheck.randomTensor([6, 6], seed: 61)
        let expected = (x + linear(x, weight: w)).scalars
        XCTAssertEqual(addingResidual(x, into: linear(x, weight: w)).scalars, expected)
        OpsGradientCheck.check([x, w]) { addingResidual(x, into: linear(x, weight: w)) }
    }
}
