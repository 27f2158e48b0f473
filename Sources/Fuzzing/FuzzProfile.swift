import Foundation

/// Where a campaign's time goes: inputs run in this process and timed one by one, summed per
/// seed, with the slowest inputs and what was done to them. Used to make slow targets faster
/// without making them shallower (`swift-grpo fuzz TARGET --profile`).
public struct FuzzProfile {
    public struct SlowInput {
        public var index: UInt64
        public var seconds: Double
        public var origin: String
    }

    /// Seed name → (inputs, seconds, accepted).
    public var perSeed: [String: (inputs: Int, seconds: Double, accepted: Int)] = [:]
    public var slowest: [SlowInput] = []
    public var totalSeconds = 0.0

    /// Runs inputs `range` of `engine` in process and times each.
    public static func measure(_ engine: FuzzEngine, _ range: Range<UInt64>, keep: Int = 12) throws -> FuzzProfile {
        let scratch = try FuzzScratch()
        defer { scratch.remove() }
        var profile = FuzzProfile()
        for index in range {
            let input = engine.input(at: index)
            let seedName = input.origin.components(separatedBy: "'").dropFirst().first ?? "?"
            let start = DispatchTime.now().uptimeNanoseconds
            var accepted = 1
            do { try engine.target.run(input, scratch) } catch { accepted = 0 }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            profile.totalSeconds += seconds
            let old = profile.perSeed[seedName] ?? (0, 0, 0)
            profile.perSeed[seedName] = (old.inputs + 1, old.seconds + seconds, old.accepted + accepted)
            profile.slowest.append(SlowInput(index: index, seconds: seconds, origin: input.origin))
            if profile.slowest.count > keep * 4 {
                profile.slowest.sort { $0.seconds > $1.seconds }
                profile.slowest.removeLast(profile.slowest.count - keep)
            }
        }
        profile.slowest.sort { $0.seconds > $1.seconds }
        profile.slowest = Array(profile.slowest.prefix(keep))
        return profile
    }

    /// A plain-text report: per seed, then the slowest inputs.
    public var report: String {
        var lines = [String(format: "%.2f s in all", totalSeconds), "per seed (inputs, seconds, ms/input, accepted):"]
        for (name, entry) in perSeed.sorted(by: { $0.value.seconds > $1.value.seconds }) {
            lines.append(String(format: "  %7d %8.2f s %8.3f ms %7d  ", entry.inputs, entry.seconds,
                                1000 * entry.seconds / Double(max(entry.inputs, 1)), entry.accepted) + name)
        }
        lines.append("slowest inputs:")
        for input in slowest {
            lines.append(String(format: "  %8.3f s  input %d: ", input.seconds, input.index) + String(input.origin.prefix(300)))
        }
        return lines.joined(separator: "\n")
    }
}
