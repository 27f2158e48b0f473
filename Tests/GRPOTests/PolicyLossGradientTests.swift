import Foundation
import GRPO
import Tensor
import XCTest

/// `policyLoss`'s hand-derived backward against central finite differences of its forward, for
/// every loss type at both importance-sampling levels, with KL, delta and off-policy masking on.
final class PolicyLossGradientTests: XCTestCase {
    /// A fixed pseudo-random packed batch: 4 sequences of 5, 3, 6 and 4 slots, some masked.
    struct RandomBatch {
        var logProbs: [Float] = [], old: [Float] = [], reference: [Float] = [], sampler: [Float] = []
        var entropies: [Float] = [], mask: [Float] = []
        let lengths = [5, 3, 6, 4]
        let advantages: [Float] = [0.9, -1.2, 0.4, -0.3]

        init(seed: UInt64) {
            var state = seed
            func uniform() -> Float {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(state >> 40) / Float(1 << 24)
            }
            let slots = lengths.reduce(0, +)
            for slot in 0..<slots {
                let x = -0.1 - 2.5 * uniform()
                logProbs.append(x)
                old.append(x + 0.6 * (uniform() - 0.5))
                reference.append(x + 0.8 * (uniform() - 0.5))
                sampler.append(x + 0.4 * uniform())
                entropies.append(3 * uniform())
                mask.append(slot == 4 || slot == 12 || slot == 13 ? 0 : 1)
            }
        }

        func batch(_ logProbs: Tensor, onPolicy: Bool = false) -> PolicyLossBatch {
            PolicyLossBatch(logProbs: logProbs, oldLogProbs: onPolicy ? nil : old, referenceLogProbs: reference,
                            samplerLogProbs: sampler, entropies: entropies, advantages: advantages,
                            lengths: lengths, mask: mask, itemsInBatch: 40, gradientAccumulationSteps: 2,
                            stepsPerGeneration: 4)
        }
    }

    /// The loss at `values`. For cispo and vespo, whose ratio weights are detached (stop-gradient),
    /// the old log-probs move with `values` so that those weights stay what they were at the centre.
    func lossValue(_ values: [Float], _ random: RandomBatch, _ settings: GRPOLossSettings) throws -> Double {
        let tensor = Tensor(shape: [values.count], scalars: values)
        var random = random
        if [.cispo, .vespo].contains(settings.lossType) {
            random.old = zip(random.old, zip(values, random.logProbs)).map { $0 + ($1.0 - $1.1) }
        }
        return Double(try policyLoss(random.batch(tensor), settings: settings).loss.scalar)
    }

    /// Checks every active slot whose two one-sided differences agree (a kink of min/clip lies
    /// between them otherwise); returns how many slots were checked.
    @discardableResult
    func checkGradient(_ settings: GRPOLossSettings, seed: UInt64 = 7, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let random = RandomBatch(seed: seed)
        let parameter = Tensor(shape: [random.logProbs.count], scalars: random.logProbs)
        parameter.requiresGrad = true
        try policyLoss(random.batch(parameter), settings: settings).loss.backward()
        let analytic = try XCTUnwrap(parameter.grad?.scalars)
        let centre = try lossValue(random.logProbs, random, settings)
        var checked = 0
        for slot in random.logProbs.indices {
            if random.mask[slot] == 0 { XCTAssertEqual(analytic[slot], 0, file: file, line: line); continue }
            var up = random.logProbs, down = random.logProbs
            up[slot] += 4e-3
            down[slot] -= 4e-3
            let upStep = Double(up[slot] - random.logProbs[slot]), downStep = Double(random.logProbs[slot] - down[slot])
            let forward = (try lossValue(up, random, settings) - centre) / upStep
            let backward = (centre - (try lossValue(down, random, settings))) / downStep
            if abs(forward - backward) > 1e-4 + 0.02 * max(abs(forward), abs(backward)) { continue }
            let central = (forward * upStep + backward * downStep) / (upStep + downStep)
            XCTAssertEqual(Double(analytic[slot]), central, accuracy: 1e-4 + 1e-2 * abs(central),
                           "\(settings.lossType) \(settings.importanceSamplingLevel) slot \(slot)", file: file, line: line)
            checked += 1
        }
        return checked
    }

