import GRPO
import XCTest

/// Each calculator against hand-worked examples. Every expected number was computed
/// independently (Python, from the published formula) before it was written here.
final class MedicalCalculatorTests: XCTestCase {
    func testBodyMassIndex() {
        // 70 kg / 1.75² = 22.857; 95 kg / 1.80² = 29.321.
        XCTAssertEqual(BodyMassIndex().compute(.init(weightKg: 70, heightCm: 175)), 22.857, accuracy: 0.001)
        XCTAssertEqual(BodyMassIndex().compute(.init(weightKg: 95, heightCm: 180)), 29.321, accuracy: 0.001)
    }

    func testMeanArterialPressure() {
        // (120 + 2·80) / 3 = 93.33; (90 + 2·60) / 3 = 70.
        XCTAssertEqual(MeanArterialPressure().compute(.init(systolic: 120, diastolic: 80)), 93.333, accuracy: 0.001)
        XCTAssertEqual(MeanArterialPressure().compute(.init(systolic: 90, diastolic: 60)), 70, accuracy: 1e-9)
    }

    func testAnionGap() {
        // 140 − (104 + 24) = 12; with K 4.5: 144.5 − 128 = 16.5.
        let labs = AnionGap.Inputs(sodium: 140, chloride: 104, bicarbonate: 24, potassium: 4.5)
        XCTAssertEqual(AnionGap().compute(labs), 12, accuracy: 1e-9)
        XCTAssertEqual(AnionGap(includesPotassium: true).compute(labs), 16.5, accuracy: 1e-9)
    }

    func testCorrectedCalcium() {
        // 8.0 + 0.8·(4.0 − 2.0) = 9.6; high albumin corrects down: 10.2 + 0.8·(4.0 − 4.5) = 9.8.
        XCTAssertEqual(CorrectedCalcium().compute(.init(calcium: 8.0, albumin: 2.0)), 9.6, accuracy: 1e-9)
        XCTAssertEqual(CorrectedCalcium().compute(.init(calcium: 10.2, albumin: 4.5)), 9.8, accuracy: 1e-9)
    }

    func testCockcroftGault() {
        // Man, 40 y, 70 kg, Scr 1.0: (140−40)·70 / (72·1.0) = 97.22 mL/min.
        XCTAssertEqual(CockcroftGault().compute(.init(age: 40, weightKg: 70, creatinine: 1.0, sex: .male)), 97.22, accuracy: 0.01)
        // Woman, 60 y, 60 kg, Scr 1.2: 80·60 / 86.4 · 0.85 = 47.22 mL/min.
        XCTAssertEqual(CockcroftGault().compute(.init(age: 60, weightKg: 60, creatinine: 1.2, sex: .female)), 47.22, accuracy: 0.01)
        // Woman, 85 y, 50 kg, Scr 2.0: 55·50 / 144 · 0.85 = 16.23 mL/min.
        XCTAssertEqual(CockcroftGault().compute(.init(age: 85, weightKg: 50, creatinine: 2.0, sex: .female)), 16.23, accuracy: 0.01)
    }

    func testQTcBazett() {
        // HR 60 → RR 1 s: QTc = QT = 400 ms. HR 100 → RR 0.6 s: 360/√0.6 = 464.76. HR 75 → RR 0.8 s: 440/√0.8 = 491.93.
        XCTAssertEqual(QTcBazett().compute(.init(qtMilliseconds: 400, heartRate: 60)), 400, accuracy: 1e-9)
        XCTAssertEqual(QTcBazett().compute(.init(qtMilliseconds: 360, heartRate: 100)), 464.76, accuracy: 0.01)
        XCTAssertEqual(QTcBazett().compute(.init(qtMilliseconds: 440, heartRate: 75)), 491.93, accuracy: 0.01)
    }

    func testAlveolarArterialGradient() {
        // Room air: 0.21·713 − 40/0.8 − 90 = 149.73 − 50 − 90 = 9.73 mmHg.
        XCTAssertEqual(AlveolarArterialGradient().compute(.init(fio2: 0.21, pao2: 90, paco2: 40)), 9.73, accuracy: 0.001)
        // FiO₂ 0.5: 356.5 − 43.75 − 150 = 162.75. FiO₂ 1.0: 713 − 50 − 500 = 163.
        XCTAssertEqual(AlveolarArterialGradient().compute(.init(fio2: 0.5, pao2: 150, paco2: 35)), 162.75, accuracy: 0.001)
        XCTAssertEqual(AlveolarArterialGradient().compute(.init(fio2: 1.0, pao2: 500, paco2: 40)), 163, accuracy: 0.001)
    }

