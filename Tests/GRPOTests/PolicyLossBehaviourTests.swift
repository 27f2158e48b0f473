import Foundation
import GRPO
import Tensor
import XCTest

/// `policyLoss` options the fixture does not combine, each with a value worked out by hand.
final class PolicyLossBehaviourTests: XCTestCase {
    /// Runs the loss with a fresh differentiable tensor; returns the loss, gradient and metrics.
    func run(_ settings: GRPOLossSettings, logProbs: [Float], old: [Float]? = nil, reference: [Float]? = nil,
             sampler: [Float]? = nil, entropies: [Float]? = nil, advantages: [Float], lengths: [Int],
             mask: [Float]? = nil, itemsInBatch: Double? = nil, accumulation: Int = 1, stepsPerGeneration: Int = 1,
             processes: Int = 1) throws -> (loss: Double, gradient: [Double], metrics: [String: Double]) {
        let parameter = Tensor(shape: [logProbs.count], scalars: logProbs)
        parameter.requiresGrad = true
        let mask = mask ?? Array(repeating: 1, count: logProbs.count)
        let batch = PolicyLossBatch(logProbs: parameter, oldLogProbs: old, referenceLogProbs: reference,
                                    samplerLogProbs: sampler, entropies: entropies, advantages: advantages,
                                    lengths: lengths, mask: mask, itemsInBatch: itemsInBatch ?? Double(mask.reduce(0, +)),
                                    gradientAccumulationSteps: accumulation, stepsPerGeneration: stepsPerGeneration,
                                    processCount: processes)
        let result = try policyLoss(batch, settings: settings)
        result.loss.backward()
        return (Double(result.loss.scalar), (parameter.grad?.scalars ?? []).map(Double.init), result.metrics)
    }

    func settings(_ lossType: GRPOLossType, _ change: (inout GRPOLossSettings) -> Void = { _ in }) -> GRPOLossSettings {
        var settings = GRPOLossSettings()
        settings.lossType = lossType
        change(&settings)
        return settings
    }

    func testDeltaCapsTheSequenceRatioOfANegativeAdvantage() throws {
        let x: [Float] = [-1, -2, -0.5]
        let old = x.map { $0 - 0.5 }   // sequence ratio e^0.5 ≈ 1.6487
        let capped = try run(settings(.grpo) { $0.importanceSamplingLevel = .sequence; $0.delta = 1.5 },
                             logProbs: x, old: old, advantages: [-1], lengths: [3])
        // min(1.5·(−1), 1.2·(−1)) = −1.5: the loss is 1.5 and nothing flows back.
        XCTAssertEqual(capped.loss, 1.5, accuracy: 1e-6)
        XCTAssertEqual(capped.gradient, [0, 0, 0])
        let uncapped = try run(settings(.grpo) { $0.importanceSamplingLevel = .sequence },
                               logProbs: x, old: old, advantages: [-1], lengths: [3])
        let ratio = Foundation.exp(0.5)
        XCTAssertEqual(uncapped.loss, ratio, accuracy: 1e-6)
        for value in uncapped.gradient { XCTAssertEqual(value, ratio / 3, accuracy: 1e-6) }
        XCTAssertEqual(uncapped.metrics["clip_ratio/low_mean"], 0)
    }

    func testOffPolicyMaskDropsDriftedNegativeSequencesOnly() throws {
        let x: [Float] = [-1, -1, -2, -2]
        let sampler = x.map { $0 + 0.2 }
        let strict = try run(settings(.grpo) { $0.offPolicyMaskThreshold = 0.1 }, logProbs: x, sampler: sampler,
                             advantages: [-1, 1], lengths: [2, 2])
        XCTAssertEqual(strict.loss, -0.5, accuracy: 1e-6)
        XCTAssertEqual(strict.gradient[0 ..< 2], [0, 0])
        XCTAssertEqual(strict.gradient[2], -0.25, accuracy: 1e-7)
        let lenient = try run(settings(.grpo) { $0.offPolicyMaskThreshold = 0.3 }, logProbs: x, sampler: sampler,
                              advantages: [-1, 1], lengths: [2, 2])
        XCTAssertEqual(lenient.loss, 0, accuracy: 1e-7)
        XCTAssertEqual(lenient.gradient[0], 0.25, accuracy: 1e-7)
        // Without sampler log-probs the old ones are used: on-policy nothing drifts.
        let onPolicy = try run(settings(.grpo) { $0.offPolicyMaskThreshold = 0 }, logProbs: x,
                               advantages: [-1, 1], lengths: [2, 2])
        XCTAssertEqual(onPolicy.gradient[0], 0.25, accuracy: 1e-7)
    }

