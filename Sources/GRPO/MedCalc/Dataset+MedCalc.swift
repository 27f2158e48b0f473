import Tensor

extension Dataset {
    /// Every calculator `medcalc(count:seed:)` draws from, in the order it cycles through them.
    public static let medcalcCalculators: [any MedicalCalculator] = [
        BodyMassIndex(), MeanArterialPressure(), AnionGap(), AnionGap(includesPotassium: true), CorrectedCalcium(),
        CockcroftGault(), QTcBazett(), AlveolarArterialGradient(), CKDEPI2021(), CHA2DS2VASc(), WellsPE(),
        MELDScore(), SerumOsmolality(), CorrectedSodium(), BodySurfaceArea(), IdealBodyWeight(), FreeWaterDeficit(),
    ]

    /// Verifiable MedCalc-style problems: row `i` comes from calculator `i % calculators.count`,
    /// with values drawn from `seed`. Columns: calculator, note, question, answer (the exact
    /// result), unit, tolerance (the largest absolute error that still counts as correct).
    ///
    /// A prompt for the model is typically `textPrompt(template: "{note}\n\n{question}")`.
    public static func medcalc(count: Int, seed: UInt64 = 0,
                               calculators: [any MedicalCalculator] = medcalcCalculators) -> Dataset {
        guard !calculators.isEmpty else { return Dataset(rows: [], exactColumns: MedCalcProblem.columns) }
        var generator = RandomStream(seed: seed)
        let rows = (0..<max(0, count)).map { index in
            calculators[index % calculators.count].problem(using: &generator).row
        }
        return Dataset(rows: rows, exactColumns: MedCalcProblem.columns)
    }
}

extension MedCalcProblem {
    /// The column order of generated problem rows.
    static let columns = ["calculator", "note", "question", "answer", "unit", "tolerance"]
}
