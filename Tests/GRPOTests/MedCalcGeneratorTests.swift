import Foundation
import GRPO
import Tensor
import XCTest

final class MedCalcGeneratorTests: XCTestCase {
    func testRowsHaveEveryColumnAndCycleThroughCalculators() throws {
        let calculators = Dataset.medcalcCalculators
        XCTAssertGreaterThanOrEqual(Set(calculators.map(\.name)).count, 10)
        let data = Dataset.medcalc(count: 2 * calculators.count, seed: 1)
        XCTAssertEqual(data.count, 2 * calculators.count)
        XCTAssertEqual(data.columns, ["calculator", "note", "question", "answer", "unit", "tolerance"])
        for (index, row) in data.rows.enumerated() {
            XCTAssertEqual(row["calculator"].stringValue, calculators[index % calculators.count].name)
            XCTAssertGreaterThan(row["note"].text.count, 60, row["note"].text)
            XCTAssertTrue(row["question"].text.hasSuffix("?"))
            let answer = try XCTUnwrap(row["answer"].doubleValue)
            XCTAssertTrue(answer.isFinite)
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(row["tolerance"].doubleValue), 0)
        }
        if ProcessInfo.processInfo.environment["SHOW_MEDCALC"] != nil {
            for row in data.rows { print(row["calculator"].text, "|", row["note"].text, "|", row["question"].text, "=>", row["answer"].text, row["unit"].text, "±", row["tolerance"].text, "\n") }
        }
    }

    func testSameSeedSameProblemsOtherSeedOthers() {
        XCTAssertEqual(Dataset.medcalc(count: 40, seed: 9), Dataset.medcalc(count: 40, seed: 9))
        XCTAssertNotEqual(Dataset.medcalc(count: 40, seed: 9), Dataset.medcalc(count: 40, seed: 10))
    }

    /// Every note states the values the answer was computed from: re-deriving BMI from the
    /// numbers in the note must give the stored answer.
    func testNotesStateTheInputs() throws {
        let data = Dataset.medcalc(count: 200, seed: 3, calculators: [BodyMassIndex()])
        for row in data.rows {
            let note = row["note"].text
            let weight = try XCTUnwrap(Self.number(before: " kg", in: note))
            let height = try XCTUnwrap(Self.number(before: " cm", in: note))
            XCTAssertEqual(BodyMassIndex().compute(.init(weightKg: weight, heightCm: height)), row["answer"].doubleValue ?? .nan, accuracy: 1e-4)
        }
    }

    func testToleranceAcceptsNearbyAnswers() {
        var generator = RandomStream(seed: 5)
        let problem = CockcroftGault().problem(using: &generator)
        XCTAssertEqual(problem.tolerance, 0.02 * problem.answer, accuracy: 1e-3)
        XCTAssertTrue(problem.accepts(problem.answer * 1.015))
        XCTAssertFalse(problem.accepts(problem.answer * 1.03))
        let score = CHA2DS2VASc().problem(using: &generator)
        XCTAssertTrue(score.accepts(score.answer))
        XCTAssertFalse(score.accepts(score.answer + 1))
    }

    static func number(before suffix: String, in text: String) -> Double? {
        guard let range = text.range(of: suffix) else { return nil }
        let digits = text[..<range.lowerBound].reversed().prefix { $0.isNumber || $0 == "." }
        return Double(String(digits.reversed()))
    }
}
