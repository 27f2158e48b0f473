import Tensor

/// A standard clinical formula or score that can both compute its result and write
/// verifiable practice problems (a patient note, a question, the exact answer).
///
/// `compute` is pure; `randomInputs` and `note` draw only from the generator they are given,
/// so the same seed always writes the same problems.
public protocol MedicalCalculator: Sendable {
    /// The values the formula needs.
    associatedtype Inputs

    /// The calculator's usual name, e.g. "Mean arterial pressure".
    var name: String { get }
    /// The unit of the result ("" for point scores).
    var unit: String { get }
    /// How far an answer may be from the exact result and still count as correct.
    var tolerance: AnswerTolerance { get }
    /// The question asked after the note.
    var question: String { get }

    /// The exact result of the formula.
    func compute(_ inputs: Inputs) -> Double
    /// Realistic inputs, already rounded to the precision the note states them with.
    func randomInputs(using generator: inout RandomStream) -> Inputs
    /// A natural-language patient note stating every input (and some irrelevant findings).
    func note(for inputs: Inputs, using generator: inout RandomStream) -> String
}

extension MedicalCalculator {
    /// A new random problem for this calculator.
    public func problem(using generator: inout RandomStream) -> MedCalcProblem {
        let inputs = randomInputs(using: &generator)
        let answer = compute(inputs)
        // Four decimals keep the exact value readable (22.8571, not 22.857142857142858).
        func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
        return MedCalcProblem(calculator: name, note: note(for: inputs, using: &generator), question: question,
                              answer: rounded(answer), unit: unit, tolerance: rounded(tolerance.allowedError(for: answer)))
    }
}

/// How close an answer must be: a fixed amount, or a fraction of the exact result.
public enum AnswerTolerance: Equatable, Sendable {
    case absolute(Double)
    case relative(Double)

    /// The largest allowed distance from `answer`.
    public func allowedError(for answer: Double) -> Double {
        switch self {
        case .absolute(let amount): return amount
        case .relative(let fraction): return fraction * abs(answer)
        }
    }
}

/// One generated problem: a note and a question whose answer is known exactly.
public struct MedCalcProblem: Equatable, Sendable {
    public var calculator: String
    public var note: String
    public var question: String
    /// The exact result of the formula for the values in the note.
    public var answer: Double
    public var unit: String
    /// The largest absolute distance from `answer` that still counts as correct.
    public var tolerance: Double

    public init(calculator: String, note: String, question: String, answer: Double, unit: String, tolerance: Double) {
        self.calculator = calculator
        self.note = note
        self.question = question
        self.answer = answer
        self.unit = unit
        self.tolerance = tolerance
    }

    /// True when `value` is within the tolerance of the exact answer.
    public func accepts(_ value: Double) -> Bool {
        abs(value - answer) <= tolerance + 1e-9 * max(1, abs(answer))
    }

    /// The problem as a dataset row with columns calculator, note, question, answer, unit, tolerance.
    public var row: DatasetRow {
        ["calculator": .string(calculator), "note": .string(note), "question": .string(question),
         "answer": .double(answer), "unit": .string(unit), "tolerance": .double(tolerance)]
    }
}

/// Sex as the formulas use it.
public enum Sex: String, Sendable, CaseIterable {
    case male, female

    var noun: String { self == .male ? "man" : "woman" }
    var pronoun: String { self == .male ? "He" : "She" }
    var possessive: String { self == .male ? "His" : "Her" }
}
