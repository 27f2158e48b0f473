import Foundation
import Tensor

/// Creatinine clearance by Cockcroft-Gault: (140 − age) × weight / (72 × creatinine), × 0.85 for women.
public struct CockcroftGault: MedicalCalculator {
    public struct Inputs: Sendable {
        public var age: Int
        public var weightKg: Double
        public var creatinine: Double
        public var sex: Sex
        public init(age: Int, weightKg: Double, creatinine: Double, sex: Sex) {
            self.age = age; self.weightKg = weightKg; self.creatinine = creatinine; self.sex = sex
        }
    }

    public init() {}
    public var name: String { "Creatinine clearance (Cockcroft-Gault)" }
    public var unit: String { "mL/min" }
    public var tolerance: AnswerTolerance { .relative(0.02) }
    public var question: String { "Using the Cockcroft-Gault equation with actual body weight, what is the patient's creatinine clearance in mL/min?" }

    public func compute(_ inputs: Inputs) -> Double {
        let clearance = Double(140 - inputs.age) * inputs.weightKg / (72 * inputs.creatinine)
        return inputs.sex == .female ? clearance * 0.85 : clearance
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(age: generator.int(in: 20...92), weightKg: Double(generator.int(in: 45...120)),
               creatinine: generator.value(in: 0.5...4.0, step: 0.1), sex: generator.pick(Sex.allCases))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        PatientNote.opening(age: inputs.age, sex: inputs.sex, using: &generator,
                            reasons: ["before starting enoxaparin", "with a urinary tract infection needing antibiotic dosing", "for review of medication doses"])
            + " \(inputs.sex.pronoun) weighs \(Int(inputs.weightKg)) kg. "
            + "Serum creatinine is \(PatientNote.format(inputs.creatinine, 1)) mg/dL and BUN is \(generator.int(in: 8...60)) mg/dL. "
            + PatientNote.distractors(using: &generator)
    }
}

/// eGFR by the race-free CKD-EPI 2021 creatinine equation:
/// 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 (women),
/// κ = 0.7 (women) / 0.9 (men), α = −0.241 (women) / −0.302 (men).
public struct CKDEPI2021: MedicalCalculator {
    public struct Inputs: Sendable {
        public var age: Int
        public var creatinine: Double
        public var sex: Sex
        public init(age: Int, creatinine: Double, sex: Sex) { self.age = age; self.creatinine = creatinine; self.sex = sex }
    }

    public init() {}
    public var name: String { "eGFR (CKD-EPI 2021 creatinine)" }
    public var unit: String { "mL/min/1.73m²" }
    public var tolerance: AnswerTolerance { .relative(0.02) }
    public var question: String { "Using the 2021 race-free CKD-EPI creatinine equation, what is the patient's eGFR in mL/min/1.73 m²?" }

    public func compute(_ inputs: Inputs) -> Double {
        let female = inputs.sex == .female
        let kappa = female ? 0.7 : 0.9
        let alpha = female ? -0.241 : -0.302
        let ratio = inputs.creatinine / kappa
        return 142 * pow(min(ratio, 1), alpha) * pow(max(ratio, 1), -1.200)
            * pow(0.9938, Double(inputs.age)) * (female ? 1.012 : 1)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(age: generator.int(in: 18...90), creatinine: generator.value(in: 0.4...5.0, step: 0.1), sex: generator.pick(Sex.allCases))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        PatientNote.opening(age: inputs.age, sex: inputs.sex, using: &generator,
                            reasons: ["for chronic kidney disease follow-up", "for routine laboratory monitoring of hypertension and diabetes", "before a contrast-enhanced CT scan"])
            + " Serum creatinine is \(PatientNote.format(inputs.creatinine, 1)) mg/dL. Urine albumin-to-creatinine ratio is "
            + "\(generator.int(in: 5...600)) mg/g. "
            + PatientNote.distractors(using: &generator)
    }
}