    func testSAPOUsesThePositiveAndNegativeTemperatures() throws {
        let result = try run(settings(.sapo) { $0.sapoTemperaturePos = 1; $0.sapoTemperatureNeg = 2 },
                             logProbs: [-1, -1, -1, -1, -1], advantages: [1, -1], lengths: [2, 3])
        // Ratio 1: σ(0)·4/τ·A per token → −2 and +1; mean over sequences of token means.
        XCTAssertEqual(result.loss, -0.5, accuracy: 1e-6)
        // d/dr = −4σ(1−σ)·A = −A whatever τ.
        XCTAssertEqual(result.gradient[0], -1.0 / 4, accuracy: 1e-7)
        XCTAssertEqual(result.gradient[4], 1.0 / 6, accuracy: 1e-7)
        XCTAssertNil(result.metrics["clip_ratio/low_mean"])
    }

    func testLUSPOSumsTokensThenAveragesSequences() throws {
        let result = try run(settings(.luspo), logProbs: [-1, -1, -1, -1, -1], advantages: [1, -2], lengths: [2, 3],
                             accumulation: 2)
        XCTAssertEqual(result.loss, (-2.0 + 6.0) / 2 / 2, accuracy: 1e-6)
        XCTAssertEqual(result.gradient[0], -1.0 / 4, accuracy: 1e-7)
        XCTAssertEqual(result.gradient[2], 2.0 / 4, accuracy: 1e-7)
    }

    func testDAPONormalisesByItemsPerProcessAndAccumulationWindow() throws {
        // 40 items over 2 processes, GA 2, 4 micro-batches per generation: divide by 40/2·2/4 = 10.
        let result = try run(settings(.dapo), logProbs: [-1, -1, -1, -0.5], advantages: [1], lengths: [4],
                             mask: [1, 1, 1, 0], itemsInBatch: 40, accumulation: 2, stepsPerGeneration: 4, processes: 2)
        XCTAssertEqual(result.loss, -0.3, accuracy: 1e-6)
        XCTAssertEqual(result.gradient, [-0.1, -0.1, -0.1, 0].map { Double(Float($0)) })
        let drGRPO = try run(settings(.drGRPO) { $0.maxCompletionLength = 5 }, logProbs: [-1, -1, -1, -0.5],
                             advantages: [1], lengths: [4], mask: [1, 1, 1, 0], accumulation: 2)
        XCTAssertEqual(drGRPO.loss, -3.0 / 5 / 2, accuracy: 1e-6)
        let bnpo = try run(settings(.bnpo), logProbs: [-1, -1, -1, -1], advantages: [1, -1], lengths: [1, 3])
        XCTAssertEqual(bnpo.loss, (-1.0 + 3.0) / 4, accuracy: 1e-6)
    }

    func testVESPOWeighsByTheDetachedGammaOfTheSequenceRatio() throws {
        let x: [Float] = [-1, -2]
        let onPolicy = try run(settings(.vespo), logProbs: x, advantages: [1], lengths: [2])
        // φ(1) = 1: loss −A·Σx / items.
        XCTAssertEqual(onPolicy.loss, 1.5, accuracy: 1e-6)
        XCTAssertEqual(onPolicy.gradient, [-0.5, -0.5])
        XCTAssertEqual(onPolicy.metrics["vespo/phi_seq_mean"] ?? .nan, 1, accuracy: 1e-12)
        let old = x.map { $0 - 0.15 }   // Σ log-ratio 0.3
        let shifted = try run(settings(.vespo), logProbs: x, old: old, advantages: [-1], lengths: [2])
        let phi = Foundation.exp(2 + 3 * 0.3 - 2 * Foundation.exp(0.3))   // k_neg 3, λ_neg 2
        XCTAssertEqual(shifted.metrics["vespo/phi_seq_mean"] ?? .nan, phi, accuracy: 1e-6)
        XCTAssertEqual(shifted.loss, phi * -3 / 2, accuracy: 1e-6)
        XCTAssertEqual(shifted.gradient[0], phi / 2, accuracy: 1e-6)
    }

    func testCISPOClipMetricAndDetachedClampedWeight() throws {
        let x: [Float] = [-1, -1]
        let result = try run(settings(.cispo) { $0.epsilonHigh = 1.2 }, logProbs: x, old: [-1.5, -1], advantages: [1],
                             lengths: [2])
        // Token 0: ratio e^0.5 > 1.2, clamped to 1.2; token 1: ratio 1.
        XCTAssertEqual(result.metrics["cispo_clip_ratio"], 0.5)
        XCTAssertEqual(result.gradient[0], -1.2 / 2, accuracy: 1e-6)
        XCTAssertEqual(result.gradient[1], -1.0 / 2, accuracy: 1e-6)
        XCTAssertEqual(result.loss, (1.2 + 1) / 2, accuracy: 1e-6)
    }

