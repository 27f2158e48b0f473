import Foundation
import Tensor

/// Shared phrasing for generated patient notes.
enum PatientNote {
    /// "A 54-year-old woman presents to the emergency department with chest pain."
    ///
    /// A reason starting with "with" or "after" gets an acute setting (emergency department, ward,
    /// consult); any other ("for …", "before …") gets a clinic visit.
    static func opening(age: Int, sex: Sex, using generator: inout RandomStream, reasons: [String]) -> String {
        let reason = generator.pick(reasons)
        let acute = reason.hasPrefix("with ") || reason.hasPrefix("after ")
        let setting = acute
            ? generator.pick(["presents to the emergency department", "is admitted to the medical ward", "is evaluated by the consult team"])
            : generator.pick(["is seen in the outpatient clinic", "comes to the clinic"])
        let article = age == 8 || age == 11 || age == 18 || (80...89).contains(age) ? "An" : "A"
        return "\(article) \(age)-year-old \(sex.noun) \(setting) \(reason)."
    }

    /// One or two irrelevant findings, so the note is not just the formula's inputs.
    static func distractors(using generator: inout RandomStream) -> String {
        let findings = [
            "Temperature is \(format(generator.double(in: 36.4...37.8), 1)) °C.",
            "Respiratory rate is \(generator.int(in: 12...22)) breaths/min.",
            "Oxygen saturation is \(generator.int(in: 93...99))% on room air.",
            "Hemoglobin is \(format(generator.double(in: 10.5...15.5), 1)) g/dL.",
            "White cell count is \(format(generator.double(in: 4.5...12.0), 1)) × 10⁹/L.",
            "Platelets are \(generator.int(in: 160...380)) × 10⁹/L.",
            "\(generator.pick(["Lungs are clear to auscultation.", "There is no peripheral edema.", "Abdomen is soft and non-tender.", "Heart sounds are normal without murmurs."]))",
        ]
        let first = generator.next(below: findings.count)
        var second = generator.next(below: findings.count)
        if second == first { second = (second + 1) % findings.count }
        return findings[first] + " " + findings[second]
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

extension RandomStream {
    /// A body weight in whole kilograms that gives a plausible BMI (17–40) at `heightCm`.
    mutating func weight(forHeightCm heightCm: Double) -> Double {
        let meters = heightCm / 100
        return (double(in: 17...40) * meters * meters).rounded()
    }

    /// A value from `range` on a grid of `step` (e.g. creatinine 0.6...3.0 in steps of 0.1),
    /// built as integer / scale so it equals the decimal the note prints.
    mutating func value(in range: ClosedRange<Double>, step: Double) -> Double {
        let scale = (1 / step).rounded()
        let low = Int((range.lowerBound * scale).rounded())
        let high = Int((range.upperBound * scale).rounded())
        return Double(int(in: low...high)) / scale
    }
}
