import Foundation
import Tensor

/// Alveolar–arterial oxygen gradient at sea level:
/// PAO₂ = FiO₂ × (760 − 47) − PaCO₂ / 0.8, gradient = PAO₂ − PaO₂ (mmHg).
public struct AlveolarArterialGradient: MedicalCalculator {
    public struct Inputs: Sendable {
        public var fio2: Double
        public var pao2: Double
        public var paco2: Double
        public init(fio2: Double, pao2: Double, paco2: Double) { self.fio2 = fio2; self.pao2 = pao2; self.paco2 = paco2 }
    }

    public init() {}
    public var name: String { "A-a oxygen gradient" }
    public var unit: String { "mmHg" }
    public var tolerance: AnswerTolerance { .absolute(1) }
    public var question: String { "At sea level (760 mmHg, water vapor 47 mmHg, respiratory quotient 0.8), what is the patient's alveolar–arterial oxygen gradient in mmHg?" }

    public func compute(_ inputs: Inputs) -> Double {
        let alveolar = inputs.fio2 * (760 - 47) - inputs.paco2 / 0.8
        return alveolar - inputs.pao2
    }

    public func randomInputs(using generator: inout RandomStream) -> Inputs {
        let fio2 = generator.pick([0.21, 0.21, 0.21, 0.28, 0.30, 0.35, 0.40, 0.50, 0.60, 1.0])
        let paco2 = Double(generator.int(in: 25...65))
        let alveolar = fio2 * 713 - paco2 / 0.8
        let gradient = Double(generator.int(in: 3...max(5, Int(alveolar * 0.8))))
        let pao2 = max(40, (alveolar - gradient).rounded())
        return Inputs(fio2: fio2, pao2: pao2, paco2: paco2)
    }

    public func note(for inputs: Inputs, using generator: inout RandomStream) -> String {
        let sex = generator.pick(Sex.allCases)
        let oxygen = inputs.fio2 == 0.21 ? "on room air (FiO₂ 0.21)" : "on supplemental oxygen with an FiO₂ of \(PatientNote.format(inputs.fio2, 2))"
        return PatientNote.opening(age: generator.int(in: 20...88), sex: sex, using: &generator,
                                   reasons: ["with shortness of breath", "with pleuritic chest pain", "with fever and a productive cough", "with worsening dyspnea"])
            + " An arterial blood gas drawn \(oxygen) shows pH \(PatientNote.format(generator.value(in: 7.30...7.50, step: 0.01), 2)), "
            + "PaCO₂ \(Int(inputs.paco2)) mmHg and PaO₂ \(Int(inputs.pao2)) mmHg. "
            + "Heart rate is \(generator.int(in: 70...125)) beats/min."
    }
}