    func testCKDEPI2021() {
        // Woman, 50 y, Scr 1.0: 142 · (1.0/0.7)^−1.2 · 0.9938^50 · 1.012 = 142 · 0.6518 · 0.7328 · 1.012 = 68.6.
        XCTAssertEqual(CKDEPI2021().compute(.init(age: 50, creatinine: 1.0, sex: .female)), 68.63, accuracy: 0.01)
        // Man, 60 y, Scr 1.2: 142 · (1.2/0.9)^−1.2 · 0.9938^60 = 69.2.
        XCTAssertEqual(CKDEPI2021().compute(.init(age: 60, creatinine: 1.2, sex: .male)), 69.23, accuracy: 0.01)
        // Below κ the α exponent applies: woman 30 y, Scr 0.6: 142 · (0.6/0.7)^−0.241 · 0.9938^30 · 1.012 = 123.8.
        XCTAssertEqual(CKDEPI2021().compute(.init(age: 30, creatinine: 0.6, sex: .female)), 123.76, accuracy: 0.01)
        // Man 40 y, Scr 0.8: 142 · (0.8/0.9)^−0.302 · 0.9938^40 = 114.7.
        XCTAssertEqual(CKDEPI2021().compute(.init(age: 40, creatinine: 0.8, sex: .male)), 114.74, accuracy: 0.01)
    }

    func testCHA2DS2VASc() {
        let score = CHA2DS2VASc()
        // Man 50 with nothing: 0. Woman 78 with hypertension and diabetes: 2 (age) + 1 + 1 + 1 (female) = 5.
        XCTAssertEqual(score.compute(.init(age: 50, sex: .male)), 0)
        XCTAssertEqual(score.compute(.init(age: 78, sex: .female, hypertension: true, diabetes: true)), 5)
        // Man 70 (1) with heart failure (1), prior stroke (2) and vascular disease (1): 5.
        XCTAssertEqual(score.compute(.init(age: 70, sex: .male, heartFailure: true, strokeOrTIA: true, vascularDisease: true)), 5)
        // Every item: 1 + 1 + 2 + 1 + 2 + 1 + 1 = 9, the maximum. Age 65 counts, 64 does not.
        XCTAssertEqual(score.compute(.init(age: 80, sex: .female, heartFailure: true, hypertension: true, diabetes: true,
                                           strokeOrTIA: true, vascularDisease: true)), 9)
        XCTAssertEqual(score.compute(.init(age: 65, sex: .male)), 1)
        XCTAssertEqual(score.compute(.init(age: 64, sex: .male)), 0)
    }

    func testWellsPE() {
        let wells = WellsPE()
        // HR 110 (1.5) with hemoptysis (1): 2.5. HR exactly 100 scores nothing.
        XCTAssertEqual(wells.compute(.init(heartRate: 110, hemoptysis: true)), 2.5)
        XCTAssertEqual(wells.compute(.init(heartRate: 100)), 0)
        // DVT signs (3) + PE most likely (3) + recent surgery (1.5): 7.5.
        XCTAssertEqual(wells.compute(.init(heartRate: 90, signsOfDVT: true, peMostLikely: true, immobilizationOrSurgery: true)), 7.5)
        // All criteria: 3 + 3 + 1.5 + 1.5 + 1.5 + 1 + 1 = 12.5.
        XCTAssertEqual(wells.compute(.init(heartRate: 120, signsOfDVT: true, peMostLikely: true, immobilizationOrSurgery: true,
                                           previousPEOrDVT: true, hemoptysis: true, malignancy: true)), 12.5)
    }