    func testGradientMatchesFiniteDifferencesForEveryLossType() throws {
        for lossType in GRPOLossType.allCases {
            for level in ImportanceSamplingLevel.allCases {
                var settings = GRPOLossSettings()
                settings.lossType = lossType
                settings.importanceSamplingLevel = level
                // The KL term's ratio is differentiable, which a detached-weight check cannot hold fixed.
                settings.beta = [.cispo, .vespo].contains(lossType) ? 0 : 0.05
                settings.epsilonHigh = lossType == .cispo ? 1.1 : 0.28
                settings.maxCompletionLength = 8
                settings.vespoLambdaNeg = 1.5
                let checked = try checkGradient(settings)
                XCTAssertGreaterThan(checked, 8, "\(lossType) \(level): too few differentiable slots checked")
            }
        }
    }

    func testGradientWithDeltaOffPolicyMaskEntropyMaskAndNoBiasCorrection() throws {
        var settings = GRPOLossSettings()
        settings.delta = 1.15
        settings.offPolicyMaskThreshold = 0.1
        settings.topEntropyQuantile = 0.6
        settings.useBiasCorrectionKL = false
        settings.beta = 0.1
        for lossType: GRPOLossType in [.grpo, .dapo, .sapo, .luspo] {
            for level in ImportanceSamplingLevel.allCases {
                settings.lossType = lossType
                settings.importanceSamplingLevel = level
                XCTAssertGreaterThan(try checkGradient(settings, seed: 11), 4)
            }
        }
    }

    func testOnPolicyGradientIsAdvantageOverLengthForGRPO() throws {
        let random = RandomBatch(seed: 3)
        let parameter = Tensor(shape: [random.logProbs.count], scalars: random.logProbs)
        parameter.requiresGrad = true
        var settings = GRPOLossSettings()
        settings.lossType = .grpo
        let result = try policyLoss(random.batch(parameter, onPolicy: true), settings: settings)
        // Ratio 1 everywhere: the loss is −mean_b(A_b) / GA and the gradient −A_b / (B·|b|·GA).
        let meanAdvantage = random.advantages.map(Double.init).reduce(0, +) / 4
        XCTAssertEqual(Double(result.loss.scalar), -meanAdvantage / 2, accuracy: 1e-7)
        result.loss.backward()
        let gradient = try XCTUnwrap(parameter.grad?.scalars)
        var start = 0
        for (sequence, length) in random.lengths.enumerated() {
            let active = random.mask[start ..< start + length].reduce(0, +)
            for slot in start ..< start + length where random.mask[slot] == 1 {
                XCTAssertEqual(gradient[slot], -random.advantages[sequence] / (4 * active * 2), accuracy: 1e-7)
            }
            start += length
        }
        XCTAssertEqual(result.metrics["clip_ratio/region_mean"], 0)
    }

    func testNoGradientIsRecordedOutsideTraining() throws {
        let random = RandomBatch(seed: 5)
        let values = Tensor(shape: [random.logProbs.count], scalars: random.logProbs)
        let result = try policyLoss(random.batch(values), settings: GRPOLossSettings())
        XCTAssertFalse(result.loss.requiresGrad)
        let parameter = Tensor(shape: [random.logProbs.count], scalars: random.logProbs)
        parameter.requiresGrad = true
        let frozen = try Autograd.noGrad { try policyLoss(random.batch(parameter), settings: GRPOLossSettings()) }
        XCTAssertFalse(frozen.loss.requiresGrad)
        XCTAssertEqual(frozen.loss.scalar, result.loss.scalar)
    }
}
