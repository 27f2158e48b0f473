import Foundation
import GRPO
import Runtime
import XCTest

/// `GRPOConfig(...)` and `LoRAConfig(...)` in cells: labels in any order, checks on set, "did you
/// mean" for unknown fields, defaults in inspect and completion. No model needed.
final class PreludeTrainingConfigTests: XCTestCase {
    func testFieldsAreSetByLabelInAnyOrder() {
        let t = TestSession()
        XCTAssertNil(t.run("var config = GRPOConfig(maxSteps: 3, beta: 0.04, learningRate: 5e-6, numGenerations: 4)").error)
        XCTAssertEqual(t.run("print(config.maxSteps, config.beta, config.learningRate, config.numGenerations, config.epsilon)").stdout,
                       "3 0.04 5e-06 4 0.2\n")
        // Declaration order still binds, and so does a mix with enum members and TRL strings.
        XCTAssertEqual(t.run(#"print(GRPOConfig(lossType: .drGRPO, scaleRewards: "none").lossType)"#).stdout, "dr_grpo\n")
        XCTAssertEqual(t.run(#"print(LoRAConfig(alpha: 32, rank: 8).alpha, LoRAConfig(alpha: 32, rank: 8).rank)"#).stdout, "32.0 8\n")
    }

    func testAnyLabelOrderIsGeneralForNativeCallsAndPositionalArgumentsStillWork() {
        let t = TestSession()
        XCTAssertNil(t.run(#"let r = Reward.numericTolerance(column: "x", atol: 0.5)"#).error)
        XCTAssertEqual(t.run(#"print("a-b-c".replacingOccurrences(of: "-", with: "+"))"#).stdout, "a+b+c\n")
        XCTAssertEqual(t.run(#"print(1, 2, separator: ", ", terminator: "!\n")"#).stdout, "1, 2!\n")
    }

    func testAssignmentChecksTheFieldAndNamesWhatItAccepts() {
        let t = TestSession()
        XCTAssertNil(t.run("var config = GRPOConfig()").error)
        XCTAssertNil(t.run("config.beta = 0.04").error)
        XCTAssertEqual(t.run("print(config.beta)").stdout, "0.04\n")

        let negative = t.run("config.beta = -1")
        XCTAssertEqual(negative.error?.message.contains("beta is -1.0; the KL coefficient must be ≥ 0."), true, "\(String(describing: negative.error))")
        XCTAssertEqual(t.run("print(config.beta)").stdout, "0.04\n", "a rejected value leaves the field as it was")

        let wrongType = t.run(#"config.numGenerations = "four""#)
        XCTAssertEqual(wrongType.error?.message.contains("numGenerations must be an Int, got String"), true, "\(String(describing: wrongType.error))")

        let choice = t.run(#"config.lossType = "dapoo""#)
        let message = choice.error?.message ?? ""
        XCTAssertTrue(message.contains(#"lossType "dapoo" is not allowed (did you mean "dapo"?)"#), message)
        XCTAssertTrue(message.contains(#""grpo", "bnpo", "dr_grpo", "dapo""#), message)

        let range = t.run("config.topP = 1.5")
        XCTAssertEqual(range.error?.message.contains("topP is 1.5; use a value in (0, 1]."), true, "\(String(describing: range.error))")

        let lora = t.run("let lora = LoRAConfig(dropout: 1.5)")
        XCTAssertEqual(lora.error?.message.contains("dropout must be in [0, 1), got 1.5"), true, "\(String(describing: lora.error))")
    }

    func testUnknownFieldsSuggestTheClosestName() {
        let t = TestSession()
        XCTAssertNil(t.run("var config = GRPOConfig()").error)
        let member = t.run("config.betaa = 0.1")
        XCTAssertEqual(member.error?.message.contains("has no member 'betaa'; did you mean 'beta'?"), true, "\(String(describing: member.error))")
        let read = t.run("print(config.numGeneration)")
        XCTAssertEqual(read.error?.message.contains("did you mean 'numGenerations'?"), true, "\(String(describing: read.error))")
        let label = t.run("let c = GRPOConfig(learningRat: 1e-5)")
        XCTAssertEqual(label.error?.message.contains("no parameter 'learningRat'; did you mean 'learningRate'?"), true,
                       "\(String(describing: label.error))")
    }

    func testConfigsHaveValueSemantics() {
        let t = TestSession()
        XCTAssertNil(t.run("let a = GRPOConfig(numGenerations: 4)\nvar b = a\nb.beta = 0.04\nb.numGenerations = 2").error)
        XCTAssertEqual(t.run("print(a.beta, a.numGenerations, b.beta, b.numGenerations)").stdout, "0.0 4 0.04 2\n")
        XCTAssertTrue(t.run("b").result?.contains("* beta") == true, "the display marks changed fields")
        XCTAssertEqual(t.run("print(b)").stdout, "GRPOConfig(numGenerations: 2, beta: 0.04)\n")
    }

    func testTheWholeConfigIsCheckedWhenItIsMade() {
        let t = TestSession()
        let outcome = t.run("let c = GRPOConfig(numGenerations: 3)")
        XCTAssertEqual(outcome.error?.message.contains("is not a multiple of numGenerations 3"), true, "\(String(describing: outcome.error))")
    }

    func testEveryLibraryFieldIsAvailable() {
        let t = TestSession()
        let printed = t.run(#"print(GRPOConfig.fieldNames.sorted().joined(separator: ","))"#).stdout
        XCTAssertEqual(printed, GRPOConfig.fieldNames.sorted().joined(separator: ",") + "\n")
    }

    func testInspectAndCompletionShowDefaults() {
        let t = TestSession()
        let code = "GRPOConfig(bet"
        let inspected = t.session.inspect(code, cursor: 10)?.plainText ?? ""
        XCTAssertTrue(inspected.contains("beta: Double = 0.0"), inspected)
        XCTAssertTrue(inspected.contains("numGenerations: Int = 8"), inspected)
        let completion = t.session.complete(code, cursor: code.unicodeScalars.count)
        let index = completion.matches.firstIndex(of: "beta:")
        XCTAssertNotNil(index, "\(completion.matches)")
        XCTAssertEqual(index.map { completion.signatures[$0] }, "beta: Double = 0.0")
        XCTAssertNil(t.run("let cfg = GRPOConfig()").error)
        let member = t.session.inspect("cfg.temperature", cursor: 8)?.plainText ?? ""
        XCTAssertTrue(member.contains("Default: 1.0"), member)
    }
}
