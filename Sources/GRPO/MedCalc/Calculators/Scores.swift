import Foundation
import Tensor

/// CHA₂DS₂-VASc stroke risk in atrial fibrillation: heart failure 1, hypertension 1, age ≥ 75 2,
/// diabetes 1, prior stroke/TIA/thromboembolism 2, vascular disease 1, age 65–74 1, female 1.
public struct CHA2DS2VASc: MedicalCalculator {
    public struct Inputs: Sendable {
        public var age: Int
        public var sex: Sex
        public var heartFailure: Bool
        public var hypertension: Bool
        public var diabetes: Bool
        public var strokeOrTIA: Bool
        public var vascularDisease: Bool
        public init(age: Int, sex: Sex, heartFailure: Bool = false, hypertension: Bool = false, diabetes: Bool = false,
                    strokeOrTIA: Bool = false, vascularDisease: Bool = false) {
            self.age = age; self.sex = sex; self.heartFailure = heartFailure; self.hypertension = hypertension
            self.diabetes = diabetes; self.strokeOrTIA = strokeOrTIA; self.vascularDisease = vascularDisease
        }
    }

    public init() {}
    public var name: String { "CHA2DS2-VASc score" }
    public var unit: String { "points" }
    public var tolerance: AnswerTolerance { .absolute(0) }
    public var question: String { "What is the patient's CHA₂DS₂-VASc score?" }

    public func compute(_ inputs: Inputs) -> Double {
        var points = 0
        if inputs.heartFailure { points += 1 }
        if inputs.hypertension { points += 1 }
        if inputs.age >= 75 { points += 2 } else if inputs.age >= 65 { points += 1 }
        if inputs.diabetes { points += 1 }
        if inputs.strokeOrTIA { points += 2 }
        if inputs.vascularDisease { points += 1 }
        if inputs.sex == .female { points += 1 }
        return Double(points)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(age: generator.int(in: 45...92), sex: generator.pick(Sex.allCases),
               heartFailure: generator.chance(0.3), hypertension: generator.chance(0.6), diabetes: generator.chance(0.35),
               strokeOrTIA: generator.chance(0.2), vascularDisease: generator.chance(0.3))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        var history: [String] = []
        var denied: [String] = []
        func record(_ present: Bool, _ yes: String, _ no: String) { present ? history.append(yes) : denied.append(no) }
        record(inputs.hypertension, "hypertension treated with \(generator.pick(["amlodipine", "lisinopril", "losartan"]))", "hypertension")
        record(inputs.diabetes, "type 2 diabetes mellitus on metformin", "diabetes")
        record(inputs.heartFailure, "heart failure with reduced ejection fraction (EF \(generator.int(in: 25...38))%)", "heart failure")
        record(inputs.strokeOrTIA, generator.pick(["an ischemic stroke two years ago", "a transient ischemic attack last year"]), "prior stroke or TIA")
        record(inputs.vascularDisease, generator.pick(["a prior myocardial infarction", "peripheral arterial disease", "complex aortic plaque"]), "vascular disease")
        let past = history.isEmpty ? " \(inputs.sex.possessive) past history is unremarkable." : " \(inputs.sex.possessive) history includes \(Self.list(history))."
        let negatives = denied.isEmpty ? "" : " There is no history of \(Self.list(denied, conjunction: "or"))."
        return PatientNote.opening(age: inputs.age, sex: inputs.sex, using: &generator,
                                   reasons: ["with newly diagnosed atrial fibrillation", "with palpitations and is found to be in atrial fibrillation"])
            + past + negatives + " Heart rate is \(generator.int(in: 88...140)) beats/min, irregularly irregular."
    }

    static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return "\(items[0]) \(conjunction) \(items[1])"
        default: return items.dropLast().joined(separator: ", ") + ", \(conjunction) " + items[items.count - 1]
        }
    }
}

/// Wells criteria for pulmonary embolism: clinical signs of DVT 3, PE the most likely diagnosis 3,
/// heart rate > 100 1.5, immobilization ≥ 3 days or surgery in the last 4 weeks 1.5,
/// previous PE or DVT 1.5, hemoptysis 1, malignancy 1.
public struct WellsPE: MedicalCalculator {
    public struct Inputs: Sendable {
        public var heartRate: Int
        public var signsOfDVT: Bool
        public var peMostLikely: Bool
        public var immobilizationOrSurgery: Bool
        public var previousPEOrDVT: Bool
        public var hemoptysis: Bool
        public var malignancy: Bool
        public init(heartRate: Int, signsOfDVT: Bool = false, peMostLikely: Bool = false, immobilizationOrSurgery: Bool = false,
                    previousPEOrDVT: Bool = false, hemoptysis: Bool = false, malignancy: Bool = false) {
            self.heartRate = heartRate; self.signsOfDVT = signsOfDVT; self.peMostLikely = peMostLikely
            self.immobilizationOrSurgery = immobilizationOrSurgery; self.previousPEOrDVT = previousPEOrDVT
            self.hemoptysis = hemoptysis; self.malignancy = malignancy
        }
    }

