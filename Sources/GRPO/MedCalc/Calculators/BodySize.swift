import Foundation
import Tensor

/// Body mass index: weight (kg) / height (m)².
public struct BodyMassIndex: MedicalCalculator {
    public struct Inputs: Sendable {
        public var weightKg: Double
        public var heightCm: Double
        public init(weightKg: Double, heightCm: Double) { self.weightKg = weightKg; self.heightCm = heightCm }
    }

    public init() {}
    public var name: String { "Body mass index (BMI)" }
    public var unit: String { "kg/m²" }
    public var tolerance: AnswerTolerance { .absolute(0.1) }
    public var question: String { "What is the patient's body mass index in kg/m²?" }

    public func compute(_ inputs: Inputs) -> Double {
        let meters = inputs.heightCm / 100
        return inputs.weightKg / (meters * meters)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        let height = Double(generator.int(in: 150...198))
        return Inputs(weightKg: generator.weight(forHeightCm: height), heightCm: height)
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        return PatientNote.opening(age: generator.int(in: 19...80), sex: sex, using: &generator,
                                   reasons: ["for a weight-management consultation", "for an annual physical examination", "with knee pain"])
            + " \(sex.pronoun) weighs \(Int(inputs.weightKg)) kg and is \(Int(inputs.heightCm)) cm tall. "
            + "Blood pressure is \(generator.int(in: 110...150))/\(generator.int(in: 65...95)) mmHg. "
            + PatientNote.distractors(using: &generator)
    }
}

/// Body surface area by Mosteller: √(height (cm) × weight (kg) / 3600).
public struct BodySurfaceArea: MedicalCalculator {
    public struct Inputs: Sendable {
        public var weightKg: Double
        public var heightCm: Double
        public init(weightKg: Double, heightCm: Double) { self.weightKg = weightKg; self.heightCm = heightCm }
    }

    public init() {}
    public var name: String { "Body surface area (Mosteller)" }
    public var unit: String { "m²" }
    public var tolerance: AnswerTolerance { .absolute(0.02) }
    public var question: String { "Using the Mosteller formula, what is the patient's body surface area in m²?" }

    public func compute(_ inputs: Inputs) -> Double {
        (inputs.heightCm * inputs.weightKg / 3600).squareRoot()
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        let height = Double(generator.int(in: 150...198))
        return Inputs(weightKg: generator.weight(forHeightCm: height), heightCm: height)
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        return PatientNote.opening(age: generator.int(in: 25...78), sex: sex, using: &generator,
                                   reasons: ["before starting chemotherapy", "for dosing of a new oncology regimen", "for a cardiac index assessment"])
            + " Height is \(Int(inputs.heightCm)) cm and weight is \(Int(inputs.weightKg)) kg. "
            + PatientNote.distractors(using: &generator)
    }
}

/// Ideal body weight by Devine: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 5 feet.
public struct IdealBodyWeight: MedicalCalculator {
    public struct Inputs: Sendable {
        public var sex: Sex
        public var heightCm: Double
        public init(sex: Sex, heightCm: Double) { self.sex = sex; self.heightCm = heightCm }
    }

    public init() {}
    public var name: String { "Ideal body weight (Devine)" }
    public var unit: String { "kg" }
    public var tolerance: AnswerTolerance { .absolute(0.5) }
    public var question: String { "Using the Devine formula, what is the patient's ideal body weight in kg?" }

    public func compute(_ inputs: Inputs) -> Double {
        let base = inputs.sex == .male ? 50.0 : 45.5
        return base + 2.3 * (inputs.heightCm / 2.54 - 60)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        let sex = generator.pick(Sex.allCases)
        let height = sex == .male ? generator.int(in: 160...198) : generator.int(in: 153...185)
        return Inputs(sex: sex, heightCm: Double(height))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        PatientNote.opening(age: generator.int(in: 25...85), sex: inputs.sex, using: &generator,
                            reasons: ["with acute respiratory failure and is intubated", "with pneumonia needing weight-based aminoglycoside dosing", "after a cardiac arrest and is ventilated"])
            + " \(inputs.sex.possessive) height is \(Int(inputs.heightCm)) cm and actual weight is \(Int(generator.weight(forHeightCm: inputs.heightCm))) kg. "
            + PatientNote.distractors(using: &generator)
    }
}
