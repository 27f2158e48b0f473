import Foundation
import Tensor

/// Serum anion gap: Na − (Cl + HCO₃) (the variant with potassium adds K).
public struct AnionGap: MedicalCalculator {
    public struct Inputs: Sendable {
        public var sodium: Double
        public var chloride: Double
        public var bicarbonate: Double
        public var potassium: Double
        public init(sodium: Double, chloride: Double, bicarbonate: Double, potassium: Double = 4.0) {
            self.sodium = sodium; self.chloride = chloride; self.bicarbonate = bicarbonate; self.potassium = potassium
        }
    }

    /// Whether the gap adds potassium: (Na + K) − (Cl + HCO₃).
    public var includesPotassium: Bool

    public init(includesPotassium: Bool = false) { self.includesPotassium = includesPotassium }
    public var name: String { includesPotassium ? "Anion gap (with potassium)" : "Anion gap" }
    public var unit: String { "mEq/L" }
    public var tolerance: AnswerTolerance { .absolute(0.5) }
    public var question: String {
        includesPotassium
            ? "Including potassium, what is the patient's serum anion gap in mEq/L?"
            : "What is the patient's serum anion gap in mEq/L (without potassium)?"
    }

    public func compute(_ inputs: Inputs) -> Double {
        inputs.sodium + (includesPotassium ? inputs.potassium : 0) - (inputs.chloride + inputs.bicarbonate)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        let sodium = generator.int(in: 125...150)
        let bicarbonate = generator.int(in: 6...30)
        let gap = generator.int(in: 6...30)
        return Inputs(sodium: Double(sodium), chloride: Double(sodium - bicarbonate - gap), bicarbonate: Double(bicarbonate),
                      potassium: generator.value(in: 3.0...6.0, step: 0.1))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        return PatientNote.opening(age: generator.int(in: 18...85), sex: sex, using: &generator,
                                   reasons: ["with vomiting and abdominal pain", "with polyuria and lethargy", "after an intentional ingestion", "with three days of diarrhea"])
            + " Laboratory results: sodium \(Int(inputs.sodium)) mEq/L, potassium \(PatientNote.format(inputs.potassium, 1)) mEq/L, "
            + "chloride \(Int(inputs.chloride)) mEq/L, bicarbonate \(Int(inputs.bicarbonate)) mEq/L, BUN \(generator.int(in: 8...45)) mg/dL, "
            + "creatinine \(PatientNote.format(generator.value(in: 0.6...2.5, step: 0.1), 1)) mg/dL. "
            + PatientNote.distractors(using: &generator)
    }
}

/// Albumin-corrected calcium: Ca + 0.8 × (4.0 − albumin), in mg/dL with albumin in g/dL.
public struct CorrectedCalcium: MedicalCalculator {
    public struct Inputs: Sendable {
        public var calcium: Double
        public var albumin: Double
        public init(calcium: Double, albumin: Double) { self.calcium = calcium; self.albumin = albumin }
    }

    public init() {}
    public var name: String { "Calcium corrected for albumin" }
    public var unit: String { "mg/dL" }
    public var tolerance: AnswerTolerance { .absolute(0.1) }
    public var question: String { "Using a normal albumin of 4.0 g/dL, what is the patient's albumin-corrected calcium in mg/dL?" }

    public func compute(_ inputs: Inputs) -> Double {
        inputs.calcium + 0.8 * (4.0 - inputs.albumin)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(calcium: generator.value(in: 6.5...12.0, step: 0.1), albumin: generator.value(in: 1.5...4.8, step: 0.1))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        return PatientNote.opening(age: generator.int(in: 30...88), sex: sex, using: &generator,
                                   reasons: ["with fatigue and weight loss", "with cirrhosis and ascites", "with perioral tingling", "with nephrotic syndrome"])
            + " Serum calcium is \(PatientNote.format(inputs.calcium, 1)) mg/dL and albumin is \(PatientNote.format(inputs.albumin, 1)) g/dL. "
            + "Phosphate is \(PatientNote.format(generator.value(in: 2.5...5.0, step: 0.1), 1)) mg/dL. "
            + PatientNote.distractors(using: &generator)
    }
}

/// Calculated serum osmolality: 2 × Na + BUN / 2.8 + glucose / 18 (BUN and glucose in mg/dL).
public struct SerumOsmolality: MedicalCalculator {
    public struct Inputs: Sendable {
        public var sodium: Double
        public var bun: Double
        public var glucose: Double
        public init(sodium: Double, bun: Double, glucose: Double) { self.sodium = sodium; self.bun = bun; self.glucose = glucose }
    }

