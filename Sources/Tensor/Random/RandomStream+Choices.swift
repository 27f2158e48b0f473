/// Seeded choices for generated data and shuffles (datasets, calculator problems), drawn from
/// the same stream type as weights and sampling so the project has one seeded random source.
extension RandomStream {
    /// A uniform integer in `0..<bound` (multiply-high; bias below 2^-40 for bounds under 2^24).
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + next(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `range` (53 random bits).
    public mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUniformDouble()
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        nextUniformDouble() < probability
    }

    /// An element of a non-empty array.
    public mutating func pick<T>(_ choices: [T]) -> T {
        choices[next(below: choices.count)]
    }
}
