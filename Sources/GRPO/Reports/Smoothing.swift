/// Exponential moving average with the start debiased (as TensorBoard and W&B smooth), so the
/// first points are not pulled toward zero.
enum Smoothing {
    /// The weight of the running average for a series of `count` points: no smoothing up to
    /// ten points, then a span of about a tenth of the series (0.9 at 200 points, at most 0.95).
    static func weight(forCount count: Int) -> Double {
        guard count > 10 else { return 0 }
        return min(0.95, 1 - 20 / Double(count + 10))
    }

    /// The smoothed values of `values` with running-average `weight` (0 = unchanged).
    /// Non-finite values are skipped: they neither enter the average nor appear in the result.
    static func exponential(_ values: [Double], weight: Double) -> [Double] {
        var average = 0.0, debias = 0.0
        var result: [Double] = []
        result.reserveCapacity(values.count)
        for value in values where value.isFinite {
            average = weight * average + (1 - weight) * value
            debias = weight * debias + (1 - weight)
            result.append(average / debias)
        }
        return result
    }
}