    public init() {}
    public var name: String { "Calculated serum osmolality" }
    public var unit: String { "mOsm/kg" }
    public var tolerance: AnswerTolerance { .absolute(1) }
    public var question: String { "Using 2 × Na + BUN/2.8 + glucose/18, what is the patient's calculated serum osmolality in mOsm/kg?" }

    public func compute(_ inputs: Inputs) -> Double {
        2 * inputs.sodium + inputs.bun / 2.8 + inputs.glucose / 18
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(sodium: Double(generator.int(in: 120...160)), bun: Double(generator.int(in: 6...90)), glucose: Double(generator.int(in: 60...900)))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        return PatientNote.opening(age: generator.int(in: 18...90), sex: sex, using: &generator,
                                   reasons: ["with confusion", "with suspected toxic alcohol ingestion", "with poorly controlled diabetes", "with dehydration"])
            + " Labs show sodium \(Int(inputs.sodium)) mEq/L, potassium \(PatientNote.format(generator.value(in: 3.3...5.5, step: 0.1), 1)) mEq/L, "
            + "BUN \(Int(inputs.bun)) mg/dL and glucose \(Int(inputs.glucose)) mg/dL. "
            + PatientNote.distractors(using: &generator)
    }
}

/// Sodium corrected for hyperglycemia (Katz): Na + 0.016 × (glucose − 100), glucose in mg/dL.
public struct CorrectedSodium: MedicalCalculator {
    public struct Inputs: Sendable {
        public var sodium: Double
        public var glucose: Double
        public init(sodium: Double, glucose: Double) { self.sodium = sodium; self.glucose = glucose }
    }

    public init() {}
    public var name: String { "Sodium corrected for hyperglycemia (Katz)" }
    public var unit: String { "mEq/L" }
    public var tolerance: AnswerTolerance { .absolute(0.3) }
    public var question: String { "Using the Katz correction (1.6 mEq/L per 100 mg/dL of glucose above 100), what is the patient's corrected sodium in mEq/L?" }

    public func compute(_ inputs: Inputs) -> Double {
        inputs.sodium + 0.016 * (inputs.glucose - 100)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(sodium: Double(generator.int(in: 118...145)), glucose: Double(generator.int(in: 150...1200)))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        return PatientNote.opening(age: generator.int(in: 18...80), sex: sex, using: &generator,
                                   reasons: ["with polyuria, polydipsia and vomiting", "with diabetic ketoacidosis", "with a hyperosmolar hyperglycemic state"])
            + " Serum sodium is \(Int(inputs.sodium)) mEq/L and glucose is \(Int(inputs.glucose)) mg/dL. "
            + "Bicarbonate is \(generator.int(in: 8...26)) mEq/L. "
            + PatientNote.distractors(using: &generator)
    }
}

/// Free water deficit: total body water × (Na / 140 − 1), where total body water is weight ×
/// 0.6 (men under 65), 0.5 (women under 65 and men 65 or older) or 0.45 (women 65 or older).
public struct FreeWaterDeficit: MedicalCalculator {
    public struct Inputs: Sendable {
        public var sodium: Double
        public var weightKg: Double
        public var age: Int
        public var sex: Sex
        public init(sodium: Double, weightKg: Double, age: Int, sex: Sex) {
            self.sodium = sodium; self.weightKg = weightKg; self.age = age; self.sex = sex
        }
    }

    public init() {}
    public var name: String { "Free water deficit" }
    public var unit: String { "L" }
    public var tolerance: AnswerTolerance { .absolute(0.2) }
    public var question: String { "Using a target sodium of 140 mEq/L, what is the patient's free water deficit in liters?" }

    /// The fraction of body weight that is water for this age and sex.
    public static func totalBodyWaterFraction(age: Int, sex: Sex) -> Double {
        switch (sex, age >= 65) {
        case (.male, false): return 0.6
        case (.male, true), (.female, false): return 0.5
        case (.female, true): return 0.45
        }
    }

    public func compute(_ inputs: Inputs) -> Double {
        Self.totalBodyWaterFraction(age: inputs.age, sex: inputs.sex) * inputs.weightKg * (inputs.sodium / 140 - 1)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(sodium: Double(generator.int(in: 146...172)), weightKg: Double(generator.int(in: 45...110)),
               age: generator.int(in: 20...92), sex: generator.pick(Sex.allCases))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        PatientNote.opening(age: inputs.age, sex: inputs.sex, using: &generator,
                            reasons: ["with confusion and poor oral intake", "with lethargy after a week of poor oral intake", "after several days of fever and diarrhea"])
            + " \(inputs.sex.pronoun) weighs \(Int(inputs.weightKg)) kg. Serum sodium is \(Int(inputs.sodium)) mEq/L and "
            + "glucose is \(generator.int(in: 80...160)) mg/dL. "
            + PatientNote.distractors(using: &generator)
    }
}
