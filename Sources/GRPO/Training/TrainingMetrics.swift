import Foundation

/// The numbers logged for one optimizer step, under TRL's names (`reward`, `reward_std`,
/// `rewards/NAME/mean`, `frac_reward_zero_std`, `kl`, `entropy`, `clip_ratio/…`,
/// `completions/…`, `grad_norm`, `learning_rate`, `loss`, `num_tokens`, `step_time`), plus
/// `skipped_updates` and `dynamic_sampling/…` beyond TRL.
public struct StepMetrics: Codable, Equatable, Sendable {
    /// Optimizer steps completed, this one included (TRL's `global_step`).
    public var step: Int
    /// Fractional epoch reached.
    public var epoch: Double
    public var values: [String: Double]

    public init(step: Int, epoch: Double, values: [String: Double]) {
        self.step = step
        self.epoch = epoch
        self.values = values
    }

    public subscript(name: String) -> Double? { values[name] }

    /// One JSON object: `{"step": …, "epoch": …, name: value, …}`, names sorted, non-finite values as null.
    public var jsonLine: String {
        var fields = ["\"step\": \(step)", "\"epoch\": \(Self.number(epoch))"]
        for name in values.keys.sorted() {
            fields.append("\(Self.quoted(name)): \(Self.number(values[name] ?? .nan))")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Running statistics for one step: values appended per micro-step or per generation, averaged
/// at the end as TRL's logging window does (NaN entries ignored).
struct MetricsAccumulator {
    private var sums: [String: Double] = [:]
    private var counts: [String: Int] = [:]

    mutating func add(_ name: String, _ value: Double) {
        guard value.isFinite else { return }
        sums[name, default: 0] += value
        counts[name, default: 0] += 1
    }

    mutating func add(_ values: [String: Double]) {
        for (name, value) in values { add(name, value) }
    }

    var means: [String: Double] {
        var result: [String: Double] = [:]
        for (name, sum) in sums { result[name] = sum / Double(counts[name] ?? 1) }
        return result
    }
}

/// Mean and Bessel-corrected standard deviation ignoring NaN (TRL's nanmean/nanstd).
enum SampleStatistics {
    static func mean(_ values: [Double]) -> Double {
        let finite = values.filter { !$0.isNaN }
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }

    static func std(_ values: [Double]) -> Double {
        let finite = values.filter { !$0.isNaN }
        guard finite.count > 1 else { return .nan }
        let m = finite.reduce(0, +) / Double(finite.count)
        return (finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count - 1)).squareRoot()
    }
}
