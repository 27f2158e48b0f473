import Foundation

/// Short renderings of numbers for charts, tables and progress lines.
enum NumberText {
    /// `value` with about `digits` significant digits: `0.413`, `12.5`, `1.2e+06`; `nan`, `inf`.
    static func compact(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        return String(format: "%.\(digits)g", value)
    }

    /// A tick label: as many decimals as the tick step needs, or a short exponent form
    /// (`2e6`, `1.5e-5`) when the values are very large or very small.
    static func tick(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return compact(value) }
        if value == 0 { return "0" }
        let magnitude = max(abs(value), step)
        if magnitude >= 1e5 || (step > 0 && step < 1e-4) || (step == 0 && magnitude < 1e-4) {
            return exponent(value, step: step)
        }
        let decimals = step > 0 ? max(0, Int((-log10(step)).rounded(.up))) : 3
        return String(format: "%.\(min(decimals, 6))f", value)
    }

    /// `value` as `m e n` without padding or a plus sign: `2e6`, `-1.5e-5`.
    private static func exponent(_ value: Double, step: Double) -> String {
        let power = Int(log10(abs(value)).rounded(.down))
        let scale = pow(10, Double(power))
        let stepDigits = step > 0 ? max(0, Int((log10(scale / step)).rounded(.up))) : 2
        var mantissa = String(format: "%.\(min(stepDigits, 4))f", value / scale)
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return "\(mantissa)e\(power)"
    }

    /// A duration as `mm:ss`, or `h:mm:ss` from an hour on; `?` when unknown.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "?" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%02d:%02d", minutes, secs)
    }

    /// A byte count in binary units: `512 B`, `2.4 GiB`.
    static func bytes(_ count: Double) -> String {
        guard count.isFinite, count >= 0 else { return "?" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = count, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f ", value) + units[unit]
    }
}
