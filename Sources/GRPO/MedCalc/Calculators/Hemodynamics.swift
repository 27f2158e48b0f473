import Foundation
import Tensor

/// Mean arterial pressure: (systolic + 2 × diastolic) / 3.
public struct MeanArterialPressure: MedicalCalculator {
    public struct Inputs: Sendable {
        public var systolic: Double
        public var diastolic: Double
        public init(systolic: Double, diastolic: Double) { self.systolic = systolic; self.diastolic = diastolic }
    }

    public init() {}
    public var name: String { "Mean arterial pressure (MAP)" }
    public var unit: String { "mmHg" }
    public var tolerance: AnswerTolerance { .absolute(0.5) }
    public var question: String { "What is the patient's mean arterial pressure in mmHg?" }

    public func compute(_ inputs: Inputs) -> Double {
        (inputs.systolic + 2 * inputs.diastolic) / 3
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        let systolic = generator.int(in: 80...200)
        let diastolic = generator.int(in: max(40, systolic / 2 - 10)...min(120, systolic - 25))
        return Inputs(systolic: Double(systolic), diastolic: Double(diastolic))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        return PatientNote.opening(age: generator.int(in: 20...90), sex: sex, using: &generator,
                                   reasons: ["with fever and confusion", "with dizziness", "after a fall at home", "with a severe headache"])
            + " Blood pressure is \(Int(inputs.systolic))/\(Int(inputs.diastolic)) mmHg and heart rate is \(generator.int(in: 55...125)) beats/min. "
            + PatientNote.distractors(using: &generator)
    }
}

/// Heart-rate-corrected QT interval by Bazett: QT / √(RR), RR = 60 / heart rate in seconds.
public struct QTcBazett: MedicalCalculator {
    public struct Inputs: Sendable {
        public var qtMilliseconds: Double
        public var heartRate: Double
        public init(qtMilliseconds: Double, heartRate: Double) { self.qtMilliseconds = qtMilliseconds; self.heartRate = heartRate }
    }

    public init() {}
    public var name: String { "Corrected QT interval (Bazett)" }
    public var unit: String { "ms" }
    public var tolerance: AnswerTolerance { .absolute(2) }
    public var question: String { "Using the Bazett formula, what is the patient's corrected QT interval (QTc) in milliseconds?" }

    public func compute(_ inputs: Inputs) -> Double {
        inputs.qtMilliseconds / (60 / inputs.heartRate).squareRoot()
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        let rate = generator.int(in: 48...130)
        // QT shortens as the rate rises; keep it physiological for the rate.
        let typical = 400 * (60 / Double(rate)).squareRoot()
        let qt = generator.int(in: Int(typical) - 40...Int(typical) + 60)
        return Inputs(qtMilliseconds: Double(qt), heartRate: Double(rate))
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        let drug = generator.pick(["haloperidol", "azithromycin", "ondansetron", "methadone", "sotalol"])
        return PatientNote.opening(age: generator.int(in: 20...85), sex: sex, using: &generator,
                                   reasons: ["with palpitations", "after a syncopal episode", "for monitoring while taking \(drug)"])
            + " The ECG shows sinus rhythm at \(Int(inputs.heartRate)) beats/min with a QT interval of \(Int(inputs.qtMilliseconds)) ms. "
            + "Potassium is \(PatientNote.format(generator.value(in: 3.4...5.0, step: 0.1), 1)) mEq/L. "
            + PatientNote.distractors(using: &generator)
    }
}