    func testKLTermAndMetric() throws {
        let x: [Float] = [-1, -2]
        let reference = x.map { $0 + 0.5 }
        let result = try run(settings(.bnpo) { $0.beta = 0.1 }, logProbs: x, reference: reference, advantages: [0],
                             lengths: [2])
        let k3 = Foundation.exp(0.5) - 0.5 - 1
        XCTAssertEqual(result.metrics["kl"] ?? .nan, k3, accuracy: 1e-6)
        XCTAssertEqual(result.loss, 0.1 * k3, accuracy: 1e-6)
        // d/dx [k3·r] at r = 1 on-policy: (1 − e^0.5) + k3.
        XCTAssertEqual(result.gradient[0], 0.1 * ((1 - Foundation.exp(0.5)) + k3) / 2, accuracy: 1e-6)
    }

    func testTopEntropyQuantileKeepsOnlyHighEntropyTokens() throws {
        let result = try run(settings(.grpo) { $0.topEntropyQuantile = 0.5 }, logProbs: [-1, -1, -1, -1],
                             entropies: [0, 1, 2, 3], advantages: [1], lengths: [4])
        // Threshold quantile([0, 1, 2, 3], 0.5) = 1.5.
        XCTAssertEqual(result.loss, -0.5, accuracy: 1e-6)
        XCTAssertEqual(result.gradient, [0, 0, -0.25, -0.25])
        XCTAssertEqual(result.metrics["entropy"] ?? .nan, 1.5, accuracy: 1e-7)
    }

    func testInvalidBatchesThrowTypedErrors() throws {
        let x: [Float] = [-1, -1, -1]
        func error(_ body: () throws -> Void) -> GRPOLossError? {
            do { try body(); return nil } catch { return error as? GRPOLossError }
        }
        XCTAssertEqual(error { _ = try run(settings(.grpo), logProbs: x, advantages: [1], lengths: [2]) },
                       .lengthsDoNotMatchSlots(sum: 2, slots: 3))
        XCTAssertEqual(error { _ = try run(settings(.grpo) { $0.beta = 0.1 }, logProbs: x, advantages: [1], lengths: [3]) },
                       .missingReferenceLogProbs)
        guard case .nonFiniteAdvantage(sequence: 0, _)? = error({ _ = try run(settings(.grpo), logProbs: x,
                                                                              advantages: [.nan], lengths: [3]) }) else {
            return XCTFail("a NaN advantage must be rejected")
        }
        XCTAssertEqual(error { _ = try run(settings(.grpo), logProbs: x, old: [-1], advantages: [1], lengths: [3]) },
                       .countMismatch(field: "oldLogProbs", count: 1, expected: 3))
        XCTAssertEqual(error { _ = try run(settings(.grpo), logProbs: x, advantages: [1], lengths: [3], mask: [1, 0.5, 1]) },
                       .invalidMask(slot: 1, value: 0.5))
        XCTAssertEqual(error { _ = try run(settings(.grpo) { $0.topEntropyQuantile = 0.2 }, logProbs: x, advantages: [1],
                                           lengths: [3]) }, .missingEntropies)
        XCTAssertEqual(error { _ = try run(settings(.grpo), logProbs: x, advantages: [1, 2], lengths: [3]) },
                       .countMismatch(field: "advantages", count: 2, expected: 1))
        XCTAssertEqual(error { _ = try run(settings(.grpo) { $0.epsilon = -1 }, logProbs: x, advantages: [1], lengths: [3]) },
                       .invalidSetting(name: "epsilon", value: "-1.0", expected: "a finite number ≥ 0"))
    }

    func testSettingsDecodeWithDefaultsForMissingKeys() throws {
        let decoded = try JSONDecoder().decode(GRPOLossSettings.self,
                                               from: Data(#"{"lossType": "dr_grpo", "epsilonHigh": 0.28}"#.utf8))
        var expected = GRPOLossSettings()
        expected.lossType = .drGRPO
        expected.epsilonHigh = 0.28
        XCTAssertEqual(decoded, expected)
        XCTAssertEqual(try JSONDecoder().decode(GRPOLossSettings.self, from: JSONEncoder().encode(expected)), expected)
    }
}