    func testMELD() {
        let meld = MELDScore()
        // Cr 1.9, bilirubin 4.2, INR 1.8: 10·(0.957·ln 1.9 + 0.378·ln 4.2 + 1.120·ln 1.8 + 0.643) = 24.58.
        XCTAssertEqual(meld.compute(.init(creatinine: 1.9, bilirubin: 4.2, inr: 1.8)), 24.58, accuracy: 0.01)
        // All values below 1 are set to 1: the floor is 6.43.
        XCTAssertEqual(meld.compute(.init(creatinine: 0.8, bilirubin: 0.5, inr: 0.9)), 6.43, accuracy: 1e-9)
        // Dialysis sets creatinine to 4.0: 10·(0.957·ln 4 + 0.378·ln 2 + 1.12·ln 1.5 + 0.643) = 26.86.
        XCTAssertEqual(meld.compute(.init(creatinine: 1.0, bilirubin: 2.0, inr: 1.5, onDialysis: true)), 26.86, accuracy: 0.01)
        // Creatinine above 4 is capped at 4: Cr 5.0, bilirubin 10, INR 2.5 gives 38.66.
        XCTAssertEqual(meld.compute(.init(creatinine: 5.0, bilirubin: 10, inr: 2.5)), 38.66, accuracy: 0.01)
    }

    func testSerumOsmolality() {
        // 2·140 + 14/2.8 + 90/18 = 280 + 5 + 5 = 290; 2·135 + 28/2.8 + 180/18 = 290.
        XCTAssertEqual(SerumOsmolality().compute(.init(sodium: 140, bun: 14, glucose: 90)), 290, accuracy: 1e-9)
        XCTAssertEqual(SerumOsmolality().compute(.init(sodium: 135, bun: 28, glucose: 180)), 290, accuracy: 1e-9)
    }

    func testCorrectedSodium() {
        // 130 + 0.016·(500 − 100) = 136.4; 125 + 0.016·600 = 134.6.
        XCTAssertEqual(CorrectedSodium().compute(.init(sodium: 130, glucose: 500)), 136.4, accuracy: 1e-9)
        XCTAssertEqual(CorrectedSodium().compute(.init(sodium: 125, glucose: 700)), 134.6, accuracy: 1e-9)
    }

    func testBodySurfaceArea() {
        // √(180·80/3600) = √4 = 2.00 m²; √(165·60/3600) = 1.658 m².
        XCTAssertEqual(BodySurfaceArea().compute(.init(weightKg: 80, heightCm: 180)), 2.0, accuracy: 1e-9)
        XCTAssertEqual(BodySurfaceArea().compute(.init(weightKg: 60, heightCm: 165)), 1.658, accuracy: 0.001)
    }

    func testIdealBodyWeight() {
        // Man 6 ft (72 in = 182.88 cm): 50 + 2.3·12 = 77.6 kg. Woman 5 ft 4 in (162.56 cm): 45.5 + 2.3·4 = 54.7 kg.
        XCTAssertEqual(IdealBodyWeight().compute(.init(sex: .male, heightCm: 182.88)), 77.6, accuracy: 1e-9)
        XCTAssertEqual(IdealBodyWeight().compute(.init(sex: .female, heightCm: 162.56)), 54.7, accuracy: 1e-9)
    }

    func testFreeWaterDeficit() {
        // Man 40 y, 70 kg, Na 160: 0.6·70·(160/140 − 1) = 6.0 L.
        XCTAssertEqual(FreeWaterDeficit().compute(.init(sodium: 160, weightKg: 70, age: 40, sex: .male)), 6.0, accuracy: 1e-9)
        // Woman 80 y, 50 kg, Na 154: 0.45·50·0.1 = 2.25 L. Woman 30 y, 60 kg, Na 150: 0.5·60·(10/140) = 2.14 L.
        XCTAssertEqual(FreeWaterDeficit().compute(.init(sodium: 154, weightKg: 50, age: 80, sex: .female)), 2.25, accuracy: 1e-9)
        XCTAssertEqual(FreeWaterDeficit().compute(.init(sodium: 150, weightKg: 60, age: 30, sex: .female)), 2.143, accuracy: 0.001)
        // Man 70 y uses 0.5: 0.5·80·(168/140 − 1) = 8.0 L.
        XCTAssertEqual(FreeWaterDeficit().compute(.init(sodium: 168, weightKg: 80, age: 70, sex: .male)), 8.0, accuracy: 1e-9)
    }
}