    public init() {}
    public var name: String { "Wells' criteria for pulmonary embolism" }
    public var unit: String { "points" }
    public var tolerance: AnswerTolerance { .absolute(0) }
    public var question: String { "What is the patient's Wells score for pulmonary embolism?" }

    public func compute(_ inputs: Inputs) -> Double {
        var points = 0.0
        if inputs.signsOfDVT { points += 3 }
        if inputs.peMostLikely { points += 3 }
        if inputs.heartRate > 100 { points += 1.5 }
        if inputs.immobilizationOrSurgery { points += 1.5 }
        if inputs.previousPEOrDVT { points += 1.5 }
        if inputs.hemoptysis { points += 1 }
        if inputs.malignancy { points += 1 }
        return points
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(heartRate: generator.int(in: 62...135), signsOfDVT: generator.chance(0.3), peMostLikely: generator.chance(0.5),
               immobilizationOrSurgery: generator.chance(0.3), previousPEOrDVT: generator.chance(0.2),
               hemoptysis: generator.chance(0.15), malignancy: generator.chance(0.2))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        var text = PatientNote.opening(age: generator.int(in: 22...85), sex: sex, using: &generator,
                                       reasons: ["with sudden-onset pleuritic chest pain and dyspnea", "with acute shortness of breath"])
        text += " Heart rate is \(inputs.heartRate) beats/min and blood pressure \(generator.int(in: 100...150))/\(generator.int(in: 60...90)) mmHg."
        text += inputs.signsOfDVT
            ? " The left calf is swollen and tender along the deep veins."
            : " Both legs are symmetric without swelling or tenderness."
        text += inputs.hemoptysis ? " \(sex.pronoun) reports coughing up blood-streaked sputum." : " \(sex.pronoun) denies hemoptysis."
        if inputs.immobilizationOrSurgery {
            text += generator.pick([" \(sex.pronoun) had a hip replacement two weeks ago.", " \(sex.pronoun) has been bedbound for the past five days."])
        }
        text += inputs.previousPEOrDVT ? " \(sex.possessive) history includes a deep vein thrombosis three years ago." : " There is no prior venous thromboembolism."
        text += inputs.malignancy ? " \(sex.pronoun) is receiving chemotherapy for colon cancer." : " There is no history of cancer."
        text += inputs.peMostLikely
            ? " The chest radiograph is clear, and the team judges pulmonary embolism to be the most likely diagnosis."
            : " The chest radiograph shows a lobar consolidation, and pneumonia is considered more likely than pulmonary embolism."
        return text
    }
}

/// MELD score (original, UNOS before 2016): 10 × (0.957 ln Cr + 0.378 ln bilirubin + 1.120 ln INR + 0.643),
/// with values below 1 set to 1, creatinine capped at 4.0 and set to 4.0 on dialysis (≥ 2 sessions in a week).
public struct MELDScore: MedicalCalculator {
    public struct Inputs: Sendable {
        public var creatinine: Double
        public var bilirubin: Double
        public var inr: Double
        public var onDialysis: Bool
        public init(creatinine: Double, bilirubin: Double, inr: Double, onDialysis: Bool = false) {
            self.creatinine = creatinine; self.bilirubin = bilirubin; self.inr = inr; self.onDialysis = onDialysis
        }
    }

    public init() {}
    public var name: String { "MELD score (original)" }
    public var unit: String { "points" }
    public var tolerance: AnswerTolerance { .absolute(1) }
    public var question: String { "Using the original MELD formula (no sodium term), what is the patient's MELD score?" }

    public func compute(_ inputs: Inputs) -> Double {
        let creatinine = inputs.onDialysis ? 4.0 : min(max(inputs.creatinine, 1), 4)
        let bilirubin = max(inputs.bilirubin, 1)
        let inr = max(inputs.inr, 1)
        return 10 * (0.957 * log(creatinine) + 0.378 * log(bilirubin) + 1.120 * log(inr) + 0.643)
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        Inputs(creatinine: generator.value(in: 0.5...5.0, step: 0.1), bilirubin: generator.value(in: 0.4...25.0, step: 0.1),
               inr: generator.value(in: 0.9...4.0, step: 0.1), onDialysis: generator.chance(0.1))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        let cause = generator.pick(["alcohol-related cirrhosis", "cirrhosis from chronic hepatitis C", "cirrhosis due to metabolic dysfunction-associated steatohepatitis"])
        let dialysis = inputs.onDialysis
            ? " \(sex.pronoun) has required hemodialysis three times in the past week."
            : " \(sex.pronoun) has not received dialysis."
        return PatientNote.opening(age: generator.int(in: 30...75), sex: sex, using: &generator,
                                   reasons: ["for liver transplant evaluation of \(cause)", "with \(cause) and worsening ascites"])
            + " Labs: total bilirubin \(PatientNote.format(inputs.bilirubin, 1)) mg/dL, INR \(PatientNote.format(inputs.inr, 1)), "
            + "creatinine \(PatientNote.format(inputs.creatinine, 1)) mg/dL, sodium \(generator.int(in: 124...142)) mEq/L, "
            + "albumin \(PatientNote.format(generator.value(in: 2.0...3.8, step: 0.1), 1)) g/dL." + dialysis
    }
}
